import { firstKnown, ifKnown, pushUnique } from '../config.js';
import { isMarker, type Marker } from '../markers.js';
import type { JoinSpec, ResourceSpec, TypeTable } from '../types.js';
import { blocks, bool, mapList, num, str, strList, type Values } from '../values.js';

function vpcSpec(isDefault: boolean): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.ec2.vpc',
    nameKey: 'VpcId',
    translate: (v) => ({
      VpcId: str(v.id),
      CidrBlock: str(v.cidr_block),
      IsDefault: isDefault,
      InstanceTenancy: str(v.instance_tenancy) ?? 'default',
      FlowLogs: [],
    }),
  };
}

function subnetSpec(isDefault: boolean): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.ec2.subnet',
    nameKey: 'SubnetId',
    refs: { vpc_id: 'VpcId' },
    translate: (v) => ({
      SubnetId: str(v.id),
      VpcId: str(v.vpc_id),
      CidrBlock: str(v.cidr_block),
      Ipv6CidrBlock: str(v.ipv6_cidr_block),
      AvailabilityZone: str(v.availability_zone),
      // Default subnets launch with public IPs; others do not unless asked.
      MapPublicIpOnLaunch: bool(v.map_public_ip_on_launch, isDefault),
      DefaultForAz: isDefault,
    }),
  };
}

/** Route fields of `route` blocks and of `aws_route` resources (which prefix the destination). */
function route(r: Values, prefix: '' | 'destination_'): Record<string, unknown> {
  return {
    DestinationCidrBlock: str(r[`${prefix}cidr_block`]),
    DestinationIpv6CidrBlock: str(r[`${prefix}ipv6_cidr_block`]),
    DestinationPrefixListId: str(r.destination_prefix_list_id),
    GatewayId: firstKnown(str(r.gateway_id), str(r.vpc_endpoint_id)),
    NatGatewayId: str(r.nat_gateway_id),
    TransitGatewayId: str(r.transit_gateway_id),
    VpcPeeringConnectionId: str(r.vpc_peering_connection_id),
    NetworkInterfaceId: str(r.network_interface_id),
    EgressOnlyInternetGatewayId: str(r.egress_only_gateway_id),
  };
}

function routeTableSpec(main: boolean): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.ec2.route-table',
    nameKey: 'RouteTableId',
    refs: { route: 'Routes', vpc_id: 'VpcId', default_route_table_id: 'RouteTableId' },
    translate: (v) => ({
      RouteTableId: str(v.id),
      VpcId: str(v.vpc_id),
      Routes: mapList(v.route, (r) => route(r as Values, '')),
      Associations: main ? [{ Main: true }] : [],
    }),
  };
}

const NACL_PROTOCOLS: Record<string, string> = {
  all: '-1',
  '-1': '-1',
  tcp: '6',
  udp: '17',
  icmp: '1',
  icmpv6: '58',
};

function naclProtocol(value: unknown): string | Marker | undefined {
  const p = str(value);
  if (p === undefined || isMarker(p)) return p;
  return NACL_PROTOCOLS[p.toLowerCase()] ?? p;
}

function naclEntry(r: Values, egress: unknown): Record<string, unknown> {
  const Protocol = naclProtocol(r.protocol);
  const carriesPorts = Protocol === '6' || Protocol === '17' || isMarker(Protocol);
  const action = str(r.action ?? r.rule_action);
  return {
    RuleNumber: num(r.rule_no ?? r.rule_number),
    Protocol,
    RuleAction: typeof action === 'string' ? action.toLowerCase() : action,
    Egress: egress,
    CidrBlock: str(r.cidr_block),
    Ipv6CidrBlock: str(r.ipv6_cidr_block),
    PortRange: carriesPorts ? { From: num(r.from_port), To: num(r.to_port) } : undefined,
    IcmpTypeCode:
      Protocol === '1' || Protocol === '58' ? { Type: num(r.icmp_type), Code: num(r.icmp_code) } : undefined,
  };
}

/** Every network ACL ends with these; DescribeNetworkAcls lists them. */
const DEFAULT_DENY = [false, true].map((egress) => ({
  RuleNumber: 32767,
  Protocol: '-1',
  RuleAction: 'deny',
  Egress: egress,
  CidrBlock: '0.0.0.0/0',
}));

function naclEntries(ingress: unknown, egress: unknown): unknown[] {
  const out: unknown[] = [];
  for (const [rules, isEgress] of [
    [ingress, false],
    [egress, true],
  ] as const) {
    const list = blocks(rules);
    if (isMarker(list)) out.push(list);
    else for (const r of list) out.push(isMarker(r) ? r : naclEntry(r, isEgress));
  }
  return [...out, ...DEFAULT_DENY.map((e) => ({ ...e }))];
}

function naclSpec(isDefault: boolean): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.ec2.network-acl',
    nameKey: 'NetworkAclId',
    refs: { vpc_id: 'VpcId', subnet_ids: 'Associations', ingress: 'Entries', egress: 'Entries' },
    translate: (v) => ({
      NetworkAclId: str(v.id),
      VpcId: str(v.vpc_id),
      IsDefault: isDefault,
      Entries: naclEntries(v.ingress, v.egress),
      Associations: mapList(strList(v.subnet_ids), (s) => ({ SubnetId: s })),
    }),
  };
}

function flowLogTarget(v: Values): unknown {
  return firstKnown(
    str(v.vpc_id),
    str(v.subnet_id),
    str(v.eni_id),
    str(v.transit_gateway_id),
    str(v.transit_gateway_attachment_id),
  );
}

