import { isUnknown, UNKNOWN, type Unknown } from '../../../model/unknown.js';
import {
  appendTo,
  cloneMarked,
  type DraftIndex,
  inheritRefs,
  type JoinSpec,
  parentsOf,
  type TypeSpec,
} from '../draft.js';
import type { Maybe, Props } from '../props.js';
import { mapList, orGenerated } from './common.js';

const PROTOCOL_NAMES: Record<string, string> = {
  '-1': '-1',
  all: '-1',
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
};

/** The API's spelling: names in lower case, `-1` for all, well-known numbers as names. */
function protocol(value: Maybe<string>): string | Unknown | undefined {
  if (value === undefined || isUnknown(value)) return value;
  const lower = value.toLowerCase();
  return PROTOCOL_NAMES[lower] ?? lower;
}

/**
 * One CloudFormation rule (inline or a SecurityGroupIngress/Egress resource) → one IpPermission.
 * The API merges rules sharing a port range; one permission per rule is equivalent for policies.
 */
function permission(
  props: Props,
  rule: Record<string, unknown>,
  label: string,
  egress: boolean,
  key?: string,
) {
  const str = (name: string) => props.toStr(rule[name], `${label}.${name}`, key);
  const ipProtocol = protocol(str('IpProtocol'));
  if (ipProtocol === undefined) return props.fail(`${label}.IpProtocol is required`, key);
  const description = str('Description');
  const cidr = str('CidrIp');
  const cidrV6 = str('CidrIpv6');
  const groupId = str(egress ? 'DestinationSecurityGroupId' : 'SourceSecurityGroupId');
  const groupName = egress ? undefined : str('SourceSecurityGroupName');
  const prefixList = str(egress ? 'DestinationPrefixListId' : 'SourcePrefixListId');
  const ownerId = egress ? undefined : str('SourceSecurityGroupOwnerId');
  // The API leaves ports out for "all protocols".
  const ports =
    ipProtocol === '-1'
      ? {}
      : {
          FromPort: props.toNum(rule.FromPort, `${label}.FromPort`, key),
          ToPort: props.toNum(rule.ToPort, `${label}.ToPort`, key),
        };
  return {
    IpProtocol: ipProtocol,
    ...ports,
    IpRanges: cidr === undefined ? [] : [{ CidrIp: cidr, Description: description }],
    Ipv6Ranges: cidrV6 === undefined ? [] : [{ CidrIpv6: cidrV6, Description: description }],
    UserIdGroupPairs:
      groupId === undefined && groupName === undefined
        ? []
        : [{ GroupId: groupId, GroupName: groupName, UserId: ownerId, Description: description }],
    PrefixListIds: prefixList === undefined ? [] : [{ PrefixListId: prefixList, Description: description }],
  };
}

function permissions(props: Props, key: string, egress: boolean): Maybe<unknown[]> {
  return mapList(props.objects(key), (rule, i) => permission(props, rule, `${key}[${i}]`, egress, key));
}

// A VPC group without egress rules gets this one; writing it out keeps "omitted" from reading as "none".
const ALLOW_ALL_EGRESS = {
  IpProtocol: '-1',
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [],
  UserIdGroupPairs: [],
  PrefixListIds: [],
};

export const securityGroup: TypeSpec = {
  type: 'aws.ec2.security-group',
  nameKey: 'GroupName',
  refAttributes: { SecurityGroupIngress: 'IpPermissions', SecurityGroupEgress: 'IpPermissionsEgress' },
  translate(props) {
    return {
      GroupId: UNKNOWN,
      GroupName: orGenerated(props.str('GroupName')),
      Description: props.str('GroupDescription'),
      // Without VpcId the group lands in the default VPC, whose id the template does not know.
      VpcId: props.str('VpcId') ?? UNKNOWN,
      IpPermissions: permissions(props, 'SecurityGroupIngress', false) ?? [],
      IpPermissionsEgress: permissions(props, 'SecurityGroupEgress', true) ?? [cloneMarked(ALLOW_ALL_EGRESS)],
    };
  },
};

function joinRule(egress: boolean): JoinSpec {
  return (props: Props, index: DraftIndex) => {
    const parents = [
      ...parentsOf(props, index, 'GroupId', securityGroup.type),
      ...parentsOf(props, index, 'GroupName', securityGroup.type, 'GroupName'),
    ];
    const key = egress ? 'IpPermissionsEgress' : 'IpPermissions';
    const rule = permission(props, props.resource.props, props.logicalId, egress);
    for (const parent of new Set(parents)) {
      appendTo(parent, key, cloneMarked(rule));
      inheritRefs(parent, props, key);
    }
    return parents.length;
  };
}

/** AWS::EC2::SecurityGroupIngress → the group's `IpPermissions`. */
export const securityGroupIngress = joinRule(false);
/** AWS::EC2::SecurityGroupEgress → the group's `IpPermissionsEgress`. */
export const securityGroupEgress = joinRule(true);
