import type { Resource } from '../../model/resource.js';
import { asArray as list, asObj as obj } from '../../util/narrow.js';

/**
 * One firewall rule for one source, in a provider-neutral form. AWS security groups, Azure NSGs,
 * GCP firewalls and OpenStack security groups all reduce to this, so one `ingress` filter serves all.
 */
export interface NetRule {
  direction: 'ingress' | 'egress';
  allow: boolean;
  /** 'all' for every protocol, else a lower-case name ('tcp', 'udp', 'icmp') or a protocol number. */
  protocol: string;
  /** Inclusive port range; undefined means every port. */
  from?: number;
  to?: number;
  /** The source (ingress) or destination (egress) CIDR, normalised (`*`/`Internet` → `0.0.0.0/0`). */
  cidr: string;
  /** The source as the provider wrote it, for evidence. */
  rawSource: string;
  /** Config path of the rule, for evidence. */
  path: string;
}

export interface RuleSet {
  /** Config paths that hold the rules (for unknown/error checks). */
  paths: string[];
  rules: NetRule[];
}

const PROTOCOL_NAMES: Record<string, string> = {
  '-1': 'all',
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
};

function protocolName(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '' || raw === '*') return 'all';
  const text = String(raw).toLowerCase();
  if (text === 'all' || text === 'any' || text === 'asterisk') return 'all';
  return PROTOCOL_NAMES[text] ?? text;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** `22`, `20-25`, `*` → an inclusive range (undefined bounds = all ports). */
function portRange(text: unknown): { from?: number; to?: number } | undefined {
  if (text === undefined || text === null) return {};
  const s = String(text).trim();
  if (s === '*' || s === '' || s === '0-65535') return {};
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) return undefined;
  return { from: Number(m[1]), to: Number(m[2] ?? m[1]) };
}

const WORLD_ALIASES = new Set(['*', 'internet', 'any', '0.0.0.0', '0.0.0.0/0']);

function awsRules(config: Record<string, unknown>, direction: 'ingress' | 'egress'): RuleSet {
  const key = direction === 'ingress' ? 'IpPermissions' : 'IpPermissionsEgress';
  const rules: NetRule[] = [];
  list(config[key]).forEach((permRaw, i) => {
    const perm = obj(permRaw);
    const protocol = protocolName(perm.IpProtocol);
    const allPorts = protocol === 'all' || (num(perm.FromPort) === -1 && num(perm.ToPort) === -1);
    const from = allPorts ? undefined : num(perm.FromPort);
    const to = allPorts ? undefined : num(perm.ToPort);
    const base = { direction, allow: true, protocol, from, to };
    list(perm.IpRanges).forEach((r, j) => {
      const cidr = String(obj(r).CidrIp ?? '');
      rules.push({ ...base, cidr, rawSource: cidr, path: `${key}[${i}].IpRanges[${j}]` });
    });
    list(perm.Ipv6Ranges).forEach((r, j) => {
      const cidr = String(obj(r).CidrIpv6 ?? '');
      rules.push({ ...base, cidr, rawSource: cidr, path: `${key}[${i}].Ipv6Ranges[${j}]` });
    });
  });
  // Group references (UserIdGroupPairs) are not sources from the internet; their ids being unknown
  // before apply must not make the rule set undecided.
  const parts = ['IpProtocol', 'FromPort', 'ToPort', 'IpRanges', 'Ipv6Ranges'];
  return { paths: parts.map((p) => `${key}.${p}`), rules };
}

function azureRules(config: Record<string, unknown>, direction: 'ingress' | 'egress'): RuleSet {
  const rules: NetRule[] = [];
  const wanted = direction === 'ingress' ? 'inbound' : 'outbound';
  list(obj(config.properties).securityRules).forEach((ruleRaw, i) => {
    const rule = obj(ruleRaw);
    const p = obj(rule.properties);
    if (String(p.direction ?? '').toLowerCase() !== wanted) return;
    const allow = String(p.access ?? '').toLowerCase() === 'allow';
    const protocol = protocolName(p.protocol);
    const ports = [p.destinationPortRange, ...list(p.destinationPortRanges)].filter(
      (x) => x !== undefined && x !== null,
    );
    const sources = [p.sourceAddressPrefix, ...list(p.sourceAddressPrefixes)].filter(
      (x): x is string => typeof x === 'string' && x !== '',
    );
    for (const portText of ports.length > 0 ? ports : ['*']) {
      const range = portRange(portText);
      if (!range) continue;
      for (const source of sources) {
        const world = WORLD_ALIASES.has(source.toLowerCase());
        rules.push({
          direction,
          allow,
          protocol,
          ...range,
          cidr: world ? '0.0.0.0/0' : source,
          rawSource: source,
          path: `properties.securityRules[${i}]`,
        });
      }
    }
  });
  return { paths: ['properties.securityRules'], rules };
}

