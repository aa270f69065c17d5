import {
  type AttachedPolicy,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsResponse,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  type InstanceProfile,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListUserPolicies,
  type RoleDetail,
  type UserDetail,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../../../model/resource.js';
import {
  AwsCallError,
  type CollectorContext,
  type CollectorOutput,
  type RefreshTarget,
} from '../../types.js';
import { collectPages } from '../support/calls.js';
import {
  identityResources,
  policyResource,
  profileResource,
  roleResource,
  userResource,
} from './authorization-details.js';
import { completeUsers, credentialReport, wantsCredentialReport } from './credentials.js';

/**
 * Targeted IAM re-reads (watch mode). Roles (with their instance profiles) and users are first looked
 * for in ONE GetAccountAuthorizationDetails page filtered to their kind: on an account with up to
 * `probeItems` of them that page is the whole list, so one call answers (and an entity missing from
 * it is gone). On a bigger account the page may not hold the touched entity; it is then read on its
 * own (GetRole/GetUser and the list calls that make up its authorization details). Managed policies
 * are GetPolicy + GetPolicyVersion. Either way the resource is built by the same mappers as the full
 * collection's, so it is the same resource. DESIGN.md §11 has the numbers behind the probe.
 */
const SERVICE = 'iam';
export const ROLE = 'aws.iam.role';
export const USER = 'aws.iam.user';
export const POLICY = 'aws.iam.policy';
export const PROFILE = 'aws.iam.instance-profile';
export const ACCESS_KEY = 'aws.iam.access-key';

/** One default-size page: bounded response, one call on most accounts. */
export const PROBE_ITEMS = 100;

type Calls = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

/** The entity name of a touched IAM resource: its name, or the last segment of its ARN. */
function entityName(t: RefreshTarget): string | undefined {
  return t.name ?? t.id?.split('/').at(-1);
}

/** An access key is named under its user's ARN: `…:user/<path/>name/access-key/<id>`. */
function keyUser(t: RefreshTarget): string | undefined {
  return t.id?.match(/:user\/(?:[^:]*\/)?([^/:]+)\/access-key\/[^/]+$/)?.[1];
}

interface Wanted {
  roles: Set<string>;
  profiles: Set<string>;
  users: Set<string>;
  policies: Set<string>;
}

/** Sorts the touched resources by kind; undefined when one cannot be re-read by name. */
function wanted(touched: readonly RefreshTarget[]): Wanted | undefined {
  const w: Wanted = { roles: new Set(), profiles: new Set(), users: new Set(), policies: new Set() };
  for (const t of touched) {
    const name = entityName(t);
    if (t.type === ROLE && name) w.roles.add(name);
    else if (t.type === PROFILE && name) w.profiles.add(name);
    else if (t.type === USER && name) w.users.add(name);
    else if (t.type === ACCESS_KEY && keyUser(t)) w.users.add(keyUser(t)!);
    else if (t.type === POLICY && t.id?.startsWith('arn:')) w.policies.add(t.id);
    else return undefined;
  }
  return w;
}

export interface IamRefreshOptions {
  /** Entities per probe page; 0 skips the probe and reads every entity on its own. */
  probeItems?: number;
}

export async function refreshIam(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
  opts: IamRefreshOptions = {},
): Promise<CollectorOutput | undefined> {
  const w = wanted(touched);
  if (!w) return undefined;
  const iam = ctx.client(IAMClient);
  const probeItems = opts.probeItems ?? PROBE_ITEMS;
  const failures: AwsCallError[] = [];
  const calls: Calls = (operation, fn) =>
    ctx.limit(SERVICE, fn).catch((err: unknown) => {
      throw ctx.toCallError(err, SERVICE, operation);
    });
  /** Runs one entity's read: NoSuchEntity = gone (undefined), any other error = failed, noted for `type`. */
  const attempt = async <T>(type: string, read: () => Promise<T | undefined>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      const error = err instanceof AwsCallError ? err : ctx.toCallError(err, SERVICE, 'refresh');
      if (error.code === 'NoSuchEntity') return undefined;
      error.resourceType = type;
      failures.push(error);
      return undefined;
    }
  };

  const [roles, users, policies] = await Promise.all([
    w.roles.size + w.profiles.size > 0 ? rolesAndProfiles(ctx, iam, calls, attempt, w, probeItems) : [],
    w.users.size > 0 ? usersAndKeys(ctx, iam, calls, attempt, w.users, probeItems) : [],
    Promise.all([...w.policies].map((arn) => attempt(POLICY, () => readPolicy(ctx, iam, calls, arn)))),
  ]);
  const resources = [...roles, ...users, ...policies.filter((p): p is Resource => p !== undefined)];
  return { resources, failures };
}

