import type { Resource } from '../model/resource.js';

/**
 * Finds the resources an attribute points at: by native id on live data (`SubnetId: subnet-0a…`), by
 * IaC reference when the id is known only after apply (`refs`: attribute → address). One hash lookup
 * per value, so building the graph stays linear in the inventory.
 */

/** Native identifier fields per type, as in docs/resource-types.md. */
const ID_FIELDS: Record<string, readonly string[]> = {
  'aws.ec2.instance': ['InstanceId'],
  'aws.ec2.subnet': ['SubnetId'],
  'aws.ec2.vpc': ['VpcId'],
  'aws.ec2.security-group': ['GroupId'],
  'aws.ec2.route-table': ['RouteTableId'],
  'aws.ec2.internet-gateway': ['InternetGatewayId'],
  'aws.ec2.nat-gateway': ['NatGatewayId'],
  'aws.ec2.network-acl': ['NetworkAclId'],
  'aws.ec2.network-interface': ['NetworkInterfaceId'],
  'aws.iam.instance-profile': ['Arn', 'InstanceProfileName'],
  'aws.iam.role': ['Arn', 'RoleName'],
  'aws.iam.user': ['Arn', 'UserName'],
  'aws.iam.group': ['Arn', 'GroupName'],
  'aws.iam.policy': ['Arn'],
  'aws.elbv2.load-balancer': ['LoadBalancerArn'],
  'aws.elbv2.target-group': ['TargetGroupArn'],
  'aws.rds.db-subnet-group': ['DBSubnetGroupName'],
  'aws.lambda.function': ['FunctionArn'],
};

/** `infra/prod#` for a resource whose id is `infra/prod#aws_vpc.main`; '' for live resources. */
export function inputScope(r: Resource): string {
  if (!r.source.address) return '';
  const i = r.id.lastIndexOf('#');
  return i >= 0 && r.id.slice(i + 1) === r.source.address ? r.id.slice(0, i + 1) : '';
}

const NONE: readonly Resource[] = Object.freeze([]);

const blockAddress = (address: string) => address.replace(/\[[^\]]*\]$/, '');

export class Lookup {
  /** type → identifier → resources; nested so a lookup never builds a key string. */
  private readonly byKey = new Map<string, Map<string, Resource | Resource[]>>();
  private readonly byScopedAddress = new Map<string, Resource[]>();

  constructor(resources: readonly Resource[]) {
    for (const r of resources) {
      // Native ids only: ARNs are among them, and nothing refers to an IaC resource by its Warden id.
      for (const field of ID_FIELDS[r.type] ?? []) {
        const v = r.config[field];
        if (typeof v === 'string' && v !== '') this.add(r.type, v, r);
      }
      if (r.type === 'aws.ec2.key-pair' && typeof r.config.KeyName === 'string') {
        this.add('key', `${inputScope(r)}|${r.account}|${r.region}|${r.config.KeyName}`, r);
      }
      if (r.source.address) {
        const scope = inputScope(r);
        addTo(this.byScopedAddress, scope + r.source.address, r);
        const block = blockAddress(r.source.address);
        // A counted block is also reachable by its block address (references often omit the index).
        if (block !== r.source.address) addTo(this.byScopedAddress, scope + block, r);
      }
    }
  }

  private add(type: string, key: string, r: Resource): void {
    let forType = this.byKey.get(type);
    if (!forType) {
      forType = new Map();
      this.byKey.set(type, forType);
    }
    // Most identifiers name one resource: keep it bare and only make a list for the rare duplicate.
    const found = forType.get(key);
    if (found === undefined) forType.set(key, r);
    else if (Array.isArray(found)) {
      if (!found.includes(r)) found.push(r);
    } else if (found !== r) forType.set(key, [found, r]);
  }

  private get(type: string, key: string): readonly Resource[] {
    const found = this.byKey.get(type)?.get(key);
    if (found === undefined) return NONE;
    return Array.isArray(found) ? found : [found];
  }

  /** Resources of `type` whose id or native identifier is `value`. */
  byId(type: string, value: unknown): readonly Resource[] {
    if (typeof value !== 'string' || value === '') return NONE;
    return this.get(type, value);
  }

  /** Key pairs by name: names are unique per account and region (and per IaC input). */
  keyPair(from: Resource, name: string): readonly Resource[] {
    return this.get('key', `${inputScope(from)}|${from.account}|${from.region}|${name}`);
  }

  /** Resources of one of `types` that `from` references through `attribute` (IaC refs). */
  byRef(from: Resource, attribute: string, types: readonly string[]): Resource[] {
    if (!from.refs || from.refs.length === 0) return [];
    const scope = inputScope(from);
    const out: Resource[] = [];
    for (const ref of from.refs) {
      if (ref.attribute !== attribute) continue;
      const hits =
        this.byScopedAddress.get(scope + ref.target) ??
        this.byScopedAddress.get(scope + blockAddress(ref.target));
      for (const r of hits ?? []) if (types.includes(r.type) && !out.includes(r)) out.push(r);
    }
    return out;
  }
}

function addTo(map: Map<string, Resource[]>, key: string, r: Resource): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}