function gcpRules(config: Record<string, unknown>, direction: 'ingress' | 'egress'): RuleSet {
  const rules: NetRule[] = [];
  const dir = String(config.direction ?? 'INGRESS').toLowerCase();
  if (dir !== direction || config.disabled === true)
    return { paths: ['allowed', 'denied', 'sourceRanges'], rules };
  const ranges = list(direction === 'ingress' ? config.sourceRanges : config.destinationRanges).filter(
    (x): x is string => typeof x === 'string',
  );
  for (const [key, allow] of [
    ['allowed', true],
    ['denied', false],
  ] as const) {
    list(config[key]).forEach((entryRaw, i) => {
      const entry = obj(entryRaw);
      const protocol = protocolName(entry.IPProtocol);
      const ports = list(entry.ports);
      for (const portText of ports.length > 0 ? ports : ['*']) {
        const range = portRange(portText);
        if (!range) continue;
        for (const cidr of ranges) {
          rules.push({ direction, allow, protocol, ...range, cidr, rawSource: cidr, path: `${key}[${i}]` });
        }
      }
    });
  }
  return { paths: ['allowed', 'denied', 'sourceRanges', 'direction', 'disabled'], rules };
}

function openstackRules(
  config: Record<string, unknown>,
  direction: 'ingress' | 'egress',
  unknown: readonly string[] = [],
): RuleSet {
  const rules: NetRule[] = [];
  list(config.security_group_rules).forEach((ruleRaw, i) => {
    const rule = obj(ruleRaw);
    if (String(rule.direction ?? '').toLowerCase() !== direction) return;
    const remote = rule.remote_ip_prefix;
    // A remote group (even one whose id is known only after apply) makes the source that group.
    const group = rule.remote_group_id || unknown.includes(`security_group_rules[${i}].remote_group_id`);
    // Neutron treats a rule with neither a remote prefix nor a remote group as open to everyone.
    if ((remote === undefined || remote === null || remote === '') && group) return;
    const v6 = String(rule.ethertype ?? 'IPv4').toLowerCase() === 'ipv6';
    const cidr = typeof remote === 'string' && remote !== '' ? remote : v6 ? '::/0' : '0.0.0.0/0';
    const min = num(rule.port_range_min);
    const max = num(rule.port_range_max);
    rules.push({
      direction,
      allow: true,
      protocol: protocolName(rule.protocol),
      from: min,
      to: min === undefined ? undefined : (max ?? min),
      cidr,
      rawSource: typeof remote === 'string' && remote !== '' ? remote : 'any (no remote prefix)',
      path: `security_group_rules[${i}]`,
    });
  });
  const parts = [
    'direction',
    'ethertype',
    'protocol',
    'port_range_min',
    'port_range_max',
    'remote_ip_prefix',
  ];
  return { paths: parts.map((p) => `security_group_rules.${p}`), rules };
}

type RuleReader = (
  config: Record<string, unknown>,
  direction: 'ingress' | 'egress',
  unknown?: readonly string[],
) => RuleSet;

export const RULE_READERS: Record<string, RuleReader> = {
  'aws.ec2.security-group': awsRules,
  'azure.network.nsg': azureRules,
  'gcp.compute.firewall': gcpRules,
  'openstack.networking.secgroup': openstackRules,
};

export function readRules(resource: Resource, direction: 'ingress' | 'egress'): RuleSet {
  const reader = RULE_READERS[resource.type];
  return reader ? reader(resource.config, direction, resource.unknown) : { paths: [], rules: [] };
}

export function describeRule(rule: NetRule): string {
  const ports =
    rule.from === undefined
      ? 'all ports'
      : rule.from === rule.to
        ? `${rule.from}`
        : `${rule.from}-${rule.to}`;
  const proto = rule.protocol === 'all' ? 'all protocols' : rule.protocol;
  return `${rule.allow ? 'allows' : 'denies'} ${proto} ${ports} ${rule.direction === 'ingress' ? 'from' : 'to'} ${rule.rawSource}`;
}
