import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand as CreateClassicLoadBalancerCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Inventory } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { cloudtrailCollector } from '../../../src/sources/aws/collectors/cloudtrail.js';
import { cloudwatchCollector } from '../../../src/sources/aws/collectors/cloudwatch.js';
import { elbCollector } from '../../../src/sources/aws/collectors/elb.js';
import { kmsCollector } from '../../../src/sources/aws/collectors/kms.js';
import { lambdaCollector } from '../../../src/sources/aws/collectors/lambda.js';
import { logsCollector } from '../../../src/sources/aws/collectors/logs.js';
import { rdsCollector } from '../../../src/sources/aws/collectors/rds.js';
import { snsCollector } from '../../../src/sources/aws/collectors/sns.js';
import { collectWith } from '../../support/aws-collect.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

/**
 * The regional service collectors against moto, with exact results for the built-in policies and a
 * compliant twin for each violation, plus the contract shapes of the types no policy reads yet.
 */
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

const cfg = (region = 'us-east-1') => testClientConfig(moto.endpoint, region);
const ACCOUNT = '123456789012';

function rows(inventory: Inventory, ids: string[]): string[] {
  const report = scanInventory(inventory, loadPolicies({ only: ids }));
  return report.results.map((r) => `${r.policy} ${r.resource.name} ${r.status}`).sort();
}

async function dbInstance(rds: RDSClient, id: string, encrypted: boolean): Promise<void> {
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id,
      Engine: 'postgres',
      DBInstanceClass: 'db.t3.micro',
      MasterUsername: 'app',
      MasterUserPassword: 'Never-Printed-Pw1',
      AllocatedStorage: 20,
      StorageEncrypted: encrypted,
    }),
  );
}

describe('RDS on moto', () => {
  it('unencrypted instance fails, encrypted passes; public snapshot fails, private passes', async () => {
    const rds = new RDSClient(cfg());
    await dbInstance(rds, 'plain-db', false);
    await dbInstance(rds, 'sealed-db', true);
    await rds.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'plain-db', DBSnapshotIdentifier: 'public-snap' }),
    );
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: 'public-snap',
        AttributeName: 'restore',
        ValuesToAdd: ['all'],
      }),
    );
    await rds.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'plain-db', DBSnapshotIdentifier: 'private-snap' }),
    );
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: 'private-snap',
        AttributeName: 'restore',
        ValuesToAdd: ['111122223333'],
      }),
    );

    const inventory = await collectWith(moto.endpoint, [rdsCollector], { regions: ['us-east-1'] });
    assert.deepEqual(rows(inventory, ['aws-rds-storage-unencrypted', 'aws-rds-snapshot-public']), [
      'aws-rds-snapshot-public private-snap pass',
      'aws-rds-snapshot-public public-snap fail',
      'aws-rds-storage-unencrypted plain-db fail',
      'aws-rds-storage-unencrypted sealed-db pass',
    ]);
    const snap = inventory.resources.find((r) => r.name === 'public-snap');
    assert.equal(snap?.id, `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:public-snap`);
    assert.deepEqual(snap?.config.Attributes, [{ AttributeName: 'restore', AttributeValues: ['all'] }]);
    const db = inventory.resources.find((r) => r.name === 'plain-db');
    assert.deepEqual(db?.config.Tags, []);
    assert.equal(db?.config.TagList, undefined);
    assert.ok(!JSON.stringify(inventory).includes('Never-Printed-Pw1'));
  });
});

