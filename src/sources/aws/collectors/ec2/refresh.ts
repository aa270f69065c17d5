import {
  DescribeFlowLogsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Filter,
  type FlowLog,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { Resource } from '../../../../model/resource.js';
import type { AwsCallError, CollectorContext, CollectorOutput, RefreshTarget } from '../../types.js';
import { INSTANCE, instanceResource } from './instances.js';
import { type Listed, listOnce } from './list.js';
import { flowLogResources, vpcResources } from './network.js';
import { SECURITY_GROUP, securityGroupResource } from './security-groups.js';
import { IMAGE, imagesOf, SNAPSHOT, snapshotsOf, VOLUME, volumeResources } from './storage.js';

const VPC = 'aws.ec2.vpc';
const FLOW_LOG = 'aws.ec2.flow-log';

/** The native id of a touched EC2 resource: its name, or the last ARN segment. */
function nativeId(t: RefreshTarget): string | undefined {
  return t.name ?? t.id?.split('/').at(-1);
}

/** At most this many ids per call (the API's filter value limit is 200). */
const MAX_IDS = 200;

/** Touched ids per type; `all` for a type touched without ids (every VPC of the region). */
type Wanted = Map<string, string[] | 'all'>;

function wanted(touched: readonly RefreshTarget[]): Wanted | undefined {
  const out: Wanted = new Map();
  for (const t of touched) {
    if (![SECURITY_GROUP, INSTANCE, VOLUME, SNAPSHOT, IMAGE, VPC, FLOW_LOG].includes(t.type))
      return undefined;
    const id = nativeId(t);
    const had = out.get(t.type);
    // Only VPCs have a cheap "all of them" read (DeleteFlowLogs does not name its VPC).
    if (id === undefined) {
      if (t.type !== VPC) return undefined;
      out.set(t.type, 'all');
    } else if (had !== 'all') out.set(t.type, [...(had ?? []), id]);
  }
  for (const ids of out.values()) if (ids !== 'all' && ids.length > MAX_IDS) return undefined;
  return out;
}

const byId = (name: string, ids: readonly string[]): Filter[] => [{ Name: name, Values: [...ids] }];

/**
 * Targeted re-reads for watch mode, one Describe call per touched type with an id filter (plus the
 * enrichment the full collection makes for those resources: the instances' volumes, a snapshot's or
 * image's sharing attribute, the VPCs' flow logs). Filters rather than `GroupIds`/`InstanceIds`, so a
 * deleted resource reads as absent instead of failing the whole call with NotFound.
 */
export async function refreshEc2(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
): Promise<CollectorOutput | undefined> {
  const w = wanted(touched);
  if (!w) return undefined;
  const client = ctx.client(EC2Client);
  const resources: Resource[] = [];
  const failures: AwsCallError[] = [];
  const ids = (type: string) => w.get(type) as string[] | undefined;
  const read = async <T>(
    operation: string,
    type: string,
    call: () => Promise<readonly T[] | undefined>,
    build: (items: T[]) => Promise<Resource[]> | Resource[],
  ) => {
    const listed = await listOnce(ctx, operation, type, call);
    if (!listed.ok) failures.push(listed.error);
    else resources.push(...(await build(listed.items)));
  };
  const jobs: Promise<void>[] = [];
  const groups = ids(SECURITY_GROUP);
  if (groups)
    jobs.push(
      read(
        'DescribeSecurityGroups',
        SECURITY_GROUP,
        async () =>
          (await client.send(new DescribeSecurityGroupsCommand({ Filters: byId('group-id', groups) })))
            .SecurityGroups,
        (items) => items.flatMap((g) => securityGroupResource(ctx, g) ?? []),
      ),
    );
  const instances = ids(INSTANCE);
  if (instances)
    jobs.push(
      read(
        'DescribeInstances',
        INSTANCE,
        async () =>
          (
            await client.send(new DescribeInstancesCommand({ Filters: byId('instance-id', instances) }))
          ).Reservations?.flatMap((r) => r.Instances ?? []),
        async (items) => {
          const volumes = await volumesOf(ctx, client, items);
          return items.flatMap((i) => instanceResource(ctx, i, volumes) ?? []);
        },
      ),
    );
  const volumes = ids(VOLUME);
  if (volumes)
    jobs.push(
      read(
        'DescribeVolumes',
        VOLUME,
        async () =>
          (await client.send(new DescribeVolumesCommand({ Filters: byId('volume-id', volumes) }))).Volumes,
        (items) => volumeResources(ctx, items),
      ),
    );
  const snapshots = ids(SNAPSHOT);
  if (snapshots)
    jobs.push(
      read(
        'DescribeSnapshots',
        SNAPSHOT,
        async () =>
          (
            await client.send(
              new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: byId('snapshot-id', snapshots) }),
            )
          ).Snapshots,
        (items) => snapshotsOf(ctx, items),
      ),
    );
  const images = ids(IMAGE);
  if (images)
    jobs.push(
      read(
        'DescribeImages',
        IMAGE,
        async () =>
          (
            await client.send(
              new DescribeImagesCommand({ Owners: ['self'], Filters: byId('image-id', images) }),
            )
          ).Images,
        (items) => imagesOf(ctx, items),
      ),
    );
  if (w.has(VPC) || w.has(FLOW_LOG)) jobs.push(refreshNetwork(ctx, client, w, resources, failures));
  await Promise.all(jobs);
  return { resources, failures };
}

