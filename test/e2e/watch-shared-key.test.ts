import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Moto, startMoto, testClientConfig } from '../support/moto.js';
import { cloudTrailEvent, startWatch, WATCH_ACCOUNT } from '../support/watch.js';

/**
 * `warden watch` re-evaluates a path policy when an event touches one end of the path: a public
 * instance launched with the key pair of an existing admin instance opens a finding naming both
 * instances and the key; terminating it resolves the finding.
 */
const POLICY = 'aws-ec2-public-instance-shares-key-with-admin-instance';
const REGION = 'us-east-1';
const tmp = mkdtempSync(join(tmpdir(), 'warden-watch-key-e2e-'));
let moto: Moto;
let ec2: EC2Client;
let sqs: SQSClient;
let queueUrl = '';
let keyId = '';
let adminId = '';
let publicSubnet = '';
let openSg = '';

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint, REGION));
  sqs = new SQSClient(testClientConfig(moto.endpoint, REGION));
  const iam = new IAMClient(testClientConfig(moto.endpoint, REGION));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'warden-key-events' }))).QueueUrl!;

  await iam.send(
    new CreateRoleCommand({
      RoleName: 'wk-admin',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } },
        ],
      }),
    }),
  );
  await iam.send(
    new AttachRolePolicyCommand({
      RoleName: 'wk-admin',
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }),
  );
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'wk-admin' }));
  await iam.send(
    new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'wk-admin', RoleName: 'wk-admin' }),
  );
  iam.destroy();

  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const subnet = async (cidr: string) =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' })))
      .Subnet!.SubnetId!;
  publicSubnet = await subnet('10.60.1.0/24');
  // The private subnet keeps the VPC's main route table: local routes only.
  const privateSubnet = await subnet('10.60.2.0/24');
  await ec2.send(
    new ModifySubnetAttributeCommand({ SubnetId: publicSubnet, MapPublicIpOnLaunch: { Value: true } }),
  );
  const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
  );
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: publicSubnet }));
  const group = async (name: string) =>
    (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpc })))
      .GroupId!;
  openSg = await group('wk-open');
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: openSg,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  const closedSg = await group('wk-closed');
  keyId = (await ec2.send(new CreateKeyPairCommand({ KeyName: 'wk-shared' }))).KeyPairId!;
  adminId = (
    await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: privateSubnet,
        SecurityGroupIds: [closedSg],
        KeyName: 'wk-shared',
        IamInstanceProfile: { Name: 'wk-admin' },
      }),
    )
  ).Instances![0]!.InstanceId!;
});

after(async () => {
  ec2?.destroy();
  sqs?.destroy();
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const arn = (id: string) => `arn:aws:ec2:${REGION}:${WATCH_ACCOUNT}:instance/${id}`;

it('a public instance launched with an admin instance key opens a path finding; terminating it resolves it', async () => {
  const w = startWatch(
    [
      '--aws-queue',
      queueUrl,
      '--endpoint-url',
      moto.endpoint,
      '--regions',
      REGION,
      '--format',
      'jsonl',
      '--no-store',
      '--policy',
      POLICY,
    ],
    tmp,
  );
  try {
    await w.until('the initial scan', () => w.stderr().includes('warden: watching '));
    assert.deepEqual(
      w.lines.filter((l) => l.policy === POLICY && l.status === 'fail'),
      [],
      'one instance alone shares its key with nobody',
    );

    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: publicSubnet,
        SecurityGroupIds: [openSg],
        KeyName: 'wk-shared',
      }),
    );
    const bastion = run.Instances![0]!;
    assert.ok(bastion.PublicIpAddress, 'moto gave the instance a public IP');
    const bastionId = bastion.InstanceId!;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: cloudTrailEvent(
          'RunInstances',
          {
            instancesSet: {
              items: [{ imageId: 'ami-12c6146b', minCount: 1, maxCount: 1, keyName: 'wk-shared' }],
            },
            instanceType: 't3.micro',
            subnetId: publicSubnet,
            groupSet: { items: [{ groupId: openSg }] },
          },
          {
            requestId: 'r-1',
            reservationId: run.ReservationId,
            ownerId: WATCH_ACCOUNT,
            groupSet: {},
            instancesSet: {
              items: [{ instanceId: bastionId, imageId: 'ami-12c6146b', keyName: 'wk-shared' }],
            },
          },
        ),
      }),
    );
    const mine = (change: string) =>
      w.lines.filter((l) => l.policy === POLICY && l.change === change && l.resource.id === arn(bastionId));
    const [opened] = await w.until('the new finding', () =>
      mine('new').length > 0 ? mine('new') : undefined,
    );
    assert.equal(opened!.status, 'fail');
    assert.deepEqual(opened!.path, [
      arn(bastionId),
      `arn:aws:ec2:${REGION}:${WATCH_ACCOUNT}:key-pair/${keyId}`,
      arn(adminId),
    ]);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [bastionId] }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: cloudTrailEvent(
          'TerminateInstances',
          { instancesSet: { items: [{ instanceId: bastionId }] } },
          {
            requestId: 'r-2',
            instancesSet: {
              items: [
                {
                  instanceId: bastionId,
                  currentState: { code: 32, name: 'shutting-down' },
                  previousState: { code: 16, name: 'running' },
                },
              ],
            },
          },
        ),
      }),
    );
    await w.until('the resolved finding', () => (mine('resolved').length > 0 ? true : undefined));
    assert.deepEqual(
      w.lines.filter((l) => l.policy === POLICY).map((l) => [l.change, l.resource.id]),
      [
        ['new', arn(bastionId)],
        ['resolved', arn(bastionId)],
      ],
    );
    w.child.kill('SIGTERM');
    assert.equal(await w.exited, 0);
    assert.match(
      w.stderr(),
      /watch stopped after 2 messages: 2 changes, 0 duplicates, 0 malformed, 0 unmapped/,
    );
  } finally {
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await w.exited;
  }
});