const flowLog: ResourceSpec = {
  provider: 'aws',
  type: 'aws.ec2.flow-log',
  nameKey: 'FlowLogId',
  refs: {
    vpc_id: 'ResourceId',
    subnet_id: 'ResourceId',
    eni_id: 'ResourceId',
    log_destination: 'LogDestination',
    log_group_name: 'LogDestination',
    iam_role_arn: 'DeliverLogsPermissionArn',
  },
  translate: (v) => ({
    FlowLogId: str(v.id),
    ResourceId: flowLogTarget(v),
    TrafficType: str(v.traffic_type) ?? 'ALL',
    LogDestinationType: str(v.log_destination_type) ?? 'cloud-watch-logs',
    LogDestination: firstKnown(str(v.log_destination), str(v.log_group_name)),
    DeliverLogsPermissionArn: str(v.iam_role_arn),
    MaxAggregationInterval: num(v.max_aggregation_interval, 600),
  }),
};

const VPCS = ['aws_vpc', 'aws_default_vpc'] as const;
const ROUTE_TABLES = ['aws_route_table', 'aws_default_route_table'] as const;
const NACLS = ['aws_network_acl', 'aws_default_network_acl'] as const;

const flowLogJoin: JoinSpec = {
  parents: VPCS,
  via: 'vpc_id',
  refAttr: 'FlowLogs',
  apply: (parent, v) => {
    // A planned flow log's id is unknown but decides nothing: left out rather than making the
    // whole list undecided for "does this VPC log its flows".
    pushUnique(parent.config, 'FlowLogs', [
      {
        FlowLogId: ifKnown(str(v.id)),
        TrafficType: str(v.traffic_type) ?? 'ALL',
        LogDestinationType: str(v.log_destination_type) ?? 'cloud-watch-logs',
        FlowLogStatus: 'ACTIVE',
      },
    ]);
  },
};

const internetGateway: ResourceSpec = {
  provider: 'aws',
  type: 'aws.ec2.internet-gateway',
  nameKey: 'InternetGatewayId',
  refs: { vpc_id: 'Attachments' },
  translate: (v) => {
    const vpc = str(v.vpc_id);
    return {
      InternetGatewayId: str(v.id),
      OwnerId: str(v.owner_id),
      Attachments: vpc === undefined ? [] : [{ VpcId: vpc, State: 'available' }],
    };
  },
};

const natGateway: ResourceSpec = {
  provider: 'aws',
  type: 'aws.ec2.nat-gateway',
  nameKey: 'NatGatewayId',
  refs: { subnet_id: 'SubnetId', allocation_id: 'NatGatewayAddresses' },
  translate: (v) => ({
    NatGatewayId: str(v.id),
    SubnetId: str(v.subnet_id),
    ConnectivityType: str(v.connectivity_type) ?? 'public',
    NatGatewayAddresses: [
      { AllocationId: str(v.allocation_id), PublicIp: str(v.public_ip), PrivateIp: str(v.private_ip) },
    ],
  }),
};

export const NETWORK_TYPES: TypeTable = {
  aws_vpc: { resource: vpcSpec(false) },
  aws_default_vpc: { resource: vpcSpec(true) },
  aws_subnet: { resource: subnetSpec(false) },
  aws_default_subnet: { resource: subnetSpec(true), readBack: ['map_public_ip_on_launch'] },
  aws_route_table: { resource: routeTableSpec(false), readBack: ['route', 'propagating_vgws'] },
  aws_default_route_table: { resource: routeTableSpec(true), readBack: ['route', 'propagating_vgws'] },
  aws_route: {
    joins: [
      {
        parents: ROUTE_TABLES,
        via: 'route_table_id',
        refAttr: 'Routes',
        apply: (parent, v) => pushUnique(parent.config, 'Routes', [route(v, 'destination_')]),
      },
    ],
  },
  aws_route_table_association: {
    joins: [
      {
        parents: ROUTE_TABLES,
        via: 'route_table_id',
        refAttr: 'Associations',
        apply: (parent, v) =>
          pushUnique(parent.config, 'Associations', [
            {
              RouteTableAssociationId: ifKnown(str(v.id)),
              SubnetId: str(v.subnet_id),
              GatewayId: str(v.gateway_id),
              Main: false,
            },
          ]),
      },
    ],
  },
  aws_main_route_table_association: {
    joins: [
      {
        parents: ROUTE_TABLES,
        via: 'route_table_id',
        refAttr: 'Associations',
        apply: (parent) => pushUnique(parent.config, 'Associations', [{ Main: true }]),
      },
    ],
  },
  aws_internet_gateway: { resource: internetGateway },
  aws_internet_gateway_attachment: {
    joins: [
      {
        parents: ['aws_internet_gateway'],
        via: 'internet_gateway_id',
        refAttr: 'Attachments',
        apply: (parent, v) =>
          pushUnique(parent.config, 'Attachments', [{ VpcId: str(v.vpc_id), State: 'available' }]),
      },
    ],
  },
  aws_nat_gateway: { resource: natGateway },
  aws_network_acl: { resource: naclSpec(false), readBack: ['ingress', 'egress', 'subnet_ids'] },
  aws_default_network_acl: { resource: naclSpec(true), readBack: ['ingress', 'egress', 'subnet_ids'] },
  aws_network_acl_rule: {
    joins: [
      {
        parents: NACLS,
        via: 'network_acl_id',
        refAttr: 'Entries',
        apply: (parent, v) => pushUnique(parent.config, 'Entries', [naclEntry(v, bool(v.egress, false))]),
      },
    ],
  },
  aws_network_acl_association: {
    joins: [
      {
        parents: NACLS,
        via: 'network_acl_id',
        refAttr: 'Associations',
        apply: (parent, v) => pushUnique(parent.config, 'Associations', [{ SubnetId: str(v.subnet_id) }]),
      },
    ],
  },
  aws_flow_log: { resource: flowLog, joins: [flowLogJoin] },
};