type Attempt = <T>(type: string, read: () => Promise<T | undefined>) => Promise<T | undefined>;

/** The first page of authorization details of one kind, and whether it is the whole list. */
async function probe(
  iam: IAMClient,
  calls: Calls,
  filter: 'Role' | 'User',
  probeItems: number,
): Promise<{ page: GetAccountAuthorizationDetailsResponse; complete: boolean }> {
  if (probeItems === 0) return { page: {}, complete: false };
  const page = await calls('GetAccountAuthorizationDetails', () =>
    iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: [filter], MaxItems: probeItems })),
  );
  return { page, complete: page.IsTruncated !== true };
}

async function rolesAndProfiles(
  ctx: CollectorContext,
  iam: IAMClient,
  calls: Calls,
  attempt: Attempt,
  w: Wanted,
  probeItems: number,
): Promise<Resource[]> {
  // Profiles are found through the roles that carry them: a failed probe fails both.
  const probed = await attempt(`${ROLE},${PROFILE}`, () => probe(iam, calls, 'Role', probeItems));
  if (!probed) return [];
  const found = identityResources(ctx, [probed.page]);
  const out: Resource[] = [];
  const missingRoles = [...w.roles].filter((n) => !found.roles.some((r) => r.config.RoleName === n));
  const missingProfiles = [...w.profiles].filter(
    (n) => !found.profiles.some((p) => p.config.InstanceProfileName === n),
  );
  out.push(...found.roles.filter((r) => w.roles.has(String(r.config.RoleName))));
  out.push(...found.profiles.filter((p) => w.profiles.has(String(p.config.InstanceProfileName))));
  if (probed.complete) return out;
  const [roles, profiles] = await Promise.all([
    Promise.all(missingRoles.map((n) => attempt(ROLE, () => readRole(iam, calls, n)))),
    Promise.all(missingProfiles.map((n) => attempt(PROFILE, () => readProfile(iam, calls, n)))),
  ]);
  for (const d of roles) if (d) push(out, roleResource(ctx, d));
  for (const p of profiles) if (p) push(out, profileResource(ctx, p));
  return out;
}

async function usersAndKeys(
  ctx: CollectorContext,
  iam: IAMClient,
  calls: Calls,
  attempt: Attempt,
  names: ReadonlySet<string>,
  probeItems: number,
): Promise<Resource[]> {
  // Access keys are read through their users: a failed user read fails both.
  const both = `${USER},${ACCESS_KEY}`;
  const probed = await attempt(both, () => probe(iam, calls, 'User', probeItems));
  if (!probed) return [];
  const users = identityResources(ctx, [probed.page]).users.filter((u) =>
    names.has(String(u.config.UserName)),
  );
  if (!probed.complete) {
    const missing = [...names].filter((n) => !users.some((u) => u.config.UserName === n));
    const read = await Promise.all(missing.map((n) => attempt(both, () => readUser(iam, calls, n))));
    for (const d of read) if (d) push(users, userResource(ctx, d));
  }
  if (users.length === 0) return [];
  // The credential report is the account's cached one (AWS regenerates it at most every 4 hours), as in
  // a full collection at the same moment: its fields change on the next regeneration, not per event.
  const report = wantsCredentialReport(ctx) ? await credentialReport(ctx, iam) : undefined;
  const keys = await completeUsers(ctx, iam, users, report);
  return [...users, ...keys];
}

function push(out: Resource[], r: Resource | undefined): void {
  if (r) out.push(r);
}

const names = (list: readonly (string | undefined)[] | undefined) =>
  (list ?? []).filter((n): n is string => typeof n === 'string');

