import type { Resource } from '../../src/model/resource.js';

/**
 * Live-shaped resources (docs/resource-types.md): ids are ARNs, relationships go through native ids
 * (`SubnetId`, `SecurityGroups[].GroupId`, `KeyName`, `IamInstanceProfile.Arn`), as the AWS collector
 * produces them. Tests build small accounts from these.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

function live(
  type: string,
  id: string,
  name: string,
  config: Record<string, unknown>,
  global = false,
): Resource {
  return {
    id,
    provider: 'aws',
    type,
    account: ACCOUNT,
    region: global ? 'global' : REGION,
    name,
    tags: {},
    config,
    source: { kind: 'live', collectedAt: '2026-11-23T00:00:00Z' },
  };
}

const ec2Arn = (kind: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${kind}/${id}`;

export const vpc = (id: string) =>
  live('aws.ec2.vpc', ec2Arn('vpc', id), id, { VpcId: id, CidrBlock: '10.0.0.0/16' });

export const subnet = (id: string, vpcId: string, mapPublic = false) =>
  live('aws.ec2.subnet', ec2Arn('subnet', id), id, {
    SubnetId: id,
    VpcId: vpcId,
    CidrBlock: '10.0.1.0/24',
    MapPublicIpOnLaunch: mapPublic,
  });

export const igw = (id: string, vpcId: string) =>
  live('aws.ec2.internet-gateway', ec2Arn('internet-gateway', id), id, {
    InternetGatewayId: id,
    Attachments: [{ VpcId: vpcId, State: 'available' }],
  });

export const nat = (id: string, subnetId: string, vpcId: string) =>
  live('aws.ec2.nat-gateway', ec2Arn('natgateway', id), id, {
    NatGatewayId: id,
    SubnetId: subnetId,
    VpcId: vpcId,
    ConnectivityType: 'public',
  });

export function routeTable(
  id: string,
  vpcId: string,
  routes: { dest: string; gateway?: string; nat?: string }[],
  subnets: string[],
  main = false,
) {
  return live('aws.ec2.route-table', ec2Arn('route-table', id), id, {
    RouteTableId: id,
    VpcId: vpcId,
    Routes: [
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' },
      ...routes.map((r) => ({
        DestinationCidrBlock: r.dest,
        ...(r.gateway ? { GatewayId: r.gateway } : {}),
        ...(r.nat ? { NatGatewayId: r.nat } : {}),
      })),
    ],
    Associations: [...(main ? [{ Main: true }] : []), ...subnets.map((s) => ({ SubnetId: s, Main: false }))],
  });
}

export function nacl(
  id: string,
  vpcId: string,
  subnets: string[],
  entries: Record<string, unknown>[],
  isDefault = false,
) {
  return live('aws.ec2.network-acl', ec2Arn('network-acl', id), id, {
    NetworkAclId: id,
    VpcId: vpcId,
    IsDefault: isDefault,
    Entries: entries,
    Associations: subnets.map((s) => ({ SubnetId: s })),
  });
}

export function sg(id: string, vpcId: string, ingress: { port: number; cidr?: string; group?: string }[]) {
  return live('aws.ec2.security-group', ec2Arn('security-group', id), id, {
    GroupId: id,
    GroupName: id,
    VpcId: vpcId,
    IpPermissions: ingress.map((i) => ({
      IpProtocol: 'tcp',
      FromPort: i.port,
      ToPort: i.port,
      IpRanges: i.cidr ? [{ CidrIp: i.cidr }] : [],
      Ipv6Ranges: [],
      UserIdGroupPairs: i.group ? [{ GroupId: i.group }] : [],
      PrefixListIds: [],
    })),
    IpPermissionsEgress: [],
  });
}

export const keyPair = (name: string) =>
  live('aws.ec2.key-pair', ec2Arn('key-pair', `key-${name}`), name, {
    KeyName: name,
    KeyPairId: `key-${name}`,
    KeyType: 'ed25519',
  });

export function instance(
  id: string,
  opts: { subnet: string; vpc: string; groups: string[]; key?: string; publicIp?: string; profile?: string },
) {
  return live('aws.ec2.instance', ec2Arn('instance', id), id, {
    InstanceId: id,
    InstanceType: 't3.micro',
    SubnetId: opts.subnet,
    VpcId: opts.vpc,
    PrivateIpAddress: '10.0.1.10',
    ...(opts.publicIp ? { PublicIpAddress: opts.publicIp } : {}),
    ...(opts.key ? { KeyName: opts.key } : {}),
    SecurityGroups: opts.groups.map((g) => ({ GroupId: g, GroupName: g })),
    ...(opts.profile
      ? { IamInstanceProfile: { Arn: profileArn(opts.profile), Id: `AIPA${opts.profile}` } }
      : {}),
    State: { Name: 'running' },
  });
}

export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const profileArn = (name: string) => `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`;

export function role(
  name: string,
  opts: {
    managed?: string[];
    inline?: Record<string, unknown>[];
    trust?: Record<string, unknown>;
  } = {},
) {
  return live(
    'aws.iam.role',
    roleArn(name),
    name,
    {
      RoleName: name,
      RoleId: `AROA${name.toUpperCase()}`,
      Arn: roleArn(name),
      Path: '/',
      AssumeRolePolicyDocument: opts.trust ?? {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      AttachedManagedPolicies: (opts.managed ?? []).map((arn) => ({
        PolicyArn: arn,
        PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
      })),
      RolePolicyList: (opts.inline ?? []).map((doc, i) => ({
        PolicyName: `inline-${i}`,
        PolicyDocument: doc,
      })),
      InstanceProfileList: [],
    },
    true,
  );
}

export const profile = (name: string, roleName: string) =>
  live(
    'aws.iam.instance-profile',
    profileArn(name),
    name,
    {
      InstanceProfileName: name,
      Arn: profileArn(name),
      Roles: [{ RoleName: roleName, Arn: roleArn(roleName) }],
    },
    true,
  );

export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** A policy document of Allow statements on `*`. */
export const allow = (...actions: string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

/** One public subnet (routed to an internet gateway) and one private subnet (NAT only) in one VPC. */
export function network(): Resource[] {
  return [
    vpc('vpc-0a1'),
    subnet('subnet-0pub', 'vpc-0a1'),
    subnet('subnet-0prv', 'vpc-0a1'),
    igw('igw-0a1', 'vpc-0a1'),
    nat('nat-0a1', 'subnet-0pub', 'vpc-0a1'),
    routeTable('rtb-0pub', 'vpc-0a1', [{ dest: '0.0.0.0/0', gateway: 'igw-0a1' }], ['subnet-0pub']),
    routeTable('rtb-0main', 'vpc-0a1', [{ dest: '0.0.0.0/0', nat: 'nat-0a1' }], [], true),
    nacl(
      'acl-0def',
      'vpc-0a1',
      [],
      [
        { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
      ],
      true,
    ),
    sg('sg-0ssh', 'vpc-0a1', [{ port: 22, cidr: '0.0.0.0/0' }]),
    sg('sg-0office', 'vpc-0a1', [{ port: 22, cidr: '203.0.113.0/24' }]),
    sg('sg-0app', 'vpc-0a1', [{ port: 22, group: 'sg-0ssh' }]),
  ];
}
