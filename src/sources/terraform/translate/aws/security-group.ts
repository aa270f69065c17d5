import { pushUnique } from '../config.js';
import { isMarker, type Marker } from '../markers.js';
import type { JoinSpec, ResourceSpec, TypeTable } from '../types.js';
import { bool, mapList, num, str, strList, type Values } from '../values.js';

const PROTOCOL_NAMES: Record<string, string> = {
  '-1': '-1',
  all: '-1',
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
};

/** EC2's own spelling: '-1' for all, names for tcp/udp/icmp, other protocols as numbers in strings. */
function ipProtocol(value: unknown): string | Marker | undefined {
  const p = str(value);
  if (p === undefined || isMarker(p)) return p;
  const lower = p.toLowerCase();
  return PROTOCOL_NAMES[lower] ?? lower;
}

/** EC2 reports no ports for all-protocol permissions. */
function ports(protocol: unknown, from: unknown, to: unknown): Record<string, unknown> {
  if (protocol === '-1') return {};
  return { FromPort: num(from), ToPort: num(to) };
}

interface Sources {
  cidrs?: unknown;
  ipv6?: unknown;
  groups?: unknown;
  prefixLists?: unknown;
  self?: unknown;
  description?: unknown;
}

type SourceKey = 'GroupId' | 'CidrIp' | 'CidrIpv6' | 'PrefixListId';

/** `[{<key>: source, Description}]` for a list of sources; markers (the list or an element) carried. */
function sourceEntries(value: unknown, key: SourceKey, Description: string | Marker | undefined) {
  const items = strList(value);
  if (isMarker(items)) return items;
  const out: (Record<string, unknown> | Marker)[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    out.push(isMarker(item) ? item : { [key]: item, Description });
  }
  return out;
}

/** One Terraform rule (inline block or rule resource) → one EC2 IpPermission. */
function permission(protocolValue: unknown, from: unknown, to: unknown, src: Sources, selfId: unknown) {
  const IpProtocol = ipProtocol(protocolValue);
  const Description = str(src.description);
  const self = bool(src.self, false);
  const groups = sourceEntries(src.groups, 'GroupId', Description);
  const pairs = isMarker(groups)
    ? groups
    : self === false
      ? groups
      : [...groups, isMarker(self) ? self : { GroupId: selfId, Description }];
  return {
    IpProtocol,
    ...ports(IpProtocol, from, to),
    IpRanges: sourceEntries(src.cidrs, 'CidrIp', Description),
    Ipv6Ranges: sourceEntries(src.ipv6, 'CidrIpv6', Description),
    UserIdGroupPairs: pairs,
    PrefixListIds: sourceEntries(src.prefixLists, 'PrefixListId', Description),
  };
}

function inlineRules(value: unknown, groupId: unknown): unknown {
  return mapList(value, (r) => {
    const rule = r as Values;
    return permission(
      rule.protocol,
      rule.from_port,
      rule.to_port,
      {
        cidrs: rule.cidr_blocks,
        ipv6: rule.ipv6_cidr_blocks,
        groups: rule.security_groups,
        prefixLists: rule.prefix_list_ids,
        self: rule.self,
        description: rule.description,
      },
      groupId,
    );
  });
}

function groupSpec(defaults: { name?: string; description: string }): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.ec2.security-group',
    nameKey: 'GroupName',
    keys: ['id', 'arn'],
    refs: { ingress: 'IpPermissions', egress: 'IpPermissionsEgress', vpc_id: 'VpcId' },
    translate: (v) => ({
      GroupId: str(v.id),
      GroupName: str(v.name) ?? defaults.name,
      Description: str(v.description) ?? defaults.description,
      VpcId: str(v.vpc_id),
      OwnerId: str(v.owner_id),
      IpPermissions: inlineRules(v.ingress, v.id),
      IpPermissionsEgress: inlineRules(v.egress, v.id),
    }),
  };
}

const GROUPS = ['aws_security_group', 'aws_default_security_group'] as const;

const directionKey = (v: Values) => (v.type === 'egress' ? 'IpPermissionsEgress' : 'IpPermissions');

/** `aws_security_group_rule`: one resource per rule, `type` = ingress | egress. */
const legacyRuleJoin: JoinSpec = {
  parents: GROUPS,
  via: 'security_group_id',
  refAttr: directionKey,
  apply: (parent, v) => {
    const perm = permission(
      v.protocol,
      v.from_port,
      v.to_port,
      {
        cidrs: v.cidr_blocks,
        ipv6: v.ipv6_cidr_blocks,
        groups: v.source_security_group_id === undefined ? undefined : [v.source_security_group_id],
        prefixLists: v.prefix_list_ids,
        self: v.self,
        description: v.description,
      },
      parent.config.GroupId,
    );
    pushUnique(parent.config, directionKey(v), [perm]);
  },
};

/** `aws_vpc_security_group_{ingress,egress}_rule`: one source per rule. */
function vpcRuleJoin(key: 'IpPermissions' | 'IpPermissionsEgress'): JoinSpec {
  return {
    parents: GROUPS,
    via: 'security_group_id',
    refAttr: key,
    apply: (parent, v) => {
      const perm = permission(
        v.ip_protocol,
        v.from_port,
        v.to_port,
        {
          cidrs: v.cidr_ipv4 === undefined ? undefined : [v.cidr_ipv4],
          ipv6: v.cidr_ipv6 === undefined ? undefined : [v.cidr_ipv6],
          groups: v.referenced_security_group_id === undefined ? undefined : [v.referenced_security_group_id],
          prefixLists: v.prefix_list_id === undefined ? undefined : [v.prefix_list_id],
          description: v.description,
        },
        parent.config.GroupId,
      );
      pushUnique(parent.config, key, [perm]);
    },
  };
}

export const SECURITY_GROUP_TYPES: TypeTable = {
  aws_security_group: {
    resource: groupSpec({ description: 'Managed by Terraform' }),
    readBack: ['ingress', 'egress'],
  },
  aws_default_security_group: {
    resource: groupSpec({ name: 'default', description: 'default VPC security group' }),
    readBack: ['ingress', 'egress', 'name', 'description'],
  },
  aws_security_group_rule: {
    joins: [legacyRuleJoin],
    readBack: ['source_security_group_id', 'cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids'],
  },
  aws_vpc_security_group_ingress_rule: { joins: [vpcRuleJoin('IpPermissions')] },
  aws_vpc_security_group_egress_rule: { joins: [vpcRuleJoin('IpPermissionsEgress')] },
};