describe('KMS on moto', () => {
  it('a customer key without rotation fails, with rotation passes; aliases name keys', async () => {
    const kms = new KMSClient(cfg());
    await kms.send(new CreateKeyCommand({ Description: 'no rotation' }));
    const rotated = await kms.send(new CreateKeyCommand({ Description: 'rotated' }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: rotated.KeyMetadata?.KeyId }));
    await kms.send(
      new CreateAliasCommand({ AliasName: 'alias/rotated', TargetKeyId: rotated.KeyMetadata?.KeyId }),
    );

    const inventory = await collectWith(moto.endpoint, [kmsCollector], { regions: ['us-east-1'] });
    const unrotated = inventory.resources.find((r) => r.config.Description === 'no rotation');
    assert.deepEqual(
      rows(inventory, ['aws-kms-key-rotation-disabled']),
      [
        'aws-kms-key-rotation-disabled alias/rotated pass',
        `aws-kms-key-rotation-disabled ${String(unrotated?.config.KeyId)} fail`,
      ].sort(),
    );
    const key = inventory.resources.find((r) => r.name === 'alias/rotated');
    assert.deepEqual(key?.config.Aliases, ['alias/rotated']);
    assert.equal(key?.config.KeyManager, 'CUSTOMER');
    // The built-in policies do not read key policies or tags: neither was fetched.
    assert.equal(key?.config.Policy, undefined);
  });
});

describe('CloudTrail on moto', () => {
  it('a single-region trail fails, a multi-region one passes, and a trail is collected in its home region only', async () => {
    await new S3Client(cfg()).send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    const ct = new CloudTrailClient(cfg());
    await ct.send(
      new CreateTrailCommand({ Name: 'everywhere', S3BucketName: 'trail-logs', IsMultiRegionTrail: true }),
    );
    await ct.send(new CreateTrailCommand({ Name: 'home-only', S3BucketName: 'trail-logs' }));

    const inventory = await collectWith(moto.endpoint, [cloudtrailCollector], {
      regions: ['us-east-1', 'eu-west-1'],
      needsAll: true,
    });
    assert.deepEqual(rows(inventory, ['aws-cloudtrail-not-multi-region']), [
      'aws-cloudtrail-not-multi-region everywhere pass',
      'aws-cloudtrail-not-multi-region home-only fail',
    ]);
    const trail = inventory.resources.find((r) => r.name === 'everywhere');
    assert.equal(trail?.region, 'us-east-1');
    assert.equal(typeof trail?.config.Status, 'object');
    assert.deepEqual(trail?.config.EventSelectors, []);
    assert.deepEqual(trail?.config.AdvancedEventSelectors, []);
  });
});

