import type { Resource } from '../../model/resource.js';
import { asArray, asObj, objectItems } from '../../util/narrow.js';
import { inputScope } from '../lookup.js';
import { type Builder, type EdgeBuilder, externalNode, field, ROLE, SG, SUBNET, str } from './builder.js';

/** Compute edges: instances, network interfaces, load balancers and target groups, databases, functions. */
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

export const COMPUTE_EDGES: Record<string, EdgeBuilder> = {
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
