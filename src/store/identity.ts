import type { Resource } from '../model/resource.js';
import { sha256Hex } from '../util/canonical-json.js';

/**
 * The identifier a resource keeps from plan to live: globally unique names and AWS-generated ids.
 * An IaC resource whose identifier is known (a bucket name, an existing group's id in a state file)
 * and its live twin then share one finding. Names unique only within an account (roles, DB
 * identifiers) are left out: IaC often does not know the account, and two accounts must not merge.
 */
const NATURAL_KEYS: Record<string, string> = {
  'aws.s3.bucket': 'Name',
  'aws.ec2.security-group': 'GroupId',
  'aws.ec2.instance': 'InstanceId',
  'aws.ec2.volume': 'VolumeId',
  'aws.ec2.snapshot': 'SnapshotId',
  'aws.ec2.vpc': 'VpcId',
  'aws.ec2.subnet': 'SubnetId',
  'aws.kms.key': 'KeyId',
};

export function naturalKey(resource: Pick<Resource, 'type' | 'config'>): string | undefined {
  const field = NATURAL_KEYS[resource.type];
  const value = field ? resource.config[field] : undefined;
  return typeof value === 'string' && value !== '' ? `${resource.type}:${value}` : undefined;
}

/**
 * The store's key for a finding: the engine's fingerprint (policy + resource id), unless the
 * resource has a natural key, in which case policy + natural key, so IaC and live agree.
 */
export function findingIdentity(policy: string, fingerprint: string, resource: Resource | undefined): string {
  const key = resource ? naturalKey(resource) : undefined;
  return key ? sha256Hex(`${policy}\n${key}`).slice(0, 32) : fingerprint;
}
