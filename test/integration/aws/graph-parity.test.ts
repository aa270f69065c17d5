import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { type ScanReport, scanInventory } from '../../../src/engine/scan.js';
import type { Inventory } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { COLLECTORS } from '../../../src/sources/aws/collectors/index.js';
import { loadInputs } from '../../../src/sources/index.js';
import { collectWith } from '../../support/aws-collect.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

/**
 * Issue 7 on a live account: the four complex policies on a moto scenario with a near-miss twin for
 * each (same key but no admin; admin but no shared key; public IP but SG closed; route to a NAT
 * gateway only), and the same configuration written as Terraform (test/fixtures/parity/graph/main.tf)
 * giving the same (policy, names along the path, status) rows.
 */
const HCL = 'test/fixtures/parity/graph';
const COMPLEX = [
  'aws-ec2-public-instance-shares-key-with-admin-instance',
  'aws-ec2-internet-exposed-admin-instance',
  'aws-lb-public-to-admin-instance',
  'aws-iam-role-trusts-unknown-account',
];

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

const trust = (principal: Record<string, string>) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal }],
  });

async function buildInMoto(): Promise<void> {
  const cfg = testClientConfig(moto.endpoint, 'eu-west-1');
  const iam = new IAMClient(testClientConfig(moto.endpoint, 'us-east-1'));
  for (const [name, policy] of [
    ['gp-admin', 'arn:aws:iam::aws:policy/AdministratorAccess'],
    ['gp-reader', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
  ] as const) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policy }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  }
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'gp-trusts-stranger',
      AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::999988887777:root' }),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'gp-trusts-partner',
      AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:root' }),
    }),
  );

  const ec2 = new EC2Client(cfg);
  const nameTag = (type: 'vpc' | 'subnet' | 'security-group' | 'instance', Name: string) => [
    { ResourceType: type, Tags: [{ Key: 'Name', Value: Name }] },
  ];
  const vpc = (
    await ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.50.0.0/16', TagSpecifications: nameTag('vpc', 'gp-vpc') }),
    )
  ).Vpc?.VpcId as string;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway
    ?.InternetGatewayId as string;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const subnet = async (name: string, cidr: string, az: string) =>
    (
      await ec2.send(
        new CreateSubnetCommand({
          VpcId: vpc,
          CidrBlock: cidr,
          AvailabilityZone: az,
          TagSpecifications: nameTag('subnet', name),
        }),
      )
    ).Subnet?.SubnetId as string;
  const publicA = await subnet('gp-public-a', '10.50.1.0/24', 'eu-west-1a');
  const publicB = await subnet('gp-public-b', '10.50.2.0/24', 'eu-west-1b');
  const natOnly = await subnet('gp-nat-only', '10.50.3.0/24', 'eu-west-1a');
  const natPublicIp = await subnet('gp-nat-public-ip', '10.50.4.0/24', 'eu-west-1a');
  for (const s of [publicA, publicB, natPublicIp])
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: s, MapPublicIpOnLaunch: { Value: true } }));
  const publicRt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable
    ?.RouteTableId as string;
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: publicRt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
  );
  for (const s of [publicA, publicB])
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRt, SubnetId: s }));
  const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = (
    await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicA, AllocationId: eip.AllocationId }))
  ).NatGateway?.NatGatewayId as string;
  const natRt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable
    ?.RouteTableId as string;
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: natRt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }),
  );
  for (const s of [natOnly, natPublicIp])
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: natRt, SubnetId: s }));

  const sg = async (name: string, cidr: string) => {
    const id = (
      await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: name,
          Description: name,
          VpcId: vpc,
          TagSpecifications: nameTag('security-group', name),
        }),
      )
    ).GroupId as string;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: id,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: cidr }] },
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: cidr }] },
        ],
      }),
    );
    return id;
  };
  const open = await sg('gp-open', '0.0.0.0/0');
  const closed = await sg('gp-closed', '10.0.0.0/8');
  for (const k of ['gp-shared', 'gp-other', 'gp-solo'])
    await ec2.send(new CreateKeyPairCommand({ KeyName: k }));

  const ids: Record<string, string> = {};
  // Top-level SubnetId/SecurityGroupIds with the subnet's MapPublicIpOnLaunch, not NetworkInterfaces:
  // moto leaves the instance's SecurityGroups empty for groups given on an interface (AWS fills it).
  const launch = async (name: string, o: { subnet: string; sg: string; key?: string; role?: string }) => {
    const r = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: o.subnet,
        SecurityGroupIds: [o.sg],
        ...(o.key ? { KeyName: o.key } : {}),
        ...(o.role ? { IamInstanceProfile: { Name: o.role } } : {}),
        TagSpecifications: nameTag('instance', name),
      }),
    );
    ids[name] = r.Instances?.[0]?.InstanceId as string;
  };
  // The seed path and its twins.
  await launch('gp-bastion', { subnet: publicA, sg: open, key: 'gp-shared' });
  await launch('gp-admin-worker', {
    subnet: natOnly,
    sg: closed,
    key: 'gp-shared',
    role: 'gp-admin',
  });
  // Same key, no admin.
  await launch('gp-bastion-2', { subnet: publicA, sg: open, key: 'gp-other' });
  await launch('gp-reader-worker', {
    subnet: natOnly,
    sg: closed,
    key: 'gp-other',
    role: 'gp-reader',
  });
  // Admin, no shared key.
  await launch('gp-admin-solo', {
    subnet: natOnly,
    sg: closed,
    key: 'gp-solo',
    role: 'gp-admin',
  });
  // Exposed admin and its twins: public IP but SG closed; open SG but routed to a NAT gateway only.
  await launch('gp-exposed-admin', { subnet: publicB, sg: open, role: 'gp-admin' });
  await launch('gp-closed-admin', { subnet: publicB, sg: closed, role: 'gp-admin' });
  await launch('gp-nat-admin', { subnet: natPublicIp, sg: open, role: 'gp-admin' });

  const elb = new ElasticLoadBalancingV2Client(cfg);
  const lb = async (name: string, scheme: 'internet-facing' | 'internal', target: string) => {
    const arn = (
      await elb.send(
        new CreateLoadBalancerCommand({
          Name: name,
          Subnets: [publicA, publicB],
          SecurityGroups: [open],
          Scheme: scheme,
        }),
      )
    ).LoadBalancers?.[0]?.LoadBalancerArn as string;
    const tg = (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: `${name}-tg`,
          Protocol: 'HTTP',
          Port: 80,
          VpcId: vpc,
          TargetType: 'instance',
        }),
      )
    ).TargetGroups?.[0]?.TargetGroupArn as string;
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: ids[target], Port: 80 }] }),
    );
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: arn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
      }),
    );
  };
  await lb('gp-public-lb', 'internet-facing', 'gp-admin-worker');
  await lb('gp-public-lb-plain', 'internet-facing', 'gp-reader-worker');
  await lb('gp-internal-lb', 'internal', 'gp-admin-solo');
}

