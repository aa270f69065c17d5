import type { Resource } from '../model/resource.js';
import { asArray, asObj, isObj, objectItems } from '../util/narrow.js';
import { inputScope, Lookup } from './lookup.js';
import { type EdgeKind, Graph, type GraphEdge, type GraphNode } from './model.js';
import { allowedPrincipals, principalNodeId } from './principals.js';

/**
 * Builds the relationship graph from the resources of any source (live, snapshot, Terraform,
 * CloudFormation). Live data links through native ids (`SubnetId`, `SecurityGroups[].GroupId`,
 * `KeyName`, `IamInstanceProfile.Arn`); IaC links through `refs` where ids are known only after apply.
 * Linear in the inventory: every link is a hash lookup.
 */
export function buildGraph(resources: readonly Resource[]): Graph {
  const graph = new Graph();
  for (const r of resources) graph.addNode(resourceNode(r));
  const b = new Builder(graph, new Lookup(resources));
  const mainTables = new Map<string, Resource>();
  const defaultNacls = new Map<string, Resource>();
  for (const r of resources) {
    if (r.type === 'aws.ec2.route-table' && objectItems(r.config.Associations).some((a) => a.Main === true)) {
      vpcKeyed(mainTables, r);
    }
    if (r.type === 'aws.ec2.network-acl' && r.config.IsDefault === true) vpcKeyed(defaultNacls, r);
  }
  for (const r of resources) {
    const build = BUILDERS[r.type];
    if (build) build(b, r);
  }
  // Subnets without an explicit association use their VPC's main route table and default NACL.
  for (const r of resources) {
    if (r.type !== 'aws.ec2.subnet') continue;
    const vpc = typeof r.config.VpcId === 'string' ? r.config.VpcId : undefined;
    if (!vpc) continue;
    const main = mainTables.get(`${r.account}|${vpc}`);
    if (main && graph.out(r.id, 'routes-via').length === 0) {
      b.edge('routes-via', r, main, `main route table of ${vpc}`);
    }
    const nacl = defaultNacls.get(`${r.account}|${vpc}`);
    if (nacl && graph.out(r.id, 'guarded-by-nacl').length === 0) {
      b.edge('guarded-by-nacl', r, nacl, `default network ACL of ${vpc}`);
    }
  }
  return graph;
}

function vpcKeyed(map: Map<string, Resource>, r: Resource): void {
  if (typeof r.config.VpcId === 'string') map.set(`${r.account}|${r.config.VpcId}`, r);
}

function resourceNode(r: Resource): GraphNode {
  return { id: r.id, type: r.type, label: r.name || r.id, resource: r, external: false };
}

/** A node for something the inventory names but does not hold (principal, managed policy, key pair). */
function externalNode(
  id: string,
  type: string,
  label: string,
  config: Record<string, unknown>,
  from: Resource,
  account = '',
): GraphNode {
  return {
    id,
    type,
    label,
    external: true,
    resource: {
      id,
      provider: 'aws',
      type,
      account,
      region: '',
      name: label,
      tags: {},
      config,
      source: { kind: from.source.kind },
    },
  };
}

class Builder {
  constructor(
    readonly graph: Graph,
    readonly lookup: Lookup,
  ) {}

  edge(kind: EdgeKind, from: Resource, to: Resource, evidence: string, data?: Record<string, unknown>): void {
    const e: GraphEdge = { kind, from: from.id, to: to.id, evidence };
    if (data) e.data = data;
    this.graph.addEdge(e);
  }

  /**
   * The resources of `types` that `from` names by `ids` (live) or, for any not found that way, by the
   * IaC references of `attribute`; ids only match within the same input (IaC) or account (live, non-ARN).
   */
  resolve(
    from: Resource,
    types: readonly string[],
    attribute: string,
    ids: readonly unknown[],
    withRefs = true,
  ): { to: Resource; evidence: string }[] {
    const found: { to: Resource; evidence: string }[] = [];
    // A handful of targets at most: a scan is cheaper than a Set per call.
    const seen = (r: Resource) => found.some((f) => f.to === r);
    const scope = inputScope(from);
    for (const id of ids) {
      const arn = typeof id === 'string' && id.startsWith('arn:');
      for (const type of types) {
        for (const to of this.lookup.byId(type, id)) {
          if (seen(to) || inputScope(to) !== scope) continue;
          if (!arn && to.account !== from.account) continue;
          found.push({ to, evidence: `${attribute} = ${String(id)}` });
        }
      }
    }
    if (!from.refs || !withRefs) return found;
    for (const to of this.lookup.byRef(from, attribute, types)) {
      if (seen(to)) continue;
      found.push({ to, evidence: `${attribute} references ${to.source.address ?? to.id}` });
    }
    return found;
  }

