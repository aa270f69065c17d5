import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { accountRegionCollector } from '../../../src/sources/aws/collectors/account-region.js';
import { ec2Collector } from '../../../src/sources/aws/collectors/ec2/index.js';
import { demandFromPaths } from '../../../src/sources/aws/demand.js';
import { collectFull, collectWith } from '../../support/aws-collect.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const ec2 = (region: string) => new EC2Client(testClientConfig(moto.endpoint, region));
const nameTag = (
  Name: string,
  type: 'security-group' | 'volume' | 'vpc' | 'snapshot' | 'image' | 'instance',
) => [{ ResourceType: type, Tags: [{ Key: 'Name', Value: Name }] }];

async function securityGroup(region: string, name: string, port: number, cidr: string): Promise<string> {
  const c = ec2(region);
  const vpc = await c.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
  const sg = await c.send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: 'test',
      VpcId: vpc.Vpc?.VpcId,
      TagSpecifications: nameTag(name, 'security-group'),
    }),
  );
  await c.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: sg.GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] }],
    }),
  );
  return sg.GroupId as string;
}

/** (policy, name, status) for the resources a test created (their names start with `wt-`). */
function verdicts(inventory: Inventory, policy: string): string[] {
  const report = scanInventory(inventory, loadPolicies({ only: [policy] }));
  return report.results
    .filter((r) => r.resource.name.startsWith('wt-'))
    .map((r) => `${r.resource.region} ${r.resource.name} ${r.status}`)
    .sort();
}

function byName(inventory: Inventory, type: string, name: string): Resource {
  const r = inventory.resources.find((x) => x.type === type && x.name === name);
  assert.ok(r, `${type} ${name} not collected`);
  return r;
}

