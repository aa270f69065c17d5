import type {
  AttachedPolicy,
  GetAccountAuthorizationDetailsResponse,
  GroupDetail,
  InstanceProfile,
  ManagedPolicyDetail,
  PolicyDetail,
  RoleDetail,
  UserDetail,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../../../model/resource.js';
import { liveResource } from '../../resource.js';
import type { CollectorContext } from '../../types.js';
import { parseDocument, recordInvalidDocument } from '../support/calls.js';
import { compact, isoDate, str, tagList } from '../support/resource.js';

/**
 * Users, groups, roles, local managed policies and instance profiles from the pages of ONE
 * `GetAccountAuthorizationDetails` walk. IAM returns policy documents URL-encoded; they are decoded
 * and parsed here, and a document that does not parse is recorded as an error on its path.
 */
type Page = GetAccountAuthorizationDetailsResponse;

function document(resource: Resource, path: string, text: unknown): Record<string, unknown> | undefined {
  if (text === undefined || text === null) return undefined;
  const doc = parseDocument(text, true);
  if (!doc) recordInvalidDocument(resource, path, `the policy document at ${path}`);
  return doc;
}

function attached(list: readonly AttachedPolicy[] | undefined): Record<string, unknown>[] {
  return (list ?? []).map((p) => compact({ PolicyName: str(p.PolicyName), PolicyArn: str(p.PolicyArn) }));
}

function inline(resource: Resource, key: string, list: readonly PolicyDetail[] | undefined): void {
  resource.config[key] = (list ?? []).map((p, i) =>
    compact({
      PolicyName: str(p.PolicyName),
      PolicyDocument: document(resource, `${key}[${i}].PolicyDocument`, p.PolicyDocument),
    }),
  );
}

function boundary(b: RoleDetail['PermissionsBoundary']): Record<string, unknown> | undefined {
  return b
    ? compact({
        PermissionsBoundaryType: str(b.PermissionsBoundaryType),
        PermissionsBoundaryArn: str(b.PermissionsBoundaryArn),
      })
    : undefined;
}

export function userResource(ctx: CollectorContext, u: UserDetail): Resource | undefined {
  const name = str(u.UserName);
  const arn = str(u.Arn);
  if (!name || !arn) return undefined;
  const r = liveResource(ctx, {
    type: 'aws.iam.user',
    id: arn,
    nativeName: name,
    config: compact({
      UserName: name,
      UserId: str(u.UserId),
      Arn: arn,
      Path: str(u.Path) ?? '/',
      CreateDate: isoDate(u.CreateDate),
      AttachedManagedPolicies: attached(u.AttachedManagedPolicies),
      GroupList: (u.GroupList ?? []).filter((g): g is string => typeof g === 'string'),
      PermissionsBoundary: boundary(u.PermissionsBoundary),
      Tags: tagList(u.Tags),
    }),
  });
  inline(r, 'UserPolicyList', u.UserPolicyList);
  return r;
}

function group(ctx: CollectorContext, g: GroupDetail): Resource | undefined {
  const name = str(g.GroupName);
  const arn = str(g.Arn);
  if (!name || !arn) return undefined;
  const r = liveResource(ctx, {
    type: 'aws.iam.group',
    id: arn,
    nativeName: name,
    config: compact({
      GroupName: name,
      GroupId: str(g.GroupId),
      Arn: arn,
      Path: str(g.Path) ?? '/',
      AttachedManagedPolicies: attached(g.AttachedManagedPolicies),
    }),
  });
  inline(r, 'GroupPolicyList', g.GroupPolicyList);
  return r;
}

function profileSummary(p: InstanceProfile): Record<string, unknown> {
  return compact({
    InstanceProfileName: str(p.InstanceProfileName),
    InstanceProfileId: str(p.InstanceProfileId),
    Arn: str(p.Arn),
    Path: str(p.Path),
  });
}

export function roleResource(ctx: CollectorContext, d: RoleDetail): Resource | undefined {
  const name = str(d.RoleName);
  const arn = str(d.Arn);
  if (!name || !arn) return undefined;
  const r = liveResource(ctx, {
    type: 'aws.iam.role',
    id: arn,
    nativeName: name,
    config: compact({
      RoleName: name,
      RoleId: str(d.RoleId),
      Arn: arn,
      Path: str(d.Path) ?? '/',
      CreateDate: isoDate(d.CreateDate),
      AttachedManagedPolicies: attached(d.AttachedManagedPolicies),
      // Profiles are resources of their own; the role keeps their identities, not a copy of itself.
      InstanceProfileList: (d.InstanceProfileList ?? []).map(profileSummary),
      PermissionsBoundary: boundary(d.PermissionsBoundary),
      RoleLastUsed: d.RoleLastUsed
        ? compact({ LastUsedDate: isoDate(d.RoleLastUsed.LastUsedDate), Region: str(d.RoleLastUsed.Region) })
        : undefined,
      Tags: tagList(d.Tags),
    }),
  });
  const trust = document(r, 'AssumeRolePolicyDocument', d.AssumeRolePolicyDocument);
  if (trust) r.config.AssumeRolePolicyDocument = trust;
  inline(r, 'RolePolicyList', d.RolePolicyList);
  return r;
}

export function policyResource(ctx: CollectorContext, p: ManagedPolicyDetail): Resource | undefined {
  const arn = str(p.Arn);
  // Some emulators leave PolicyName out of the details; the ARN ends with it.
  const name = str(p.PolicyName) ?? arn?.slice(arn.lastIndexOf('/') + 1);
  if (!name || !arn) return undefined;
  const r = liveResource(ctx, {
    type: 'aws.iam.policy',
    id: arn,
    nativeName: name,
    config: compact({
      PolicyName: name,
      PolicyId: str(p.PolicyId),
      Arn: arn,
      Path: str(p.Path) ?? '/',
      // GetPolicy leaves an empty description out where the details carry `''`: the same fact.
      Description: str(p.Description) || undefined,
      DefaultVersionId: str(p.DefaultVersionId),
      AttachmentCount: typeof p.AttachmentCount === 'number' ? p.AttachmentCount : undefined,
      IsAttachable: typeof p.IsAttachable === 'boolean' ? p.IsAttachable : undefined,
    }),
  });
  const version = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion === true);
  const doc = version ? document(r, 'PolicyDocument', version.Document) : undefined;
  if (doc) r.config.PolicyDocument = doc;
  return r;
}

