import { isUnknown, UNKNOWN } from '../../../model/unknown.js';
import {
  appendTo,
  type Draft,
  type DraftIndex,
  inheritRefs,
  type JoinSpec,
  parentsOf,
  type TypeSpec,
} from '../draft.js';
import { orDefault, type Props } from '../props.js';

export const vpc: TypeSpec = {
  type: 'aws.ec2.vpc',
  translate(props) {
    return {
      VpcId: UNKNOWN,
      // An IPAM-allocated VPC gets its block at deploy time.
      CidrBlock: props.str('CidrBlock') ?? UNKNOWN,
      IsDefault: false,
      InstanceTenancy: orDefault(props.str('InstanceTenancy'), 'default'),
      FlowLogs: [],
    };
  },
};

export const subnet: TypeSpec = {
  type: 'aws.ec2.subnet',
  translate(props) {
    return {
      SubnetId: UNKNOWN,
      VpcId: props.str('VpcId'),
      CidrBlock: props.str('CidrBlock') ?? UNKNOWN,
      AvailabilityZone: props.str('AvailabilityZone') ?? UNKNOWN,
      MapPublicIpOnLaunch: orDefault(props.bool('MapPublicIpOnLaunch'), false),
    };
  },
};

export const routeTable: TypeSpec = {
  type: 'aws.ec2.route-table',
  translate(props) {
    return { RouteTableId: UNKNOWN, VpcId: props.str('VpcId'), Routes: [], Associations: [] };
  },
};

const ROUTE_FIELDS = [
  'DestinationCidrBlock',
  'DestinationIpv6CidrBlock',
  'DestinationPrefixListId',
  'GatewayId',
  'NatGatewayId',
  'VpcPeeringConnectionId',
  'TransitGatewayId',
  'InstanceId',
  'NetworkInterfaceId',
  'EgressOnlyInternetGatewayId',
  'VpcEndpointId',
  'CarrierGatewayId',
  'LocalGatewayId',
];

/** A join of one sub-resource into the parents it names in `parentKey`, as one list item. */
function joinItem(
  parentKey: string,
  parentType: string,
  listKey: string,
  item: (props: Props) => unknown,
): JoinSpec {
  return (props: Props, index: DraftIndex) => {
    const parents = parentsOf(props, index, parentKey, parentType);
    for (const parent of parents) {
      appendTo(parent, listKey, item(props));
      inheritRefs(parent, props, listKey);
    }
    return parents.length;
  };
}

/** AWS::EC2::Route → the route table's `Routes`. */
export const route = joinItem('RouteTableId', routeTable.type, 'Routes', (props) => {
  const out: Record<string, unknown> = { State: 'active' };
  for (const field of ROUTE_FIELDS) out[field] = props.str(field);
  return out;
});

/** AWS::EC2::SubnetRouteTableAssociation → the route table's `Associations`. */
export const subnetRouteTableAssociation = joinItem(
  'RouteTableId',
  routeTable.type,
  'Associations',
  (props) => ({
    SubnetId: props.str('SubnetId'),
    Main: false,
  }),
);

export const internetGateway: TypeSpec = {
  type: 'aws.ec2.internet-gateway',
  translate() {
    return { InternetGatewayId: UNKNOWN, Attachments: [] };
  },
};

/** AWS::EC2::VPCGatewayAttachment → the internet gateway's `Attachments`. */
export const gatewayAttachment = joinItem(
  'InternetGatewayId',
  internetGateway.type,
  'Attachments',
  (props) => ({
    VpcId: props.str('VpcId'),
    State: 'available',
  }),
);

export const natGateway: TypeSpec = {
  type: 'aws.ec2.nat-gateway',
  translate(props) {
    return {
      NatGatewayId: UNKNOWN,
      SubnetId: props.str('SubnetId'),
      VpcId: UNKNOWN,
      ConnectivityType: orDefault(props.str('ConnectivityType'), 'public'),
    };
  },
};

