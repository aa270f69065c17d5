import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigServiceClient, PutConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import {
  CreateFlowLogsCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DeleteFlowLogsCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { accountRegionCollector } from '../../../src/sources/aws/collectors/account-region.js';
import { ec2Collector } from '../../../src/sources/aws/collectors/ec2/index.js';
import { ACCOUNT, assertSameAsFull, calls, REGION, reread, touchedBy } from '../../support/aws-refresh.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

let moto: Moto;
let ec2: EC2Client;
const EC2 = 'ec2.amazonaws.com';

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint, REGION));
});
beforeEach(() => moto.reset());
after(async () => {
  ec2?.destroy();
  await moto?.stop();
});

const env = () => ({ endpoint: moto.endpoint, collectors: [ec2Collector] });

async function volume(): Promise<string> {
  const v = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 8 }));
  return v.VolumeId!;
}

describe('EC2 targeted re-reads beyond security groups and instances', () => {
  it('CreateVolume: one DescribeVolumes by id; deleted reads as gone', async () => {
    const id = await volume();
    await volume();
    const touched = touchedBy(EC2, 'CreateVolume', { responseElements: { volumeId: id, size: 8 } });
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${id}`;
    const out = await assertSameAsFull(env(), touched, [arn]);
    assert.deepEqual(calls(out), ['ec2:DescribeVolumes=1']);
    await ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
    const gone = await reread(env(), touched);
    assert.deepEqual([gone.resources, gone.failed, calls(gone)], [[], [], ['ec2:DescribeVolumes=1']]);
  });

  it('ModifySnapshotAttribute: the snapshot and its createVolumePermission, two calls; deleted reads as gone', async () => {
    const vol = await volume();
    const snap = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol }));
    await ec2.send(new CreateSnapshotCommand({ VolumeId: vol }));
    const SnapshotId = snap.SnapshotId!;
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        GroupNames: ['all'],
      }),
    );
    const touched = touchedBy(EC2, 'ModifySnapshotAttribute', {
      requestParameters: { snapshotId: SnapshotId, attributeType: 'CREATE_VOLUME_PERMISSION' },
    });
    const arn = `arn:aws:ec2:${REGION}::snapshot/${SnapshotId}`;
    const out = await assertSameAsFull(env(), touched, [arn]);
    assert.deepEqual(calls(out), ['ec2:DescribeSnapshotAttribute=1', 'ec2:DescribeSnapshots=1']);
    assert.deepEqual(out.resources[0]!.config.CreateVolumePermissions, [{ Group: 'all' }]);
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId }));
    const gone = await reread(env(), touched);
    assert.deepEqual([gone.resources, gone.failed, calls(gone)], [[], [], ['ec2:DescribeSnapshots=1']]);
  });

  it('ModifyImageAttribute: the AMI and its launchPermission, two calls; deregistered reads as gone', async () => {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
      }),
    );
    const InstanceId = run.Instances![0]!.InstanceId!;
    const img = await ec2.send(new CreateImageCommand({ InstanceId, Name: 'rr-image' }));
    await ec2.send(new CreateImageCommand({ InstanceId, Name: 'rr-other' }));
    const ImageId = img.ImageId!;
    await ec2.send(
      new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } }),
    );
    const touched = touchedBy(EC2, 'ModifyImageAttribute', {
      requestParameters: { imageId: ImageId, attributeType: 'launchPermission' },
    });
    const arn = `arn:aws:ec2:${REGION}::image/${ImageId}`;
    const out = await assertSameAsFull(env(), touched, [arn]);
    assert.deepEqual(calls(out), ['ec2:DescribeImageAttribute=1', 'ec2:DescribeImages=1']);
    assert.deepEqual(out.resources[0]!.config.LaunchPermissions, [{ Group: 'all' }]);
    await ec2.send(new DeregisterImageCommand({ ImageId }));
    const gone = await reread(env(), touched);
    assert.deepEqual([gone.resources, gone.failed], [[], []]);
  });

  it('CreateFlowLogs / DeleteFlowLogs: the VPC with its flow logs; a deletion re-reads every VPC with two calls', async () => {
    const s3 = new S3Client(testClientConfig(moto.endpoint, REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'rr-flow-logs' }));
    s3.destroy();
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }));
    const flow = await ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpc],
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 's3',
        LogDestination: 'arn:aws:s3:::rr-flow-logs',
      }),
    );
    const flowLogId = flow.FlowLogIds![0]!;
    const created = touchedBy(EC2, 'CreateFlowLogs', {
      requestParameters: {
        CreateFlowLogsRequest: { ResourceId: { content: vpc, tag: 1 }, TrafficType: 'ALL' },
      },
    });
    const vpcArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${vpc}`;
    const out = await assertSameAsFull(env(), created, [vpcArn]);
    assert.deepEqual(calls(out), ['ec2:DescribeFlowLogs=1', 'ec2:DescribeVpcs=1']);
    assert.deepEqual(
      (out.resources[0]!.config.FlowLogs as { FlowLogId: string }[]).map((f) => f.FlowLogId),
      [flowLogId],
    );

    await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [flowLogId] }));
    const deleted = touchedBy(EC2, 'DeleteFlowLogs', {
      requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { content: flowLogId, tag: 1 } } },
    });
    assert.deepEqual(
      deleted.map((t) => [t.type, t.id ?? 'all']),
      [
        ['aws.ec2.flow-log', `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/${flowLogId}`],
        ['aws.ec2.vpc', 'all'],
      ],
    );
    const every = await reread(env(), deleted);
    assert.deepEqual(every.failed, []);
    assert.deepEqual(calls(every), ['ec2:DescribeFlowLogs=1', 'ec2:DescribeVpcs=1']);
    const vpcs = every.resources.filter((r) => r.type === 'aws.ec2.vpc');
    // moto's default VPC and the two made here; the flow log itself is gone.
    assert.equal(vpcs.length, 3);
    assert.deepEqual(
      every.resources.filter((r) => r.type === 'aws.ec2.flow-log'),
      [],
    );
    assert.deepEqual(vpcs.find((r) => r.id === vpcArn)!.config.FlowLogs, []);
    await assertSameAsFull(
      env(),
      deleted,
      vpcs.map((r) => r.id),
    );
  });

  it('EnableEbsEncryptionByDefault: the region settings, with the one call that field costs', async () => {
    await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    const touched = touchedBy(EC2, 'EnableEbsEncryptionByDefault', {
      responseElements: { ebsEncryptionByDefault: true },
    });
    const out = await assertSameAsFull(
      {
        endpoint: moto.endpoint,
        collectors: [accountRegionCollector],
        demand: { needs: (t, p) => t === 'aws.account.region' && p === 'EbsEncryptionByDefault' },
      },
      touched,
      [`arn:aws:ec2:${REGION}:${ACCOUNT}:region`],
    );
    assert.deepEqual(calls(out), ['ec2:GetEbsEncryptionByDefault=1']);
    assert.equal(out.resources[0]!.config.EbsEncryptionByDefault, true);
  });

  it('StopConfigurationRecorder: the region settings re-read; the recorder type itself has no live collector', async () => {
    const config = new ConfigServiceClient(testClientConfig(moto.endpoint, REGION));
    await config.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: {
          name: 'default',
          roleARN: `arn:aws:iam::${ACCOUNT}:role/config`,
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        },
      }),
    );
    config.destroy();
    await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    const touched = touchedBy('config.amazonaws.com', 'StopConfigurationRecorder', {
      requestParameters: { configurationRecorderName: 'default' },
    });
    const fields = ['EbsEncryptionByDefault', 'ConfigurationRecorders'];
    const env = {
      endpoint: moto.endpoint,
      collectors: [accountRegionCollector],
      demand: { needs: (t: string, p: string) => t === 'aws.account.region' && fields.includes(p) },
    };
    const out = await assertSameAsFull(env, touched, [`arn:aws:ec2:${REGION}:${ACCOUNT}:region`]);
    assert.deepEqual(
      out.unsupported.map((t) => [t.type, t.name]),
      [['aws.config.recorder', 'default']],
    );
    assert.deepEqual(calls(out), [
      'config:DescribeConfigurationRecorderStatus=1',
      'config:DescribeConfigurationRecorders=1',
      'ec2:GetEbsEncryptionByDefault=1',
    ]);
    // Whichever call answers first, the config keys keep one order.
    assert.deepEqual(Object.keys(out.resources[0]!.config), ['RegionName', ...fields]);
  });
});