describe('EC2 collector on moto', () => {
  it('finds SSH and RDP open to the world in two regions, not their narrowed twins', async () => {
    await securityGroup('us-east-1', 'wt-ssh-open', 22, '0.0.0.0/0');
    await securityGroup('us-east-1', 'wt-ssh-office', 22, '203.0.113.0/24');
    await securityGroup('eu-west-1', 'wt-rdp-open', 3389, '0.0.0.0/0');
    await securityGroup('eu-west-1', 'wt-rdp-office', 3389, '198.51.100.0/24');
    const inv = await collectWith(moto.endpoint, [ec2Collector], { regions: ['us-east-1', 'eu-west-1'] });
    assert.deepEqual(verdicts(inv, 'aws-ec2-sg-admin-ports-open'), [
      'eu-west-1 wt-rdp-office pass',
      'eu-west-1 wt-rdp-open fail',
      'us-east-1 wt-ssh-office pass',
      'us-east-1 wt-ssh-open fail',
    ]);
    const sg = byName(inv, 'aws.ec2.security-group', 'wt-ssh-open');
    assert.equal(sg.account, '123456789012');
    assert.match(sg.id, /^arn:aws:ec2:us-east-1:123456789012:security-group\/sg-[0-9a-f]+$/);
    assert.deepEqual(sg.config.IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ]);
  });

  it('flags the unencrypted volume and the VPC without flow logs, with compliant twins', async () => {
    const c = ec2('us-east-1');
    await c.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        TagSpecifications: nameTag('wt-plain', 'volume'),
      }),
    );
    await c.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        Encrypted: true,
        TagSpecifications: nameTag('wt-encrypted', 'volume'),
      }),
    );
    await c.send(
      new CreateVpcCommand({ CidrBlock: '10.2.0.0/16', TagSpecifications: nameTag('wt-dark', 'vpc') }),
    );
    const logged = await c.send(
      new CreateVpcCommand({ CidrBlock: '10.3.0.0/16', TagSpecifications: nameTag('wt-logged', 'vpc') }),
    );
    await c.send(
      new CreateFlowLogsCommand({
        ResourceIds: [logged.Vpc?.VpcId as string],
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: 'vpc-flows',
        DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/flow-logs',
      }),
    );
    const inv = await collectWith(moto.endpoint, [ec2Collector], { regions: ['us-east-1'] });
    assert.deepEqual(verdicts(inv, 'aws-ebs-volume-unencrypted'), [
      'us-east-1 wt-encrypted pass',
      'us-east-1 wt-plain fail',
    ]);
    assert.deepEqual(verdicts(inv, 'aws-vpc-flow-logs-disabled'), [
      'us-east-1 wt-dark fail',
      'us-east-1 wt-logged pass',
    ]);
    const vpc = byName(inv, 'aws.ec2.vpc', 'wt-logged');
    const flowLogs = vpc.config.FlowLogs as Record<string, unknown>[];
    assert.equal(flowLogs.length, 1);
    assert.equal(flowLogs[0]?.TrafficType, 'ALL');
    assert.equal(flowLogs[0]?.LogDestinationType, 'cloud-watch-logs');
    assert.equal(inv.resources.filter((r) => r.type === 'aws.ec2.flow-log').length, 1);
  });

  it('reads who may use owned snapshots and AMIs, only when a policy needs it', async () => {
    const c = ec2('us-east-1');
    const vol = await c.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    const shared = await c.send(
      new CreateSnapshotCommand({
        VolumeId: vol.VolumeId,
        TagSpecifications: nameTag('wt-public-snap', 'snapshot'),
      }),
    );
    await c.send(
      new CreateSnapshotCommand({
        VolumeId: vol.VolumeId,
        TagSpecifications: nameTag('wt-private-snap', 'snapshot'),
      }),
    );
    await c.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: shared.SnapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        GroupNames: ['all'],
      }),
    );
    const run = await c.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: nameTag('wt-builder', 'instance'),
      }),
    );
    const instanceId = run.Instances?.[0]?.InstanceId as string;
    const pub = await c.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'wt-public-ami' }));
    await c.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'wt-private-ami' }));
    await c.send(
      new ModifyImageAttributeCommand({
        ImageId: pub.ImageId,
        LaunchPermission: { Add: [{ Group: 'all' }] },
      }),
    );
    const full = await collectFull(moto.endpoint, [ec2Collector], { regions: ['us-east-1'], needsAll: true });
    const inv = full.inventory;
    assert.deepEqual(byName(inv, 'aws.ec2.snapshot', 'wt-public-snap').config.CreateVolumePermissions, [
      { Group: 'all' },
    ]);
    assert.deepEqual(byName(inv, 'aws.ec2.snapshot', 'wt-private-snap').config.CreateVolumePermissions, []);
    assert.deepEqual(byName(inv, 'aws.ec2.image', 'wt-public-ami').config.LaunchPermissions, [
      { Group: 'all' },
    ]);
    assert.deepEqual(byName(inv, 'aws.ec2.image', 'wt-private-ami').config.LaunchPermissions, []);
    // Only owned images: moto's public catalogue is not inventoried.
    assert.deepEqual(
      inv.resources
        .filter((r) => r.type === 'aws.ec2.image')
        .map((r) => r.name)
        .sort(),
      ['wt-private-ami', 'wt-public-ami'],
    );
    assert.deepEqual(verdicts(inv, 'aws-ebs-snapshot-public'), [
      'us-east-1 wt-private-snap pass',
      'us-east-1 wt-public-snap fail',
    ]);
    assert.deepEqual(verdicts(inv, 'aws-ami-public'), [
      'us-east-1 wt-private-ami pass',
      'us-east-1 wt-public-ami fail',
    ]);
    const calls = (op: string) => full.stats.operations.find((o) => o.operation === op)?.calls ?? 0;
    assert.equal(calls('DescribeImageAttribute'), 2);

    // A policy set that never reads the sharing attributes makes no per-snapshot or per-image call.
    const lean = await collectFull(moto.endpoint, [ec2Collector], {
      regions: ['us-east-1'],
      demand: demandFromPaths({ 'aws.ec2.volume': ['Encrypted'] }),
    });
    const leanOps = lean.stats.operations.map((o) => o.operation);
    assert.ok(!leanOps.includes('DescribeSnapshotAttribute'), leanOps.join(','));
    assert.ok(!leanOps.includes('DescribeImageAttribute'), leanOps.join(','));
    assert.equal(
      byName(lean.inventory, 'aws.ec2.snapshot', 'wt-public-snap').config.CreateVolumePermissions,
      undefined,
    );

    const inst = byName(inv, 'aws.ec2.instance', 'wt-builder');
    assert.equal(inst.config.InstanceId, instanceId);
    assert.equal('UserData' in inst.config, false);
    assert.ok(Array.isArray(inst.config.SecurityGroups));
    // The root volume's encryption and size come from the region's one DescribeVolumes.
    const mappings = inst.config.BlockDeviceMappings as {
      Ebs?: { VolumeId?: string; Encrypted?: boolean; VolumeSize?: number };
    }[];
    assert.equal(mappings.length, 1);
    assert.match(mappings[0]?.Ebs?.VolumeId ?? '', /^vol-/);
    assert.equal(mappings[0]?.Ebs?.Encrypted, false);
    assert.equal(typeof mappings[0]?.Ebs?.VolumeSize, 'number');
    assert.equal(calls('DescribeVolumes'), 1);
  });

  it('collects key pairs and the per-region account resource', async () => {
    await ec2('eu-west-1').send(new CreateKeyPairCommand({ KeyName: 'wt-deploy' }));
    // moto has no Access Analyzer API: the field must come out unreadable, not empty.
    const inv = await collectWith(moto.endpoint, [ec2Collector, accountRegionCollector], {
      regions: ['eu-west-1'],
      needsAll: true,
      maxAttempts: 1,
    });
    const key = byName(inv, 'aws.ec2.key-pair', 'wt-deploy');
    assert.equal(key.config.KeyName, 'wt-deploy');
    assert.equal('KeyMaterial' in key.config, false);
    const region = inv.resources.filter((r) => r.type === 'aws.account.region');
    assert.equal(region.length, 1);
    assert.equal(region[0]?.id, 'arn:aws:ec2:eu-west-1:123456789012:region');
    assert.deepEqual(region[0]?.config, {
      RegionName: 'eu-west-1',
      EbsEncryptionByDefault: false,
      ConfigurationRecorders: [],
      // moto answers DescribeHub of an account that never enabled Security Hub as AWS does.
      SecurityHub: { Enabled: false },
    });
    assert.deepEqual(
      region[0]?.errors?.map((e) => [e.path, e.code]),
      [['AccessAnalyzers', 'InvalidResponse(HTTP 500)']],
    );
  });
});
