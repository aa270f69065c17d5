import {
  type Address,
  DescribeAddressesCommand,
  EC2Client,
  type FlowLog,
  paginateDescribeFlowLogs,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  type Vpc,
} from '@aws-sdk/client-ec2';
import type { Resource } from '../../../../model/resource.js';
import { arn, liveResource, plainObject, recordError } from '../../resource.js';
import type { AwsCallError, CollectorContext, CollectorOutput } from '../../types.js';
import { type Listed, listAll, listOnce } from './list.js';

/**
 * VPCs and what hangs off them. Flow logs are read once per region (one DescribeFlowLogs), both as
 * resources of their own and joined into each VPC's `FlowLogs`, never one call per VPC.
 */
interface Kind<T> {
  type: string;
  operation: string;
  list: (ctx: CollectorContext) => Promise<Listed<T>>;
  id: (item: T) => string | undefined;
  arnPath: string;
  /** Native name when there is no Name tag. */
  name?: (item: T) => string | undefined;
  /** Defaults written out so an omitted list never reads as unknown. */
  lists?: string[];
}

function kind<T>(k: Kind<T>): Kind<T> {
  return k;
}

const ec2 = (ctx: CollectorContext) => ctx.client(EC2Client);

const SIMPLE_KINDS = [
  kind({
    type: 'aws.ec2.subnet',
    operation: 'DescribeSubnets',
    list: (ctx) =>
      listAll(
        ctx,
        'DescribeSubnets',
        'aws.ec2.subnet',
        () => paginateDescribeSubnets({ client: ec2(ctx), pageSize: 1000 }, {}),
        (p) => p.Subnets,
      ),
    id: (s) => s.SubnetId,
    arnPath: 'subnet',
  }),
  kind({
    type: 'aws.ec2.route-table',
    operation: 'DescribeRouteTables',
    list: (ctx) =>
      listAll(
        ctx,
        'DescribeRouteTables',
        'aws.ec2.route-table',
        () => paginateDescribeRouteTables({ client: ec2(ctx), pageSize: 100 }, {}),
        (p) => p.RouteTables,
      ),
    id: (t) => t.RouteTableId,
    arnPath: 'route-table',
    lists: ['Routes', 'Associations'],
  }),
  kind({
    type: 'aws.ec2.internet-gateway',
    operation: 'DescribeInternetGateways',
    list: (ctx) =>
      listAll(
        ctx,
        'DescribeInternetGateways',
        'aws.ec2.internet-gateway',
        () => paginateDescribeInternetGateways({ client: ec2(ctx), pageSize: 1000 }, {}),
        (p) => p.InternetGateways,
      ),
    id: (g) => g.InternetGatewayId,
    arnPath: 'internet-gateway',
    lists: ['Attachments'],
  }),
  kind({
    type: 'aws.ec2.nat-gateway',
    operation: 'DescribeNatGateways',
    list: (ctx) =>
      listAll(
        ctx,
        'DescribeNatGateways',
        'aws.ec2.nat-gateway',
        () => paginateDescribeNatGateways({ client: ec2(ctx), pageSize: 1000 }, {}),
        (p) => p.NatGateways,
      ),
    id: (g) => g.NatGatewayId,
    arnPath: 'natgateway',
  }),
  kind({
    type: 'aws.ec2.network-interface',
    operation: 'DescribeNetworkInterfaces',
    list: (ctx) =>
      listAll(
        ctx,
        'DescribeNetworkInterfaces',
        'aws.ec2.network-interface',
        () => paginateDescribeNetworkInterfaces({ client: ec2(ctx), pageSize: 1000 }, {}),
        (p) => p.NetworkInterfaces,
      ),
    id: (n) => n.NetworkInterfaceId,
    arnPath: 'network-interface',
    lists: ['Groups'],
  }),
  kind({
    type: 'aws.ec2.network-acl',
    operation: 'DescribeNetworkAcls',
    list: (ctx) =>
      listAll(
        ctx,
        'DescribeNetworkAcls',
        'aws.ec2.network-acl',
        () => paginateDescribeNetworkAcls({ client: ec2(ctx), pageSize: 1000 }, {}),
        (p) => p.NetworkAcls,
      ),
    id: (a) => a.NetworkAclId,
    arnPath: 'network-acl',
    lists: ['Entries', 'Associations'],
  }),
  kind<Address>({
    type: 'aws.ec2.elastic-ip',
    operation: 'DescribeAddresses',
    // DescribeAddresses has no pagination: one call answers for the region.
    list: (ctx) =>
      listOnce(
        ctx,
        'DescribeAddresses',
        'aws.ec2.elastic-ip',
        async () => (await ec2(ctx).send(new DescribeAddressesCommand({}))).Addresses,
      ),
    id: (a) => a.AllocationId ?? a.PublicIp,
    arnPath: 'elastic-ip',
    name: (a) => a.PublicIp,
  }),
];

