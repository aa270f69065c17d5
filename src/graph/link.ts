import type { Resource } from '../model/resource.js';
import { isObj, type Obj } from '../util/narrow.js';

/**
 * The link stage: after collection and before policy evaluation, resolve the references that
 * policies read through (instance → instance profile → role → managed policy documents). It
 * enriches configs in place with the shapes docs/resource-types.md promises (`IamInstanceProfile.Roles`,
 * `AttachedManagedPolicies[].PolicyDocument`). Live data links by ARN/name; IaC links by the same
 * values when known and by `refs` (Terraform / CloudFormation references) when they are not.
 */
const obj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);

class ResourceIndex {
  private readonly byKey = new Map<string, Resource>();

  add(type: string, key: unknown, resource: Resource): void {
    if (typeof key === 'string' && key !== '') this.byKey.set(`${type}|${key}`, resource);
  }

  get(type: string, key: unknown): Resource | undefined {
    return typeof key === 'string' && key !== '' ? this.byKey.get(`${type}|${key}`) : undefined;
  }

  /**
   * A reference target, looked up within the referring resource's own input (addresses repeat across
   * inputs): exact address, or the block address of a counted instance.
   */
  byAddress(type: string, from: Resource, target: string): Resource | undefined {
    const scope = inputScope(from);
    return this.get(type, scope + target) ?? this.get(type, scope + target.replace(/\[[^\]]*\]$/, ''));
  }
}

/** `infra/prod#` for a resource whose id is `infra/prod#aws_vpc.main`; '' for live resources. */
function inputScope(r: Resource): string {
  if (!r.source.address) return '';
  const i = r.id.lastIndexOf('#');
  return i >= 0 && r.id.slice(i + 1) === r.source.address ? r.id.slice(0, i + 1) : '';
}

const IDENTIFIERS: Record<string, string[]> = {
  'aws.iam.instance-profile': ['Arn', 'InstanceProfileName'],
  'aws.iam.role': ['Arn', 'RoleName'],
  'aws.iam.policy': ['Arn', 'PolicyName'],
  'aws.iam.group': ['Arn', 'GroupName'],
};

function buildIndex(resources: readonly Resource[]): ResourceIndex {
  const index = new ResourceIndex();
  for (const r of resources) {
    const keys = IDENTIFIERS[r.type];
    if (!keys) continue;
    index.add(r.type, r.id, r);
    if (r.source.address) {
      const scope = inputScope(r);
      index.add(r.type, scope + r.source.address, r);
      // A counted block is also reachable by its block address (refs often omit the index).
      index.add(r.type, scope + r.source.address.replace(/\[[^\]]*\]$/, ''), r);
    }
    for (const k of keys) index.add(r.type, r.config[k], r);
  }
  return index;
}

function refTargets(resource: Resource, attribute: string): string[] {
  return (resource.refs ?? []).filter((ref) => ref.attribute === attribute).map((ref) => ref.target);
}

/** Fills `PolicyDocument` of attached managed policies from customer policies in the inventory. */
function resolveAttachedPolicies(identity: Resource, index: ResourceIndex): void {
  const attached = identity.config.AttachedManagedPolicies;
  if (!Array.isArray(attached)) return;
  const pendingRefs = refTargets(identity, 'AttachedManagedPolicies');
  const used = new Set<Resource>();
  for (const entryRaw of attached) {
    const entry = obj(entryRaw);
    if (!entry || entry.PolicyDocument !== undefined) continue;
    let policy = index.get('aws.iam.policy', entry.PolicyArn);
    if (!policy && entry.PolicyArn === undefined) {
      // Before apply the ARN is unknown: take the next referenced policy not matched yet.
      while (!policy && pendingRefs.length > 0) {
        const candidate = index.byAddress('aws.iam.policy', identity, pendingRefs.shift()!);
        if (candidate && !used.has(candidate)) policy = candidate;
      }
    }
    if (policy) {
      used.add(policy);
      if (policy.config.PolicyDocument !== undefined) entry.PolicyDocument = policy.config.PolicyDocument;
      entry.PolicyName ??= policy.config.PolicyName;
    }
  }
}

function resolveProfileRoles(profile: Resource, index: ResourceIndex): Resource[] {
  const roles: Resource[] = [];
  const declared = Array.isArray(profile.config.Roles) ? profile.config.Roles : [];
  for (const entryRaw of declared) {
    const entry = obj(entryRaw);
    const role = index.get('aws.iam.role', entry?.Arn) ?? index.get('aws.iam.role', entry?.RoleName);
    if (role) roles.push(role);
  }
  if (roles.length === 0) {
    for (const target of refTargets(profile, 'Roles')) {
      const role = index.byAddress('aws.iam.role', profile, target);
      if (role) roles.push(role);
    }
  }
  return roles;
}

function resolveInstanceProfile(instance: Resource, index: ResourceIndex): void {
  const profileRef = obj(instance.config.IamInstanceProfile);
  let profile: Resource | undefined;
  if (profileRef) {
    profile =
      index.get('aws.iam.instance-profile', profileRef.Arn) ??
      index.get('aws.iam.instance-profile', profileRef.Name);
  }
  if (!profile) {
    const target = refTargets(instance, 'IamInstanceProfile')[0];
    if (target) profile = index.byAddress('aws.iam.instance-profile', instance, target);
  }
  if (!profile) return;
  const roles = resolveProfileRoles(profile, index);
  const enriched: Obj = { ...(profileRef ?? {}) };
  enriched.Arn ??= profile.config.Arn;
  enriched.Name ??= profile.config.InstanceProfileName;
  if (roles.length > 0) enriched.Roles = roles.map((r) => r.config);
  instance.config.IamInstanceProfile = enriched;
  // The profile was referenced but its value is now known through the link: not unknown any more.
  if (instance.unknown) instance.unknown = instance.unknown.filter((p) => p !== 'IamInstanceProfile');
}

export function linkResources(resources: readonly Resource[]): void {
  const index = buildIndex(resources);
  for (const r of resources) {
    if (r.type === 'aws.iam.role' || r.type === 'aws.iam.user' || r.type === 'aws.iam.group') {
      resolveAttachedPolicies(r, index);
    }
  }
  for (const r of resources) {
    if (r.type === 'aws.ec2.instance') resolveInstanceProfile(r, index);
  }
}