export function profileResource(ctx: CollectorContext, p: InstanceProfile): Resource | undefined {
  const name = str(p.InstanceProfileName);
  const arn = str(p.Arn);
  if (!name || !arn) return undefined;
  return liveResource(ctx, {
    type: 'aws.iam.instance-profile',
    id: arn,
    nativeName: name,
    config: compact({
      InstanceProfileName: name,
      InstanceProfileId: str(p.InstanceProfileId),
      Arn: arn,
      Path: str(p.Path) ?? '/',
      Roles: (p.Roles ?? []).map((x) => compact({ RoleName: str(x.RoleName), Arn: str(x.Arn) })),
      Tags: tagList(p.Tags),
    }),
  });
}

export interface IdentityResources {
  users: Resource[];
  groups: Resource[];
  roles: Resource[];
  policies: Resource[];
  profiles: Resource[];
}

/** Maps the pages; instance profiles come from the roles that carry them, deduplicated by ARN. */
export function identityResources(ctx: CollectorContext, pages: readonly Page[]): IdentityResources {
  const keep = <T>(items: readonly T[] | undefined, map: (x: T) => Resource | undefined) =>
    (items ?? []).map(map).filter((r): r is Resource => r !== undefined);
  const out: IdentityResources = { users: [], groups: [], roles: [], policies: [], profiles: [] };
  const profiles = new Map<string, Resource>();
  for (const page of pages) {
    out.users.push(...keep(page.UserDetailList, (u) => userResource(ctx, u)));
    out.groups.push(...keep(page.GroupDetailList, (g) => group(ctx, g)));
    out.roles.push(...keep(page.RoleDetailList, (d) => roleResource(ctx, d)));
    out.policies.push(...keep(page.Policies, (p) => policyResource(ctx, p)));
    for (const d of page.RoleDetailList ?? []) {
      for (const p of d.InstanceProfileList ?? []) {
        const r = profileResource(ctx, p);
        if (r && !profiles.has(r.id)) profiles.set(r.id, r);
      }
    }
  }
  out.profiles = [...profiles.values()];
  return out;
}