/**
 * VPCs (by id, or every one of the region) with their flow logs, and flow logs by id. One
 * DescribeFlowLogs serves both when every VPC is read; otherwise the VPCs' flow logs are filtered by
 * resource id and touched flow logs by their own id (filters are ANDed: one call cannot do both).
 */
async function refreshNetwork(
  ctx: CollectorContext,
  client: EC2Client,
  w: Wanted,
  resources: Resource[],
  failures: AwsCallError[],
): Promise<void> {
  const vpcs = w.get(VPC);
  const flowLogIds = w.get(FLOW_LOG) as string[] | undefined;
  const flowLogs = (filters: Filter[] | undefined) =>
    listOnce(ctx, 'DescribeFlowLogs', FLOW_LOG, async () => {
      const out: FlowLog[] = [];
      let token: string | undefined;
      for (let page = 0; page < 1000; page++) {
        const res = await client.send(
          new DescribeFlowLogsCommand({
            ...(filters ? { Filter: filters } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
        );
        out.push(...(res.FlowLogs ?? []));
        token = res.NextToken;
        if (!token) break;
      }
      return out;
    });
  const everything = vpcs === 'all' ? flowLogs(undefined) : undefined;
  const [listedVpcs, vpcLogs, ownLogs] = await Promise.all([
    vpcs
      ? listOnce(ctx, 'DescribeVpcs', VPC, async () => {
          const input = vpcs === 'all' ? {} : { Filters: byId('vpc-id', vpcs) };
          return (await client.send(new DescribeVpcsCommand(input))).Vpcs;
        })
      : undefined,
    vpcs === 'all' ? everything : vpcs ? flowLogs(byId('resource-id', vpcs)) : undefined,
    flowLogIds ? (everything ?? flowLogs(byId('flow-log-id', flowLogIds))) : undefined,
  ]);
  if (listedVpcs && !listedVpcs.ok) failures.push(listedVpcs.error);
  else if (listedVpcs && vpcLogs) resources.push(...vpcResources(ctx, listedVpcs.items, vpcLogs));
  if (flowLogIds && ownLogs) {
    if (!ownLogs.ok) failures.push(ownLogs.error);
    else
      resources.push(
        ...flowLogResources(
          ctx,
          ownLogs.items.filter((f) => flowLogIds.includes(f.FlowLogId ?? '')),
        ),
      );
  }
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