// A Terraform configuration does not know its own account, so the trusted twin is a known partner
// account (the policy's parameter), which both sources can express.
const complexPolicies = () =>
  loadPolicies({
    only: COMPLEX,
    parameters: { 'aws-iam-role-trusts-unknown-account': { knownAccounts: ['111122223333'] } },
  });

/** (policy, names along the path, status): a finding of a path policy names every hop. */
const EXPECTED = [
  // Reachable only through the internet-facing load balancer, whose traffic its SG admits (10/8).
  'aws-ec2-internet-exposed-admin-instance gp-admin-worker fail',
  'aws-ec2-internet-exposed-admin-instance gp-exposed-admin fail',
  'aws-ec2-internet-exposed-admin-instance gp-admin-solo pass',
  'aws-ec2-internet-exposed-admin-instance gp-bastion pass',
  'aws-ec2-internet-exposed-admin-instance gp-bastion-2 pass',
  'aws-ec2-internet-exposed-admin-instance gp-closed-admin pass',
  'aws-ec2-internet-exposed-admin-instance gp-nat-admin pass',
  'aws-ec2-internet-exposed-admin-instance gp-reader-worker pass',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-bastion > gp-shared > gp-admin-worker fail',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-admin-solo pass',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-admin-worker pass',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-bastion-2 pass',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-closed-admin pass',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-exposed-admin pass',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-nat-admin pass',
  'aws-ec2-public-instance-shares-key-with-admin-instance gp-reader-worker pass',
  'aws-iam-role-trusts-unknown-account gp-trusts-stranger > principal:account:999988887777 fail',
  'aws-iam-role-trusts-unknown-account gp-admin pass',
  'aws-iam-role-trusts-unknown-account gp-reader pass',
  'aws-iam-role-trusts-unknown-account gp-trusts-partner pass',
  'aws-lb-public-to-admin-instance gp-public-lb > gp-public-lb-tg > gp-admin-worker fail',
  'aws-lb-public-to-admin-instance gp-internal-lb pass',
  'aws-lb-public-to-admin-instance gp-public-lb-plain pass',
].sort();

function rows(inv: Inventory, report: ScanReport): string[] {
  const names = new Map(inv.resources.map((r) => [r.id, r.name]));
  return report.results
    .filter((r) => r.resource.name.startsWith('gp-'))
    .map(
      (r) =>
        `${r.policy} ${[r.resource.name, ...(r.path ?? []).slice(1).map((id) => names.get(id) ?? id)].join(' > ')} ${r.status}`,
    )
    .sort();
}

describe('complex policies on moto, and parity with Terraform', () => {
  it('finds exactly the attack paths and none of the near misses', async () => {
    await buildInMoto();
    const inv = await collectWith(moto.endpoint, COLLECTORS, { regions: ['eu-west-1'] });
    const live = rows(inv, scanInventory(inv, complexPolicies()));
    assert.deepEqual(live, EXPECTED);

    const planned = await loadInputs([HCL]);
    assert.deepEqual(rows(planned, scanInventory(planned, complexPolicies())), live);
  });
});
