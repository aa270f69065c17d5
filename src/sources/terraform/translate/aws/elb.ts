import { ifKnown, pushUnique } from '../config.js';
import { isMarker } from '../markers.js';
import type { ResourceSpec, TypeEntry, TypeTable } from '../types.js';
import { bool, firstBlock, known, mapList, num, str, strList, type Values } from '../values.js';

const scheme = (internal: unknown) =>
  known(bool(internal, false), (i) => (i ? 'internal' : 'internet-facing'));

/** ELB attributes are strings in DescribeLoadBalancerAttributes. */
const asText = (value: unknown) => known(value as boolean | number | string | undefined, (x) => String(x));

function subnets(list: unknown, mappings: unknown): unknown {
  const ids = strList(list);
  if (isMarker(ids) || ids.length > 0) return mapList(ids, (id) => ({ SubnetId: id }));
  return mapList(mappings, (m) => ({ SubnetId: str((m as Values).subnet_id) }));
}

function attributes(v: Values): Record<string, unknown> {
  const logs = firstBlock(v.access_logs);
  return {
    'deletion_protection.enabled': asText(bool(v.enable_deletion_protection, false)),
    'routing.http.drop_invalid_header_fields.enabled': asText(bool(v.drop_invalid_header_fields, false)),
    'idle_timeout.timeout_seconds': asText(num(v.idle_timeout, 60)),
    'access_logs.s3.enabled': isMarker(logs) ? logs : asText(bool(logs?.enabled, false)),
    'access_logs.s3.bucket': isMarker(logs) ? undefined : str(logs?.bucket),
  };
}

function loadBalancerSpec(): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.elbv2.load-balancer',
    nameKey: 'LoadBalancerName',
    keys: ['id', 'arn', 'name'],
    refs: {
      security_groups: 'SecurityGroups',
      subnets: 'AvailabilityZones',
      subnet_mapping: 'AvailabilityZones',
      access_logs: 'Attributes',
    },
    translate: (v) => ({
      LoadBalancerArn: str(v.arn),
      LoadBalancerName: str(v.name),
      DNSName: str(v.dns_name),
      Scheme: scheme(v.internal),
      Type: str(v.load_balancer_type) ?? 'application',
      IpAddressType: str(v.ip_address_type) ?? 'ipv4',
      VpcId: str(v.vpc_id),
      SecurityGroups: strList(v.security_groups),
      AvailabilityZones: subnets(v.subnets, v.subnet_mapping),
      Listeners: [],
      Attributes: attributes(v),
    }),
  };
}

function action(a: Values): Record<string, unknown> {
  const redirect = firstBlock(a.redirect);
  const forward = firstBlock(a.forward);
  return {
    Type: str(a.type),
    Order: ifKnown(num(a.order)),
    TargetGroupArn: str(a.target_group_arn),
    ForwardConfig: known(forward, (f) => ({
      TargetGroups: mapList(f.target_group, (t) => ({ TargetGroupArn: str((t as Values).arn) })),
    })),
    RedirectConfig: known(redirect, (r) => ({
      Protocol: str(r.protocol),
      Port: str(r.port),
      Host: str(r.host),
      Path: str(r.path),
      StatusCode: str(r.status_code),
    })),
  };
}

function listener(v: Values): Record<string, unknown> {
  const certificate = str(v.certificate_arn);
  return {
    ListenerArn: ifKnown(str(v.arn)),
    Port: num(v.port),
    Protocol: str(v.protocol) ?? (certificate === undefined ? 'HTTP' : 'HTTPS'),
    SslPolicy: str(v.ssl_policy),
    Certificates: known(certificate, (c) => [{ CertificateArn: c }]),
    DefaultActions: mapList(v.default_action, (a) => action(a as Values)),
  };
}

function targetGroupSpec(): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.elbv2.target-group',
    nameKey: 'TargetGroupName',
    keys: ['id', 'arn', 'name'],
    refs: { vpc_id: 'VpcId' },
    translate: (v) => ({
      TargetGroupArn: str(v.arn),
      TargetGroupName: str(v.name),
      Port: num(v.port),
      Protocol: str(v.protocol),
      VpcId: str(v.vpc_id),
      TargetType: str(v.target_type) ?? 'instance',
      Targets: [],
    }),
  };
}

const classic: ResourceSpec = {
  provider: 'aws',
  type: 'aws.elb.load-balancer',
  nameKey: 'LoadBalancerName',
  keys: ['id', 'name', 'arn'],
  refs: {
    instances: 'Instances',
    security_groups: 'SecurityGroups',
    subnets: 'Subnets',
    listener: 'ListenerDescriptions',
  },
  translate: (v) => ({
    LoadBalancerName: str(v.name),
    DNSName: str(v.dns_name),
    Scheme: scheme(v.internal),
    ListenerDescriptions: mapList(v.listener, (l) => {
      const b = l as Values;
      const upper = (x: unknown) => known(str(x), (s) => s.toUpperCase());
      return {
        Listener: {
          Protocol: upper(b.lb_protocol),
          LoadBalancerPort: num(b.lb_port),
          InstanceProtocol: upper(b.instance_protocol),
          InstancePort: num(b.instance_port),
          SSLCertificateId: str(b.ssl_certificate_id),
        },
        PolicyNames: [],
      };
    }),
    Instances: mapList(strList(v.instances), (id) => ({ InstanceId: id })),
    SecurityGroups: strList(v.security_groups),
    Subnets: strList(v.subnets),
    AvailabilityZones: strList(v.availability_zones),
  }),
};

const LOAD_BALANCERS = ['aws_lb', 'aws_alb'] as const;
const TARGET_GROUPS = ['aws_lb_target_group', 'aws_alb_target_group'] as const;

const listenerJoin: TypeEntry = {
  joins: [
    {
      parents: LOAD_BALANCERS,
      via: 'load_balancer_arn',
      refAttr: 'Listeners',
      apply: (parent, v) => pushUnique(parent.config, 'Listeners', [listener(v)]),
    },
  ],
  readBack: ['protocol', 'ssl_policy'],
};

const attachmentJoin: TypeEntry = {
  joins: [
    {
      parents: TARGET_GROUPS,
      via: 'target_group_arn',
      refAttr: 'Targets',
      apply: (parent, v) =>
        pushUnique(parent.config, 'Targets', [
          { Id: str(v.target_id), Port: num(v.port), AvailabilityZone: str(v.availability_zone) },
        ]),
    },
  ],
};

const LB_READ_BACK = [
  'internal',
  'subnets',
  'subnet_mapping',
  'security_groups',
  'ip_address_type',
  'access_logs',
];

export const ELB_TYPES: TypeTable = {
  aws_lb: { resource: loadBalancerSpec(), readBack: LB_READ_BACK },
  aws_alb: { resource: loadBalancerSpec(), readBack: LB_READ_BACK },
  aws_lb_listener: listenerJoin,
  aws_alb_listener: listenerJoin,
  aws_lb_target_group: { resource: targetGroupSpec() },
  aws_alb_target_group: { resource: targetGroupSpec() },
  aws_lb_target_group_attachment: attachmentJoin,
  aws_alb_target_group_attachment: attachmentJoin,
  aws_elb: {
    resource: classic,
    readBack: ['instances', 'security_groups', 'subnets', 'availability_zones', 'internal', 'access_logs'],
  },
  aws_elb_attachment: {
    joins: [
      {
        parents: ['aws_elb'],
        via: 'elb',
        refAttr: 'Instances',
        apply: (parent, v) => pushUnique(parent.config, 'Instances', [{ InstanceId: str(v.instance) }]),
      },
    ],
  },
};
