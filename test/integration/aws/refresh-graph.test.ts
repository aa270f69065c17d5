import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
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
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { scanInventory } from '../../../src/engine/scan.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { demandFromPolicies } from '../../../src/sources/aws/demand.js';
import { LiveState } from '../../../src/watch/state.js';
import { ACCOUNT, calls, collectEnv, REGION, reread, touchedBy } from '../../support/aws-refresh.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

/**
 * The graph neighbourhood survives a targeted re-read: an IAM role re-read from one authorization-details
 * page still joins instance → instance profile → role, so attaching AdministratorAccess to the role of an
 * internet-exposed instance raises the graph policy's finding on the instance, and detaching resolves it.
 */
let moto: Moto;
const policies = loadPolicies({ builtIn: true });
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const POLICY = 'aws-ec2-internet-exposed-admin-instance';

before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

async function exposedInstanceWithRole(): Promise<string> {
  const iam = new IAMClient(testClientConfig(moto.endpoint));
  const ec2 = new EC2Client(testClientConfig(moto.endpoint, REGION));
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }],
  });
  await iam.send(new CreateRoleCommand({ RoleName: 'rg-app', AssumeRolePolicyDocument: trust }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'rg-app' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'rg-app', RoleName: 'rg-app' }));
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const subnet = (
    await ec2.send(
      new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.60.1.0/24', AvailabilityZone: `${REGION}a` }),
    )
  ).Subnet!.SubnetId!;
  await ec2.send(
    new ModifySubnetAttributeCommand({ SubnetId: subnet, MapPublicIpOnLaunch: { Value: true } }),
  );
  const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
  );
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: subnet }));
  const sg = (
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'rg-open', Description: 'x', VpcId: vpc }))
  ).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: sg,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnet,
      SecurityGroupIds: [sg],
      IamInstanceProfile: { Name: 'rg-app' },
    }),
  );
  iam.destroy();
  ec2.destroy();
  return run.Instances![0]!.InstanceId!;
}

describe('targeted IAM re-read in the watch state', () => {
  it('AttachRolePolicy raises the exposed-admin-instance finding on the instance; DetachRolePolicy resolves it', async () => {
    const instance = await exposedInstanceWithRole();
    const env = { endpoint: moto.endpoint, demand: demandFromPolicies(policies.compiled) };
    const first = await collectEnv(env);
    const report = scanInventory(first.inventory, policies);
    const verdict = (results: typeof report.results) =>
      results.find((r) => r.policy === POLICY && r.resource.id.endsWith(instance))?.status;
    assert.equal(verdict(report.results), 'pass');
    const state = new LiveState(first.inventory, policies, report.results);

    const iam = new IAMClient(testClientConfig(moto.endpoint));
    const step = async (eventName: 'AttachRolePolicy' | 'DetachRolePolicy') => {
      const Cmd = eventName === 'AttachRolePolicy' ? AttachRolePolicyCommand : DetachRolePolicyCommand;
      await iam.send(new Cmd({ RoleName: 'rg-app', PolicyArn: ADMIN }));
      const touched = touchedBy('iam.amazonaws.com', eventName, {
        requestParameters: { roleName: 'rg-app', policyArn: ADMIN },
      });
      const out = await reread(env, touched);
      assert.deepEqual(calls(out), ['iam:GetAccountAuthorizationDetails=1']);
      return state
        .apply([{ account: ACCOUNT, touched, fresh: out.resources }])
        .changes.filter((c) => c.result.policy === POLICY)
        .map((c) => [c.change, c.result.resource.id.split('/').at(-1), c.result.status]);
    };
    assert.deepEqual(await step('AttachRolePolicy'), [['new', instance, 'fail']]);
    assert.deepEqual(await step('DetachRolePolicy'), [['resolved', instance, 'pass']]);
    iam.destroy();
  });
});