  /** Adds a `kind` edge from `from` to every resource `resolve` finds. */
  link(
    kind: EdgeKind,
    from: Resource,
    types: readonly string[],
    attribute: string,
    ids: readonly unknown[],
    data?: Record<string, unknown>,
  ): void {
    for (const f of this.resolve(from, types, attribute, ids)) this.edge(kind, from, f.to, f.evidence, data);
  }

  external(node: GraphNode): GraphNode {
    return this.graph.addNode(node);
  }
}

const SUBNET = ['aws.ec2.subnet'];
const SG = ['aws.ec2.security-group'];
const VPC = ['aws.ec2.vpc'];
const ROLE = ['aws.iam.role'];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const field = (items: unknown, key: string): unknown[] => objectItems(items).map((i) => i[key]);

function keyPair(b: Builder, instance: Resource): void {
  const name = str(instance.config.KeyName);
  // Key names are unique per account and region: that is the scope in which two instances share one.
  const scoped = b.lookup.byRef(instance, 'KeyName', ['aws.ec2.key-pair']);
  if (scoped.length === 0 && name) {
    const existing = b.lookup.keyPair(instance, name);
    if (existing.length > 0) scoped.push(...existing);
    else {
      const id = `key-pair:${inputScope(instance)}${instance.account || '-'}:${instance.region || '-'}:${name}`;
      const node = b.external(externalNode(id, 'aws.ec2.key-pair', name, { KeyName: name }, instance));
      b.graph.addEdge({
        kind: 'uses-key-pair',
        from: instance.id,
        to: node.id,
        evidence: `KeyName = ${name}`,
      });
      return;
    }
  }
  for (const k of scoped) {
    b.edge(
      'uses-key-pair',
      instance,
      k,
      name ? `KeyName = ${name}` : `KeyName references ${k.source.address}`,
    );
  }
}

function identityPolicies(b: Builder, identity: Resource): void {
  objectItems(identity.config.AttachedManagedPolicies).forEach((entry) => {
    const arn = str(entry.PolicyArn);
    const inInventory = b.lookup.byId('aws.iam.policy', arn);
    if (inInventory.length > 0) {
      for (const p of inInventory) b.edge('has-policy', identity, p, `attached managed policy ${arn}`);
      return;
    }
    if (arn) {
      const name = str(entry.PolicyName) ?? arn.slice(arn.lastIndexOf('/') + 1);
      const node = b.external(
        externalNode(arn, 'aws.iam.policy', name, { PolicyName: name, Arn: arn }, identity),
      );
      b.graph.addEdge({
        kind: 'has-policy',
        from: identity.id,
        to: node.id,
        evidence: `attached managed policy ${arn}`,
      });
    }
  });
  b.link('has-policy', identity, ['aws.iam.policy'], 'AttachedManagedPolicies', []);
  for (const key of ['RolePolicyList', 'UserPolicyList', 'GroupPolicyList']) {
    objectItems(identity.config[key]).forEach((entry, i) => {
      const name = str(entry.PolicyName) ?? `#${i}`;
      const id = `${identity.id}#inline/${name}`;
      const node = b.external(
        externalNode(
          id,
          'aws.iam.inline-policy',
          name,
          { PolicyName: name, PolicyDocument: entry.PolicyDocument },
          identity,
          identity.account,
        ),
      );
      b.graph.addEdge({
        kind: 'has-policy',
        from: identity.id,
        to: node.id,
        evidence: `inline policy ${name}`,
      });
    });
  }
}

function principals(b: Builder, r: Resource, doc: unknown, kind: 'trusts' | 'grants-to'): void {
  for (const p of allowedPrincipals(doc)) {
    const id = principalNodeId(p);
    const anyone = p.conditional ? 'anyone (*) under a condition' : 'anyone (*)';
    const label = p.kind === '*' ? anyone : p.account ? `account ${p.account}` : p.value;
    const node = b.external(
      externalNode(
        id,
        'aws.iam.principal',
        label,
        {
          Type: p.kind,
          Value: p.account ? p.account : p.value,
          ...(p.account ? { AccountId: p.account } : {}),
          ...(p.kind === '*' ? { Conditional: p.conditional } : {}),
        },
        r,
        p.account ?? '',
      ),
    );
    const how = kind === 'trusts' ? 'trust policy allows' : 'bucket policy allows';
    b.graph.addEdge({
      kind,
      from: r.id,
      to: node.id,
      evidence: `${how} ${p.value} (${p.actions.join(', ') || 'no action'})${p.conditional ? ' with a condition' : ''}`,
      data: { principal: p.value, conditional: p.conditional },
    });
  }
}