/** Every network ACL ends with a deny-all rule per direction that cannot be removed. */
function defaultDeny(egress: boolean): Record<string, unknown> {
  return { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' };
}

export const networkAcl: TypeSpec = {
  type: 'aws.ec2.network-acl',
  translate(props) {
    return {
      NetworkAclId: UNKNOWN,
      VpcId: props.str('VpcId'),
      IsDefault: false,
      Entries: [defaultDeny(false), defaultDeny(true)],
      Associations: [],
    };
  },
};

function ruleOrder(entry: unknown): number {
  const rule =
    typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).RuleNumber : undefined;
  return typeof rule === 'number' ? rule : Number.MAX_SAFE_INTEGER;
}

/** AWS::EC2::NetworkAclEntry → the ACL's `Entries`, kept in rule-number order as the API lists them. */
export const networkAclEntry: JoinSpec = (props: Props, index: DraftIndex) => {
  const parents = parentsOf(props, index, 'NetworkAclId', networkAcl.type);
  const range = props.obj('PortRange');
  const action = props.str('RuleAction');
  const entry = {
    RuleNumber: props.num('RuleNumber'),
    Protocol: props.str('Protocol'),
    RuleAction: typeof action === 'string' ? action.toLowerCase() : action,
    Egress: orDefault(props.bool('Egress'), false),
    CidrBlock: props.str('CidrBlock'),
    Ipv6CidrBlock: props.str('Ipv6CidrBlock'),
    PortRange:
      range === undefined || isUnknown(range)
        ? range
        : {
            From: props.toNum(range.From, 'PortRange.From', 'PortRange'),
            To: props.toNum(range.To, 'PortRange.To', 'PortRange'),
          },
  };
  for (const parent of parents) {
    appendTo(parent, 'Entries', { ...entry });
    sortEntries(parent);
    inheritRefs(parent, props, 'Entries');
  }
  return parents.length;
};

function sortEntries(parent: Draft): void {
  const entries = parent.config.Entries;
  if (Array.isArray(entries)) entries.sort((a, b) => ruleOrder(a) - ruleOrder(b));
}

/** AWS::EC2::SubnetNetworkAclAssociation → the ACL's `Associations`. */
export const subnetNetworkAclAssociation = joinItem(
  'NetworkAclId',
  networkAcl.type,
  'Associations',
  (props) => ({
    SubnetId: props.str('SubnetId'),
  }),
);

export const flowLog: TypeSpec = {
  type: 'aws.ec2.flow-log',
  translate(props) {
    return {
      FlowLogId: UNKNOWN,
      ResourceId: props.str('ResourceId'),
      ResourceType: props.str('ResourceType'),
      TrafficType: props.str('TrafficType'),
      LogDestinationType: orDefault(props.str('LogDestinationType'), 'cloud-watch-logs'),
      LogDestination: props.str('LogDestination'),
      LogGroupName: props.str('LogGroupName'),
      DeliverLogsPermissionArn: props.str('DeliverLogsPermissionArn'),
      FlowLogStatus: 'ACTIVE',
    };
  },
};

/** AWS::EC2::FlowLog on a VPC → also the VPC's `FlowLogs` (the flow log stays a resource too). */
export const flowLogToVpc: JoinSpec = (props: Props, index: DraftIndex) => {
  if (props.str('ResourceType') !== 'VPC') return 0;
  const parents = parentsOf(props, index, 'ResourceId', vpc.type);
  for (const parent of parents) {
    appendTo(parent, 'FlowLogs', {
      TrafficType: props.str('TrafficType'),
      LogDestinationType: orDefault(props.str('LogDestinationType'), 'cloud-watch-logs'),
      FlowLogStatus: 'ACTIVE',
    });
    parent.refs.push({ attribute: 'FlowLogs', target: props.logicalId });
  }
  return parents.length;
};