describe('Lambda on moto', () => {
  it('keeps environment variable names and never their values', async () => {
    const role = await new IAMClient(cfg()).send(
      new CreateRoleCommand({
        RoleName: 'fn-role',
        AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
      }),
    );
    await new LambdaClient(cfg()).send(
      new CreateFunctionCommand({
        FunctionName: 'billing',
        Runtime: 'python3.12',
        Role: role.Role?.Arn,
        Handler: 'app.handler',
        // An empty zip archive: moto stores it, nothing runs it.
        Code: { ZipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') },
        Environment: { Variables: { DB_PASSWORD: 'hunter2-do-not-store', STAGE: 'prod-secret-stage' } },
      }),
    );
    const inventory = await collectWith(moto.endpoint, [lambdaCollector], {
      regions: ['us-east-1'],
      needsAll: true,
    });
    const fn = inventory.resources[0];
    assert.equal(fn?.id, `arn:aws:lambda:us-east-1:${ACCOUNT}:function:billing`);
    assert.deepEqual(fn?.config.Environment, {
      Variables: { DB_PASSWORD: '<redacted>', STAGE: '<redacted>' },
    });
    const text = JSON.stringify(inventory);
    assert.ok(!text.includes('hunter2-do-not-store'));
    assert.ok(!text.includes('prod-secret-stage'));
  });
});

describe('load balancers, logs, alarms and topics on moto', () => {
  it('collects them in the contract shapes, without subscription endpoints', async () => {
    const ec2 = new EC2Client(cfg());
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const subnets = await Promise.all(
      ['a', 'b'].map((az, i) =>
        ec2.send(
          new CreateSubnetCommand({
            VpcId: vpc.Vpc?.VpcId,
            CidrBlock: `10.0.${i}.0/24`,
            AvailabilityZone: `us-east-1${az}`,
          }),
        ),
      ),
    );
    const elbv2 = new ElasticLoadBalancingV2Client(cfg());
    const lb = await elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'web',
        Subnets: subnets.map((s) => s.Subnet?.SubnetId as string),
        Scheme: 'internet-facing',
        Tags: [{ Key: 'Name', Value: 'shop-web' }],
      }),
    );
    const tg = await elbv2.send(
      new CreateTargetGroupCommand({ Name: 'web-tg', Protocol: 'HTTP', Port: 80, VpcId: vpc.Vpc?.VpcId }),
    );
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroups?.[0]?.TargetGroupArn }],
      }),
    );
    await new ElasticLoadBalancingClient(cfg()).send(
      new CreateClassicLoadBalancerCommand({
        LoadBalancerName: 'legacy',
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }],
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    const logs = new CloudWatchLogsClient(cfg());
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'trail' }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: 'trail',
        filterName: 'root-usage',
        filterPattern: '{ $.userIdentity.type = "Root" }',
        metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CIS', metricValue: '1' }],
      }),
    );
    const sns = new SNSClient(cfg());
    const topic = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    await sns.send(
      new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'email', Endpoint: 'oncall@example.com' }),
    );
    await new CloudWatchClient(cfg()).send(
      new PutMetricAlarmCommand({
        AlarmName: 'root-usage',
        MetricName: 'RootUsage',
        Namespace: 'CIS',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topic.TopicArn as string],
      }),
    );

    const inventory = await collectWith(
      moto.endpoint,
      [elbCollector, logsCollector, cloudwatchCollector, snsCollector],
      { regions: ['us-east-1'], needsAll: true },
    );
    const of = (type: string) => inventory.resources.filter((r) => r.type === type);
    const v2 = of('aws.elbv2.load-balancer')[0]!;
    assert.equal(v2.name, 'shop-web');
    assert.equal(v2.config.Scheme, 'internet-facing');
    assert.deepEqual(
      (v2.config.Listeners as { Port: number; Protocol: string; DefaultActions: { Type: string }[] }[]).map(
        (l) => `${l.Protocol}:${l.Port} ${l.DefaultActions.map((a) => a.Type).join(',')}`,
      ),
      ['HTTP:80 forward'],
    );
    assert.equal((v2.config.Attributes as Record<string, string>)['deletion_protection.enabled'], 'false');
    assert.deepEqual(
      of('aws.elbv2.target-group').map((t) => [t.name, t.config.Targets]),
      [['web-tg', []]],
    );
    const classic = of('aws.elb.load-balancer')[0];
    assert.equal(classic?.id, `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/legacy`);
    assert.deepEqual(classic?.config.Instances, []);
    assert.deepEqual(
      of('aws.logs.log-group').map((g) => [g.id, g.config.logGroupName]),
      [[`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:trail`, 'trail']],
    );
    assert.deepEqual(
      of('aws.logs.metric-filter').map((f) => [
        f.name,
        f.config.logGroupName,
        f.config.metricTransformations,
      ]),
      [['root-usage', 'trail', [{ metricName: 'RootUsage', metricNamespace: 'CIS', metricValue: '1' }]]],
    );
    assert.deepEqual(
      of('aws.cloudwatch.alarm').map((a) => [a.name, a.config.MetricName, a.config.AlarmActions]),
      [['root-usage', 'RootUsage', [topic.TopicArn]]],
    );
    const topics = of('aws.sns.topic');
    assert.deepEqual(
      topics.map((t) => [t.name, (t.config.Subscriptions as { Protocol: string }[]).map((s) => s.Protocol)]),
      [['alerts', ['email']]],
    );
    assert.ok(!JSON.stringify(inventory).includes('oncall@example.com'));
  });
});