export const NETWORK_TYPES = ['aws.ec2.vpc', 'aws.ec2.flow-log', ...SIMPLE_KINDS.map((k) => k.type)] as const;

function toResources<T>(ctx: CollectorContext, k: Kind<T>, items: readonly T[]): Resource[] {
  return items.flatMap((item) => {
    const id = k.id(item);
    if (!id) return [];
    const config = plainObject(item);
    config.Tags ??= [];
    for (const l of k.lists ?? []) config[l] ??= [];
    return [
      liveResource(ctx, {
        type: k.type,
        id: arn(ctx, 'ec2', `${k.arnPath}/${id}`),
        nativeName: k.name?.(item) ?? id,
        config,
      }),
    ];
  });
}

function flowLogEntry(f: FlowLog): Record<string, unknown> {
  return plainObject({
    FlowLogId: f.FlowLogId,
    TrafficType: f.TrafficType,
    LogDestinationType: f.LogDestinationType,
    LogDestination: f.LogDestination,
    FlowLogStatus: f.FlowLogStatus,
  });
}

export async function collectNetwork(
  ctx: CollectorContext,
  wants: ReadonlySet<string>,
): Promise<CollectorOutput> {
  const failures: AwsCallError[] = [];
  const resources: Resource[] = [];
  const skipped = { ok: true as const, items: [] };
  const kinds = SIMPLE_KINDS.filter((k) => wants.has(k.type));
  const wantsVpcs = wants.has('aws.ec2.vpc');
  const [vpcs, flowLogs, ...simple] = await Promise.all([
    wantsVpcs
      ? listAll(
          ctx,
          'DescribeVpcs',
          'aws.ec2.vpc',
          () => paginateDescribeVpcs({ client: ec2(ctx), pageSize: 1000 }, {}),
          (p) => p.Vpcs,
        )
      : Promise.resolve(skipped),
    // Flow logs are read for the VPCs' FlowLogs even when flow-log resources are not wanted.
    wantsVpcs || wants.has('aws.ec2.flow-log')
      ? listAll(
          ctx,
          'DescribeFlowLogs',
          'aws.ec2.flow-log',
          () => paginateDescribeFlowLogs({ client: ec2(ctx), pageSize: 1000 }, {}),
          (p) => p.FlowLogs,
        )
      : Promise.resolve(skipped),
    ...kinds.map((k) => (k.list as (c: CollectorContext) => Promise<Listed<unknown>>)(ctx)),
  ]);
  simple.forEach((listed, i) => {
    const k = kinds[i] as Kind<unknown>;
    if (listed.ok) resources.push(...toResources(ctx, k, listed.items));
    else failures.push(listed.error);
  });
  if (!flowLogs.ok) failures.push(flowLogs.error);
  else if (wants.has('aws.ec2.flow-log')) resources.push(...flowLogResources(ctx, flowLogs.items));
  if (!vpcs.ok) {
    failures.push(vpcs.error);
    return { resources, failures };
  }
  resources.push(...vpcResources(ctx, vpcs.items, flowLogs));
  return { resources, failures };
}

export function flowLogResources(ctx: CollectorContext, flowLogs: readonly FlowLog[]): Resource[] {
  return flowLogs.flatMap((f) => {
    if (!f.FlowLogId) return [];
    const config = plainObject(f);
    config.Tags ??= [];
    return [
      liveResource(ctx, {
        type: 'aws.ec2.flow-log',
        id: arn(ctx, 'ec2', `vpc-flow-log/${f.FlowLogId}`),
        nativeName: f.FlowLogId,
        config,
      }),
    ];
  });
}

/** VPCs with their `FlowLogs` joined from a flow-log list that covers them (or why it could not be read). */
export function vpcResources(
  ctx: CollectorContext,
  vpcs: readonly Vpc[],
  flowLogs: Listed<FlowLog>,
): Resource[] {
  return vpcs.flatMap((v) => {
    if (!v.VpcId) return [];
    const config = plainObject(v);
    config.Tags ??= [];
    const r = liveResource(ctx, {
      type: 'aws.ec2.vpc',
      id: arn(ctx, 'ec2', `vpc/${v.VpcId}`),
      nativeName: v.VpcId,
      config,
    });
    if (flowLogs.ok)
      config.FlowLogs = flowLogs.items.filter((f) => f.ResourceId === v.VpcId).map(flowLogEntry);
    // Unreadable is not compliant: the VPC's flow-log policy must say error, not fail or pass.
    else recordError(r, 'FlowLogs', flowLogs.error);
    return [r];
  });
}
