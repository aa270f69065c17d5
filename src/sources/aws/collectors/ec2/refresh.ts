import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { Resource } from '../../../../model/resource.js';
import type { AwsCallError, CollectorContext, CollectorOutput, RefreshTarget } from '../../types.js';
import { INSTANCE, instanceResource } from './instances.js';
import { type Listed, listOnce } from './list.js';
import { SECURITY_GROUP, securityGroupResource } from './security-groups.js';

/** The native id of a touched EC2 resource: its name, or the last ARN segment. */
function nativeId(t: RefreshTarget): string | undefined {
  return t.name ?? t.id?.split('/').at(-1);
}

/** At most this many ids per call (the API's filter value limit is 200). */
const MAX_IDS = 200;

/**
 * Targeted re-reads for watch mode: security groups and instances by id, one Describe call each
 * (plus DescribeVolumes for the instances' block devices). Filters rather than `GroupIds`/`InstanceIds`,
 * so a deleted resource reads as absent instead of failing the whole call with NotFound.
 */
export async function refreshEc2(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
): Promise<CollectorOutput | undefined> {
  const groups: string[] = [];
  const instances: string[] = [];
  for (const t of touched) {
    const id = nativeId(t);
    if (id === undefined) return undefined;
    if (t.type === SECURITY_GROUP) groups.push(id);
    else if (t.type === INSTANCE) instances.push(id);
    else return undefined;
  }
  if (groups.length > MAX_IDS || instances.length > MAX_IDS) return undefined;
  const client = ctx.client(EC2Client);
  const resources: Resource[] = [];
  const failures: AwsCallError[] = [];
  if (groups.length > 0) {
    const listed = await listOnce(ctx, 'DescribeSecurityGroups', SECURITY_GROUP, async () => {
      const out = await client.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: groups }] }),
      );
      return out.SecurityGroups;
    });
    if (!listed.ok) failures.push(listed.error);
    else for (const g of listed.items) push(resources, securityGroupResource(ctx, g));
  }
  if (instances.length > 0) {
    const listed = await listOnce(ctx, 'DescribeInstances', INSTANCE, async () => {
      const out = await client.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: instances }] }),
      );
      return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    });
    if (!listed.ok) failures.push(listed.error);
    else {
      const volumes = await volumesOf(ctx, client, listed.items);
      for (const i of listed.items) push(resources, instanceResource(ctx, i, volumes));
    }
  }
  return { resources, failures };
}

function push(out: Resource[], r: Resource | undefined): void {
  if (r) out.push(r);
}

/** The volumes attached to these instances; no call when they have no EBS block devices. */
async function volumesOf(ctx: CollectorContext, client: EC2Client, instances: Instance[]) {
  const ids = instances.flatMap((i) =>
    (i.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.VolumeId ? [m.Ebs.VolumeId] : [])),
  );
  if (ids.length === 0) return { ok: true, items: [] } as Listed<never>;
  return listOnce(ctx, 'DescribeVolumes', 'aws.ec2.volume', async () => {
    const out = await client.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: ids }] }),
    );
    return out.Volumes;
  });
}
