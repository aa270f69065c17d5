import {
  DescribeKeyPairsCommand,
  EC2Client,
  type Instance,
  type KeyPairInfo,
  paginateDescribeInstances,
  type Volume,
} from '@aws-sdk/client-ec2';
import type { Resource } from '../../../../model/resource.js';
import { arn, liveResource, plainObject, recordError } from '../../resource.js';
import type { AwsCallError, CollectorContext } from '../../types.js';
import { type Listed, listAll, listOnce } from './list.js';

export const INSTANCE = 'aws.ec2.instance';
export const KEY_PAIR = 'aws.ec2.key-pair';

/** An instance in these states is on its way out (irreversibly): it is not inventory. */
const GONE_STATES = new Set(['shutting-down', 'terminated']);

export function listInstances(ctx: CollectorContext): Promise<Listed<Instance>> {
  const client = ctx.client(EC2Client);
  return listAll(
    ctx,
    'DescribeInstances',
    INSTANCE,
    () => paginateDescribeInstances({ client, pageSize: 1000 }, {}),
    (p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []),
  );
}

/**
 * One instance in the documented shape. The volumes of the same region (one DescribeVolumes, shared
 * with the volume resources) fill each block device's `Encrypted`/`VolumeSize`; when that list could
 * not be read, the mappings are marked unreadable. User data is never requested (it needs a separate
 * DescribeInstanceAttribute call that Warden does not make).
 */
export function instanceResource(
  ctx: CollectorContext,
  inst: Instance,
  volumes: Listed<Volume>,
): Resource | undefined {
  if (!inst.InstanceId) return undefined;
  // AWS lists a terminated instance for about an hour; it has no posture left, so it reads as gone.
  if (GONE_STATES.has(inst.State?.Name ?? '')) return undefined;
  const config = plainObject(inst);
  config.SecurityGroups ??= [];
  config.Tags ??= [];
  const profile = inst.IamInstanceProfile;
  if (profile?.Arn) {
    // The API gives only Arn and Id; the link stage also matches profiles by name.
    config.IamInstanceProfile = { ...plainObject(profile), Name: profile.Arn.split('/').at(-1) };
  }
  const byId = volumes.ok ? new Map(volumes.items.map((v) => [v.VolumeId, v])) : undefined;
  config.BlockDeviceMappings = (inst.BlockDeviceMappings ?? []).map((m) => {
    const entry = plainObject(m);
    const volume = m.Ebs?.VolumeId ? byId?.get(m.Ebs.VolumeId) : undefined;
    if (volume && entry.Ebs && typeof entry.Ebs === 'object') {
      Object.assign(entry.Ebs, { Encrypted: volume.Encrypted === true, VolumeSize: volume.Size });
    }
    return entry;
  });
  const r = liveResource(ctx, {
    type: INSTANCE,
    id: arn(ctx, 'ec2', `instance/${inst.InstanceId}`),
    nativeName: inst.InstanceId,
    config,
  });
  if (!volumes.ok && (inst.BlockDeviceMappings?.length ?? 0) > 0) {
    recordError(r, 'BlockDeviceMappings', volumes.error as AwsCallError);
  }
  return r;
}

export function listKeyPairs(ctx: CollectorContext): Promise<Listed<KeyPairInfo>> {
  const client = ctx.client(EC2Client);
  // DescribeKeyPairs is not paginated: one call answers for the region.
  return listOnce(
    ctx,
    'DescribeKeyPairs',
    KEY_PAIR,
    async () => (await client.send(new DescribeKeyPairsCommand({}))).KeyPairs,
  );
}

export function keyPairResource(ctx: CollectorContext, k: KeyPairInfo): Resource | undefined {
  const id = k.KeyPairId ?? k.KeyName;
  if (!id) return undefined;
  const config = plainObject(k);
  config.Tags ??= [];
  return liveResource(ctx, {
    type: KEY_PAIR,
    id: arn(ctx, 'ec2', `key-pair/${id}`),
    nativeName: k.KeyName ?? id,
    config,
  });
}
