import { UNKNOWN } from '../../model/unknown.js';
import { appendTo, cloneMarked, type Draft, type DraftIndex } from './draft.js';
import { isRecord } from './template.js';

/**
 * Facts one resource takes from another once every draft exists: what a Ref'd managed policy
 * contains, which profiles hold a role, whether a subnet maps public IPs, a cluster's encryption.
 */
export function linkDrafts(index: DraftIndex): void {
  for (const draft of index.all()) {
    switch (draft.type) {
      case 'aws.iam.role':
      case 'aws.iam.user':
      case 'aws.iam.group':
        fillManagedPolicies(draft, index);
        break;
      case 'aws.iam.instance-profile':
        linkProfileRoles(draft, index);
        break;
      case 'aws.ec2.instance':
        linkInstanceSubnet(draft, index);
        break;
      case 'aws.rds.instance':
        linkClusterEncryption(draft, index);
        break;
    }
  }
}

function fillManagedPolicies(draft: Draft, index: DraftIndex): void {
  const attached = draft.config.AttachedManagedPolicies;
  if (!Array.isArray(attached)) return;
  for (const hit of draft.hits) {
    const position = hit.path[1];
    if (hit.path[0] !== 'ManagedPolicyArns' || typeof position !== 'number') continue;
    const policy = index.get(hit.target, 'aws.iam.policy');
    const entry: unknown = attached[position];
    if (!policy || !isRecord(entry)) continue;
    entry.PolicyName = policy.config.PolicyName;
    entry.PolicyDocument = cloneMarked(policy.config.PolicyDocument);
  }
}

function linkProfileRoles(profile: Draft, index: DraftIndex): void {
  const roles = new Set<Draft>();
  for (const hit of profile.hits) {
    const role = hit.path[0] === 'Roles' ? index.get(hit.target, 'aws.iam.role') : undefined;
    if (role) roles.add(role);
  }
  const listed = profile.config.Roles;
  for (const entry of Array.isArray(listed) ? listed : []) {
    const name = isRecord(entry) ? entry.RoleName : undefined;
    const role = typeof name === 'string' ? index.byName('aws.iam.role', 'RoleName', name) : undefined;
    if (role) roles.add(role);
  }
  const profileName = profile.config.InstanceProfileName;
  for (const role of roles) {
    appendTo(
      role,
      'InstanceProfileList',
      typeof profileName === 'string' ? { InstanceProfileName: profileName } : {},
    );
    role.refs.push({ attribute: 'InstanceProfileList', target: profile.logicalId });
  }
}

function linkInstanceSubnet(instance: Draft, index: DraftIndex): void {
  if (instance.config.AssociatePublicIpAddress !== undefined) return;
  const subnetHit = instance.hits.find(
    (hit) =>
      hit.path[0] === 'SubnetId' || (hit.path[0] === 'NetworkInterfaces' && hit.path[2] === 'SubnetId'),
  );
  const subnet = subnetHit ? index.get(subnetHit.target, 'aws.ec2.subnet') : undefined;
  instance.config.AssociatePublicIpAddress = subnet ? subnet.config.MapPublicIpOnLaunch : UNKNOWN;
}

function linkClusterEncryption(dbInstance: Draft, index: DraftIndex): void {
  const hit = dbInstance.hits.find((h) => h.path[0] === 'DBClusterIdentifier');
  const name = dbInstance.config.DBClusterIdentifier;
  const cluster = hit
    ? index.get(hit.target, 'aws.rds.cluster')
    : typeof name === 'string'
      ? index.byName('aws.rds.cluster', 'DBClusterIdentifier', name)
      : undefined;
  if (!cluster) return;
  dbInstance.config.StorageEncrypted = cluster.config.StorageEncrypted;
  dbInstance.config.KmsKeyId = cluster.config.KmsKeyId;
}
