import { z } from 'zod';
import type { AwsCall } from '../../enforce/types.js';
import type { Resource } from '../../model/resource.js';
import { type RemediationAction, regionOf } from './types.js';

export const PROTECTED_TAG = 'warden:protected';

export function isProtected(r: Resource): boolean {
  return String(r.tags[PROTECTED_TAG] ?? '').toLowerCase() === 'true';
}

const DELETE: Record<string, (r: Resource) => Omit<AwsCall, 'region'>> = {
  'aws.ec2.instance': (r) => ({
    service: 'ec2',
    command: 'TerminateInstances',
    input: { InstanceIds: [String(r.config.InstanceId ?? r.name)] },
  }),
  'aws.s3.bucket': (r) => ({
    service: 's3',
    command: 'DeleteBucket',
    input: { Bucket: String(r.config.Name ?? r.name) },
  }),
  'aws.ec2.volume': (r) => ({
    service: 'ec2',
    command: 'DeleteVolume',
    input: { VolumeId: String(r.config.VolumeId ?? r.name) },
  }),
  'aws.ec2.snapshot': (r) => ({
    service: 'ec2',
    command: 'DeleteSnapshot',
    input: { SnapshotId: String(r.config.SnapshotId ?? r.name) },
  }),
  'aws.ec2.security-group': (r) => ({
    service: 'ec2',
    command: 'DeleteSecurityGroup',
    input: { GroupId: String(r.config.GroupId ?? r.name) },
  }),
  'aws.rds.snapshot': (r) => ({
    service: 'rds',
    command: 'DeleteDBSnapshot',
    input: { DBSnapshotIdentifier: String(r.config.DBSnapshotIdentifier ?? r.name) },
  }),
};

const options = z.object({ type: z.literal('terminate') }).strict();

/**
 * Deletes or terminates the resource. Destructive: the runner needs `--apply` and `--confirm`, and a
 * resource tagged warden:protected=true is never touched.
 */
export const terminate: RemediationAction<z.infer<typeof options>> = {
  type: 'terminate',
  resourceTypes: Object.keys(DELETE),
  destructive: true,
  options,
  plan(r) {
    if (isProtected(r)) return { refused: `protected (${PROTECTED_TAG}=true)` };
    const make = DELETE[r.type];
    if (!make) return { refused: `cannot terminate ${r.type}` };
    return { calls: [{ ...make(r), region: regionOf(r) }] };
  },
};
