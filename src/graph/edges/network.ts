import { objectItems } from '../../util/narrow.js';
import { type EdgeBuilder, field, SG, SUBNET, str, VPC } from './builder.js';

/** Network edges: subnets, security groups, route tables, network ACLs, gateways. */
export const NETWORK_EDGES: Record<string, EdgeBuilder> = {
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
};