/** One role's authorization details from its own calls, shaped as GetAccountAuthorizationDetails has them. */
async function readRole(iam: IAMClient, calls: Calls, RoleName: string): Promise<RoleDetail> {
  const { Role: role } = await calls('GetRole', () => iam.send(new GetRoleCommand({ RoleName })));
  const [attached, inlineNames, profiles] = await Promise.all([
    calls('ListAttachedRolePolicies', () =>
      collectPages(
        paginateListAttachedRolePolicies({ client: iam }, { RoleName }),
        (p): AttachedPolicy[] | undefined => p.AttachedPolicies,
      ),
    ),
    calls('ListRolePolicies', () =>
      collectPages(paginateListRolePolicies({ client: iam }, { RoleName }), (p) => p.PolicyNames),
    ),
    calls('ListInstanceProfilesForRole', () =>
      collectPages(
        paginateListInstanceProfilesForRole({ client: iam }, { RoleName }),
        (p) => p.InstanceProfiles,
      ),
    ),
  ]);
  const inline = await Promise.all(
    names(inlineNames).map((PolicyName) =>
      calls('GetRolePolicy', () => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))),
    ),
  );
  return {
    ...role,
    AttachedManagedPolicies: attached,
    RolePolicyList: inline.map((p) => ({ PolicyName: p.PolicyName, PolicyDocument: p.PolicyDocument })),
    InstanceProfileList: profiles,
  };
}

/** A profile exists for Warden only while a role carries it: the full collection finds profiles through their roles. */
async function readProfile(
  iam: IAMClient,
  calls: Calls,
  InstanceProfileName: string,
): Promise<InstanceProfile | undefined> {
  const out = await calls('GetInstanceProfile', () =>
    iam.send(new GetInstanceProfileCommand({ InstanceProfileName })),
  );
  return out.InstanceProfile && (out.InstanceProfile.Roles ?? []).length > 0
    ? out.InstanceProfile
    : undefined;
}

async function readUser(iam: IAMClient, calls: Calls, UserName: string): Promise<UserDetail> {
  const { User: user } = await calls('GetUser', () => iam.send(new GetUserCommand({ UserName })));
  const [attached, inlineNames, groups] = await Promise.all([
    calls('ListAttachedUserPolicies', () =>
      collectPages(
        paginateListAttachedUserPolicies({ client: iam }, { UserName }),
        (p) => p.AttachedPolicies,
      ),
    ),
    calls('ListUserPolicies', () =>
      collectPages(paginateListUserPolicies({ client: iam }, { UserName }), (p) => p.PolicyNames),
    ),
    calls('ListGroupsForUser', () =>
      collectPages(paginateListGroupsForUser({ client: iam }, { UserName }), (p) => p.Groups),
    ),
  ]);
  const inline = await Promise.all(
    names(inlineNames).map((PolicyName) =>
      calls('GetUserPolicy', () => iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))),
    ),
  );
  return {
    ...user,
    AttachedManagedPolicies: attached,
    UserPolicyList: inline.map((p) => ({ PolicyName: p.PolicyName, PolicyDocument: p.PolicyDocument })),
    GroupList: names(groups.map((g) => g.GroupName)),
  };
}

/**
 * A customer managed policy and its default version's document. AWS managed policies are not in the
 * full collection (it lists local policies only), so they read as absent here too.
 */
async function readPolicy(
  ctx: CollectorContext,
  iam: IAMClient,
  calls: Calls,
  PolicyArn: string,
): Promise<Resource | undefined> {
  if (PolicyArn.split(':')[4] !== ctx.account) return undefined;
  const { Policy: p } = await calls('GetPolicy', () => iam.send(new GetPolicyCommand({ PolicyArn })));
  if (!p) return undefined;
  const VersionId = p.DefaultVersionId;
  const version = VersionId
    ? (await calls('GetPolicyVersion', () => iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId }))))
        .PolicyVersion
    : undefined;
  return policyResource(ctx, {
    ...p,
    PolicyVersionList: version ? [{ ...version, IsDefaultVersion: true }] : [],
  });
}
