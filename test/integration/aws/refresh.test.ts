import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { TouchedResource } from '../../../src/events/types.js';
import { resolveAwsTargets } from '../../../src/sources/aws/collect.js';
import { COLLECTORS } from '../../../src/sources/aws/collectors/index.js';
import { ALL } from '../../../src/sources/aws/demand.js';
import { refreshAws } from '../../../src/sources/aws/refresh.js';
import { FAKE_CREDENTIALS, type Moto, startMoto, testClientConfig } from '../../support/moto.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
let moto: Moto;
let ec2: EC2Client;

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint, REGION));
});
after(async () => {
  ec2?.destroy();
  await moto?.stop();
});

async function reread(touched: TouchedResource[]) {
  const access = {
    endpoint: moto.endpoint,
    credentials: FAKE_CREDENTIALS,
    regions: [REGION],
    homeRegion: REGION,
  };
  const resolved = await resolveAwsTargets(access);
  return refreshAws({ ...access, demand: ALL, collectors: COLLECTORS, resolved }, ACCOUNT, touched);
}

const calls = (out: Awaited<ReturnType<typeof reread>>) =>
  out.stats.operations.map((o) => `${o.service}:${o.operation}=${o.calls}`).sort();

describe('targeted re-reads (watch mode)', () => {
  it('re-reads one security group with one call, and a deleted one reads as gone', async () => {
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'rr-1', Description: 'x' }),
    );
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'rr-2', Description: 'x' }));
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${GroupId}`;
    const touched = [{ type: 'aws.ec2.security-group', id: arn, name: GroupId!, region: REGION }];
    const out = await reread(touched);
    assert.deepEqual(
      out.resources.map((r) => [r.id, r.name]),
      [[arn, 'rr-1']],
    );
    assert.deepEqual(calls(out), ['ec2:DescribeSecurityGroups=1']);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    const gone = await reread(touched);
    assert.deepEqual([gone.resources.length, gone.failed.length], [0, 0]);
  });

  it('re-reads a launched instance with DescribeInstances and DescribeVolumes only', async () => {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`;
    const out = await reread([{ type: 'aws.ec2.instance', id: arn, name: id, region: REGION }]);
    assert.deepEqual(
      out.resources.map((r) => r.id),
      [arn],
    );
    assert.deepEqual(calls(out), ['ec2:DescribeInstances=1', 'ec2:DescribeVolumes=1']);
    // Terminated, the instance is still listed (AWS: for about an hour; moto: for good) but reads as gone.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const gone = await reread([{ type: 'aws.ec2.instance', id: arn, name: id, region: REGION }]);
    assert.deepEqual([gone.resources.length, gone.failed.length], [0, 0]);
    assert.deepEqual(calls(gone), ['ec2:DescribeInstances=1']);
  });

  it('re-reads a PutBucketPolicy-touched bucket by name, without ListBuckets, and a deleted one reads as gone', async () => {
    const s3 = new S3Client(testClientConfig(moto.endpoint, REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'rr-bucket-a' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'rr-bucket-b' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::rr-bucket-a/*' },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'rr-bucket-a', Policy: JSON.stringify(policy) }));
    const touched = [
      { type: 'aws.s3.bucket', id: 'arn:aws:s3:::rr-bucket-a', name: 'rr-bucket-a', region: '' },
    ];
    const out = await reread(touched);
    assert.deepEqual(
      out.resources.map((r) => [r.id, r.region, r.config.Location]),
      [['arn:aws:s3:::rr-bucket-a', REGION, REGION]],
    );
    assert.deepEqual(out.resources[0]!.config.Policy, policy);
    assert.deepEqual(calls(out), [
      's3:GetBucketAcl=1',
      's3:GetBucketEncryption=1',
      's3:GetBucketLocation=1',
      's3:GetBucketLogging=1',
      's3:GetBucketPolicy=1',
      's3:GetBucketTagging=1',
      's3:GetBucketVersioning=1',
      // The bucket's and the account's Block Public Access (s3control, counted under its operation name).
      's3:GetPublicAccessBlock=2',
    ]);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'rr-bucket-a' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'rr-bucket-a' }));
    s3.destroy();
    const gone = await reread(touched);
    assert.deepEqual([gone.resources.length, gone.failed.length], [0, 0]);
    assert.deepEqual(calls(gone), ['s3:GetBucketLocation=1', 's3:GetPublicAccessBlock=1']);
  });

  it('falls back to the list call filtered to the touched resource, and names types no collector reads', async () => {
    const sns = new SNSClient(testClientConfig(moto.endpoint, REGION));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'rr-topic-a' }));
    await sns.send(new CreateTopicCommand({ Name: 'rr-topic-b' }));
    sns.destroy();
    const out = await reread([
      { type: 'aws.sns.topic', id: TopicArn!, name: 'rr-topic-a', region: REGION },
      { type: 'aws.nosuch.thing', name: 'x', region: REGION },
    ]);
    assert.deepEqual(
      out.resources.map((r) => r.id),
      [TopicArn],
    );
    assert.deepEqual(
      out.unsupported.map((t) => t.type),
      ['aws.nosuch.thing'],
    );
    assert.ok(calls(out).includes('sns:ListTopics=1'), calls(out).join(' '));
  });
});
