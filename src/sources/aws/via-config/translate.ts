import type { Resource } from '../../../model/resource.js';
import { isObj } from '../../../util/narrow.js';
import { rules } from '../collectors/ec2/security-groups.js';

/**
 * AWS Config configuration items → the native shapes of docs/resource-types.md. Config records the
 * describe shape in camelCase (`ipPermissions[].ipv4Ranges[].cidrIp`); Warden's shape is the describe
 * API's PascalCase, so keys are capitalised and the few names Config changes are mapped back.
 */
export const CONFIG_TYPES: Record<string, string> = {
  'AWS::EC2::Instance': 'aws.ec2.instance',
  'AWS::EC2::SecurityGroup': 'aws.ec2.security-group',
  'AWS::EC2::Volume': 'aws.ec2.volume',
  'AWS::EC2::VPC': 'aws.ec2.vpc',
  'AWS::EC2::Subnet': 'aws.ec2.subnet',
  'AWS::EC2::RouteTable': 'aws.ec2.route-table',
  'AWS::EC2::InternetGateway': 'aws.ec2.internet-gateway',
  'AWS::EC2::NatGateway': 'aws.ec2.nat-gateway',
  'AWS::EC2::NetworkInterface': 'aws.ec2.network-interface',
  'AWS::EC2::EIP': 'aws.ec2.elastic-ip',
  'AWS::EC2::NetworkAcl': 'aws.ec2.network-acl',
  'AWS::EC2::FlowLog': 'aws.ec2.flow-log',
};

/** Config's own names that differ from the describe API's beyond capitalisation. */
const RENAMES: Record<string, string> = { Ipv4Ranges: 'IpRanges' };
/** Config-only duplicates that would shadow the real field (`ipRanges: ['0.0.0.0/0']` beside `ipv4Ranges`). */
const DROPPED = new Set(['ipRanges']);

function pascal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascal);
  if (!isObj(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (DROPPED.has(k) && Array.isArray(v) && v.every((x) => typeof x === 'string')) continue;
    const key = k.charAt(0).toUpperCase() + k.slice(1);
    out[RENAMES[key] ?? key] = pascal(v);
  }
  return out;
}

export interface ConfigItem {
  resourceId: string;
  resourceType: string;
  resourceName?: string;
  arn?: string;
  accountId: string;
  awsRegion: string;
  configuration: Record<string, unknown>;
  tags: { key: string; value: string }[];
}

/** Parses one SelectResourceConfig result (a JSON string); anything malformed is skipped, never guessed. */
export function parseItem(text: string): ConfigItem | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(doc)) return undefined;
  const { resourceId, resourceType, accountId, awsRegion } = doc;
  if (typeof resourceId !== 'string' || typeof resourceType !== 'string') return undefined;
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId) || typeof awsRegion !== 'string')
    return undefined;
  const configuration = isObj(doc.configuration) ? doc.configuration : undefined;
  if (!configuration) return undefined;
  const tags = Array.isArray(doc.tags)
    ? doc.tags.filter((t): t is { key: string; value: string } => isObj(t) && typeof t.key === 'string')
    : [];
  return {
    resourceId,
    resourceType,
    ...(typeof doc.resourceName === 'string' ? { resourceName: doc.resourceName } : {}),
    ...(typeof doc.arn === 'string' ? { arn: doc.arn } : {}),
    accountId,
    awsRegion,
    configuration,
    tags,
  };
}

const ARN_PATHS: Record<string, string> = {
  'aws.ec2.instance': 'instance',
  'aws.ec2.security-group': 'security-group',
  'aws.ec2.volume': 'volume',
  'aws.ec2.vpc': 'vpc',
  'aws.ec2.subnet': 'subnet',
  'aws.ec2.route-table': 'route-table',
  'aws.ec2.internet-gateway': 'internet-gateway',
  'aws.ec2.nat-gateway': 'natgateway',
  'aws.ec2.network-interface': 'network-interface',
  'aws.ec2.elastic-ip': 'elastic-ip',
  'aws.ec2.network-acl': 'network-acl',
  'aws.ec2.flow-log': 'vpc-flow-log',
};

/** One item as a resource; VPCs get their `FlowLogs` joined by `joinFlowLogs` afterwards. */
export function itemResource(item: ConfigItem, partition: string, collectedAt: string): Resource | undefined {
  const type = CONFIG_TYPES[item.resourceType];
  if (!type) return undefined;
  const config = pascal(item.configuration) as Record<string, unknown>;
  const tagList = item.tags.map((t) => ({ Key: t.key, Value: typeof t.value === 'string' ? t.value : '' }));
  config.Tags = tagList;
  if (type === 'aws.ec2.security-group') {
    config.IpPermissions = rules(config.IpPermissions);
    config.IpPermissionsEgress = rules(config.IpPermissionsEgress);
  }
  if (type === 'aws.ec2.volume') config.Encrypted = config.Encrypted === true;
  const tags = Object.fromEntries(tagList.map((t) => [t.Key, t.Value]));
  return {
    id:
      item.arn ??
      `arn:${partition}:ec2:${item.awsRegion}:${item.accountId}:${ARN_PATHS[type]}/${item.resourceId}`,
    provider: 'aws',
    type,
    account: item.accountId,
    region: item.awsRegion,
    name: tags.Name || item.resourceName || item.resourceId,
    tags,
    config,
    source: { kind: 'live', collectedAt },
  };
}

/** `FlowLogs` of each VPC from the flow-log items of the same account and region. */
export function joinFlowLogs(resources: Resource[]): void {
  const byVpc = new Map<string, Record<string, unknown>[]>();
  for (const r of resources) {
    if (r.type !== 'aws.ec2.flow-log') continue;
    const c = r.config;
    const key = `${r.account}|${r.region}|${String(c.ResourceId)}`;
    const list = byVpc.get(key) ?? [];
    list.push(
      Object.fromEntries(
        ['FlowLogId', 'TrafficType', 'LogDestinationType', 'LogDestination', 'FlowLogStatus']
          .filter((k) => c[k] !== undefined)
          .map((k) => [k, c[k]]),
      ),
    );
    byVpc.set(key, list);
  }
  for (const r of resources) {
    if (r.type === 'aws.ec2.vpc')
      r.config.FlowLogs = byVpc.get(`${r.account}|${r.region}|${String(r.config.VpcId)}`) ?? [];
  }
}