type EdgeBuilder = (b: Builder, r: Resource) => void;

const BUILDERS: Record<string, EdgeBuilder> = {
  'aws.ec2.instance'(b, r) {
    const c = r.config;
    b.link('in-subnet', r, SUBNET, 'SubnetId', [c.SubnetId]);
    b.link('protected-by', r, SG, 'SecurityGroups', field(c.SecurityGroups, 'GroupId'));
    keyPair(b, r);
    const profile = asObj(c.IamInstanceProfile);
    b.link('has-instance-profile', r, ['aws.iam.instance-profile'], 'IamInstanceProfile', [
      profile.Arn ?? profile.Name,
    ]);
  },
  'aws.ec2.network-interface'(b, r) {
    b.link('in-subnet', r, SUBNET, 'SubnetId', [r.config.SubnetId]);
    b.link('protected-by', r, SG, 'Groups', field(r.config.Groups, 'GroupId'));
    b.link('attached-to', r, ['aws.ec2.instance'], 'Attachment', [asObj(r.config.Attachment).InstanceId]);
  },
  'aws.ec2.subnet'(b, r) {
    b.link('in-vpc', r, VPC, 'VpcId', [r.config.VpcId]);
  },
  'aws.ec2.security-group'(b, r) {
    b.link('in-vpc', r, VPC, 'VpcId', [r.config.VpcId]);
    objectItems(r.config.IpPermissions).forEach((perm) => {
      const ports = perm.FromPort === undefined ? 'all ports' : `${perm.FromPort}-${perm.ToPort}`;
      b.link('allows-from', r, SG, 'IpPermissions', field(perm.UserIdGroupPairs, 'GroupId'), {
        ports,
      });
    });
    // Before apply the referenced group ids are unknown: the references carry the link.
    b.link('allows-from', r, SG, 'IpPermissions', []);
  },
  'aws.ec2.route-table'(b, r) {
    // The edge runs subnet → route table: the subnet's traffic leaves through this table.
    for (const f of b.resolve(r, SUBNET, 'Associations', field(r.config.Associations, 'SubnetId'))) {
      b.edge('routes-via', f.to, r, `route table association (${f.evidence})`);
    }
    // Adapters write unknown paths as `Routes[0].GatewayId` or `Routes.0.GatewayId`.
    const unknown = new Set((r.unknown ?? []).map((p) => p.replace(/\[(\d+)\]/g, '.$1')));
    objectItems(r.config.Routes).forEach((route, i) => {
      const destination = str(route.DestinationCidrBlock) ?? str(route.DestinationIpv6CidrBlock) ?? '?';
      for (const [key, type] of [
        ['GatewayId', 'aws.ec2.internet-gateway'],
        ['NatGatewayId', 'aws.ec2.nat-gateway'],
      ] as const) {
        for (const gw of b.lookup.byId(type, route[key])) {
          if (gw.account === r.account)
            b.edge('routes-to', r, gw, `Routes[${i}].${key} = ${String(route[key])}`, { destination });
        }
        // Before apply the gateway id is unknown: the reference of that route fills it.
        if (unknown.has(`Routes.${i}.${key}`)) {
          for (const gw of b.lookup.byRef(r, 'Routes', [type])) {
            b.edge('routes-to', r, gw, `Routes[${i}] references ${gw.source.address}`, { destination });
          }
        }
      }
    });
  },
  'aws.ec2.network-acl'(b, r) {
    for (const f of b.resolve(r, SUBNET, 'Associations', field(r.config.Associations, 'SubnetId'))) {
      b.edge('guarded-by-nacl', f.to, r, `network ACL association (${f.evidence})`);
    }
  },
  'aws.ec2.internet-gateway'(b, r) {
    b.link('attached-to', r, VPC, 'Attachments', field(r.config.Attachments, 'VpcId'));
  },
  'aws.ec2.nat-gateway'(b, r) {
    b.link('in-subnet', r, SUBNET, 'SubnetId', [r.config.SubnetId]);
  },
  'aws.iam.instance-profile'(b, r) {
    const ids = objectItems(r.config.Roles).map((x) => x.Arn ?? x.RoleName);
    b.link('has-role', r, ROLE, 'Roles', ids);
  },
  'aws.iam.role'(b, r) {
    identityPolicies(b, r);
    principals(b, r, r.config.AssumeRolePolicyDocument, 'trusts');
  },
  'aws.iam.user'(b, r) {
    identityPolicies(b, r);
    b.link('member-of', r, ['aws.iam.group'], 'GroupList', asArray(r.config.GroupList));
  },
  'aws.iam.group'(b, r) {
    identityPolicies(b, r);
  },
  'aws.s3.bucket'(b, r) {
    if (isObj(r.config.Policy)) principals(b, r, r.config.Policy, 'grants-to');
  },
  'aws.elbv2.load-balancer'(b, r) {
    const c = r.config;
    b.link('protected-by', r, SG, 'SecurityGroups', asArray(c.SecurityGroups));
    b.link('in-subnet', r, SUBNET, 'AvailabilityZones', field(c.AvailabilityZones, 'SubnetId'));
    // Listeners are part of the load balancer's config, not nodes: the edge names the listener.
    const listeners = objectItems(c.Listeners);
    const forward = (l: Record<string, unknown> | undefined, ids: unknown[], withRefs: boolean) => {
      const listener = l ? `listener ${String(l.Port)}/${String(l.Protocol)}` : 'listener';
      const data = l ? { port: l.Port, protocol: l.Protocol } : undefined;
      for (const f of b.resolve(r, ['aws.elbv2.target-group'], 'Listeners', ids, withRefs)) {
        b.edge('forwards-to', r, f.to, `${listener} forwards (${f.evidence})`, data);
      }
    };
    for (const l of listeners) forward(l, field(l.DefaultActions, 'TargetGroupArn'), false);
    // Before apply the target group ARN is unknown; the reference does not say which listener holds it.
    if (r.refs) forward(listeners.length === 1 ? listeners[0] : undefined, [], true);
  },
  'aws.elbv2.target-group'(b, r) {
    for (const t of objectItems(r.config.Targets)) {
      b.link('targets', r, ['aws.ec2.instance'], 'Targets', [t.Id], { port: t.Port ?? r.config.Port });
    }
    b.link('targets', r, ['aws.ec2.instance'], 'Targets', [], { port: r.config.Port });
  },
  'aws.elb.load-balancer'(b, r) {
    const c = r.config;
    b.link('protected-by', r, SG, 'SecurityGroups', asArray(c.SecurityGroups));
    b.link('in-subnet', r, SUBNET, 'Subnets', asArray(c.Subnets));
    const listener = objectItems(c.ListenerDescriptions).map((d) => asObj(d.Listener))[0];
    const port = listener?.InstancePort;
    b.link('targets', r, ['aws.ec2.instance'], 'Instances', field(c.Instances, 'InstanceId'), { port });
  },
  'aws.rds.instance'(b, r) {
    b.link(
      'protected-by',
      r,
      SG,
      'VpcSecurityGroups',
      field(r.config.VpcSecurityGroups, 'VpcSecurityGroupId'),
    );
    b.link('in-subnet-group', r, ['aws.rds.db-subnet-group'], 'DBSubnetGroup', [
      asObj(r.config.DBSubnetGroup).DBSubnetGroupName,
    ]);
  },
  'aws.rds.cluster'(b, r) {
    b.link(
      'protected-by',
      r,
      SG,
      'VpcSecurityGroups',
      field(r.config.VpcSecurityGroups, 'VpcSecurityGroupId'),
    );
  },
  'aws.rds.db-subnet-group'(b, r) {
    b.link('in-subnet', r, SUBNET, 'Subnets', field(r.config.Subnets, 'SubnetIdentifier'));
  },
  'aws.lambda.function'(b, r) {
    const vpc = asObj(r.config.VpcConfig);
    b.link('has-role', r, ROLE, 'Role', [r.config.Role]);
    b.link('protected-by', r, SG, 'VpcConfig', asArray(vpc.SecurityGroupIds));
    b.link('in-subnet', r, SUBNET, 'VpcConfig', asArray(vpc.SubnetIds));
  },
};
