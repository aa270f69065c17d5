import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import type { Resource } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { cloudtrailCollector } from '../../../src/sources/aws/collectors/cloudtrail.js';
import { kmsCollector } from '../../../src/sources/aws/collectors/kms.js';
import { rdsCollector } from '../../../src/sources/aws/collectors/rds.js';
import { s3Collector } from '../../../src/sources/aws/collectors/s3.js';
import { demandFromPolicies } from '../../../src/sources/aws/demand.js';
import { type AwsProxy, startAwsProxy } from '../../support/aws-proxy.js';
import { ACCOUNT, assertSameAsFull, calls, REGION, reread, touchedBy } from '../../support/aws-refresh.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

let moto: Moto;
let rds: RDSClient;
let kms: KMSClient;
let ct: CloudTrailClient;

before(async () => {
  moto = await startMoto();
  const cfg = testClientConfig(moto.endpoint, REGION);
  rds = new RDSClient(cfg);
  kms = new KMSClient(cfg);
  ct = new CloudTrailClient(cfg);
});
beforeEach(() => moto.reset());
after(async () => {
  for (const c of [rds, kms, ct]) c?.destroy();
  await moto?.stop();
});

const builtIn = demandFromPolicies(loadPolicies({ builtIn: true }).compiled);

/** A config without `key`: for fields that differ between two reads of the same resource (each use says why). */
const without = (key: string) => (r: Resource) => {
  const { [key]: _, ...config } = r.config;
  return { ...r, config };
};

describe('RDS targeted re-reads', () => {
  const env = () => ({ endpoint: moto.endpoint, collectors: [rdsCollector] });
  // "Now" in moto, and in AWS it advances every few minutes: it differs between any two reads.
  const volatile = without('LatestRestorableTime');
  const dbArn = (id: string) => `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`;

  async function db(id: string) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin1',
        MasterUserPassword: 'not-a-real-password-1',
        Tags: [{ Key: 'team', Value: 'data' }],
      }),
    );
  }

  it('ModifyDBInstance: one DescribeDBInstances by identifier; deleted reads as gone', async () => {
    await db('rr-db-a');
    await db('rr-db-b');
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'rr-db-a',
        PubliclyAccessible: true,
        ApplyImmediately: true,
      }),
    );
    const touched = touchedBy('rds.amazonaws.com', 'ModifyDBInstance', {
      requestParameters: { dBInstanceIdentifier: 'rr-db-a', publiclyAccessible: true },
    });
    const out = await assertSameAsFull(env(), touched, [dbArn('rr-db-a')], volatile);
    assert.deepEqual(calls(out), ['rds:DescribeDBInstances=1']);
    assert.equal(out.resources[0]!.config.PubliclyAccessible, true);
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'rr-db-a', SkipFinalSnapshot: true }));
    const gone = await reread(env(), touched);
    assert.deepEqual([gone.resources, gone.failed, calls(gone)], [[], [], ['rds:DescribeDBInstances=1']]);
  });

  it('ModifyDBCluster: one DescribeDBClusters by identifier', async () => {
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'rr-cluster',
        Engine: 'aurora-postgresql',
        MasterUsername: 'admin1',
        MasterUserPassword: 'not-a-real-password-1',
      }),
    );
    await rds.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: 'rr-cluster',
        BackupRetentionPeriod: 7,
        ApplyImmediately: true,
      }),
    );
    const touched = touchedBy('rds.amazonaws.com', 'ModifyDBCluster', {
      requestParameters: { dBClusterIdentifier: 'rr-cluster' },
    });
    const out = await assertSameAsFull(
      env(),
      touched,
      [`arn:aws:rds:${REGION}:${ACCOUNT}:cluster:rr-cluster`],
      volatile,
    );
    assert.deepEqual(calls(out), ['rds:DescribeDBClusters=1']);
  });

  it('ModifyDBSnapshotAttribute: the snapshot and its restore attribute, two calls; deleted reads as gone', async () => {
    await db('rr-db-s');
    await rds.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'rr-db-s', DBSnapshotIdentifier: 'rr-snap' }),
    );
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: 'rr-snap',
        AttributeName: 'restore',
        ValuesToAdd: ['all'],
      }),
    );
    const touched = touchedBy('rds.amazonaws.com', 'ModifyDBSnapshotAttribute', {
      requestParameters: { dBSnapshotIdentifier: 'rr-snap', attributeName: 'restore', valuesToAdd: ['all'] },
    });
    const arn = `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:rr-snap`;
    const out = await assertSameAsFull(env(), touched, [arn]);
    assert.deepEqual(calls(out), ['rds:DescribeDBSnapshotAttributes=1', 'rds:DescribeDBSnapshots=1']);
    assert.deepEqual(out.resources[0]!.config.Attributes, [
      { AttributeName: 'restore', AttributeValues: ['all'] },
    ]);
    await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'rr-snap' }));
    const gone = await reread(env(), touched);
    assert.deepEqual([gone.resources, gone.failed], [[], []]);
  });

  describe('denied', () => {
    let proxy: AwsProxy;
    before(async () => {
      proxy = await startAwsProxy(moto.endpoint, (i) =>
        i.service === 'rds' && i.operation === 'DescribeDBInstances' ? 'deny' : undefined,
      );
    });
    after(() => proxy?.stop());

    it('a denied DescribeDBInstances is a failed re-read, not a deleted instance', async () => {
      await db('rr-db-d');
      const touched = touchedBy('rds.amazonaws.com', 'ModifyDBInstance', {
        requestParameters: { dBInstanceIdentifier: 'rr-db-d' },
      });
      const out = await reread({ endpoint: proxy.endpoint, collectors: [rdsCollector] }, touched);
      assert.deepEqual(out.resources, []);
      assert.deepEqual(
        out.failed.map((f) => [f.touched.id, f.code]),
        [[dbArn('rr-db-d'), 'AccessDenied']],
      );
    });
  });
});

describe('KMS targeted re-reads', () => {
  const env = (demand = {}) => ({ endpoint: moto.endpoint, collectors: [kmsCollector], ...demand });

  it('EnableKeyRotation: DescribeKey, the key’s aliases, then what policies read; deleted reads as gone', async () => {
    const key = await kms.send(
      new CreateKeyCommand({ Description: 'rr', Tags: [{ TagKey: 'team', TagValue: 'sec' }] }),
    );
    await kms.send(new CreateKeyCommand({ Description: 'other' }));
    const KeyId = key.KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/rr-key', TargetKeyId: KeyId }));
    await kms.send(new EnableKeyRotationCommand({ KeyId }));
    const touched = touchedBy('kms.amazonaws.com', 'EnableKeyRotation', {
      requestParameters: { keyId: KeyId },
    });
    const arn = key.KeyMetadata!.Arn!;
    assert.deepEqual(
      touched.map((t) => t.id),
      [arn],
    );
    const all = await assertSameAsFull(env(), touched, [arn]);
    assert.deepEqual(calls(all), [
      'kms:DescribeKey=1',
      'kms:GetKeyPolicy=1',
      'kms:GetKeyRotationStatus=1',
      'kms:ListAliases=1',
      'kms:ListResourceTags=1',
    ]);
    assert.deepEqual(
      [all.resources[0]!.name, all.resources[0]!.config.KeyRotationEnabled],
      ['alias/rr-key', true],
    );
    // What `warden watch` reads with the built-in policies.
    const watched = await assertSameAsFull(env({ demand: builtIn }), touched, [arn]);
    assert.deepEqual(calls(watched), [
      'kms:DescribeKey=1',
      'kms:GetKeyRotationStatus=1',
      'kms:ListAliases=1',
    ]);
    // Scheduled for deletion the key is still there (PendingDeletion), as in a full collection.
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    const pending = await assertSameAsFull(env(), touched, [arn]);
    assert.equal(pending.resources[0]!.config.KeyState, 'PendingDeletion');
    // A key id that names nothing: NotFound reads as gone.
    const missing = [
      { ...touched[0]!, id: arn.replace(KeyId, '00000000-0000-4000-8000-000000000000'), name: undefined },
    ];
    const gone = await reread(env(), missing);
    assert.deepEqual([gone.resources, gone.failed, calls(gone)], [[], [], ['kms:DescribeKey=1']]);
  });
});

describe('CloudTrail targeted re-reads', () => {
  const env = () => ({ endpoint: moto.endpoint, collectors: [cloudtrailCollector] });
  // moto's GetTrail leaves HomeRegion out (AWS's GetTrail has it, as DescribeTrails does).
  const noHome = without('HomeRegion');

  it('StopLogging / PutEventSelectors: GetTrail plus status, selectors and tags; deleted reads as gone', async () => {
    const s3 = new S3Client(testClientConfig(moto.endpoint, REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'rr-trail-logs' }));
    s3.destroy();
    const made = await ct.send(
      new CreateTrailCommand({ Name: 'rr-trail', S3BucketName: 'rr-trail-logs', IsMultiRegionTrail: true }),
    );
    await ct.send(new CreateTrailCommand({ Name: 'rr-other', S3BucketName: 'rr-trail-logs' }));
    await ct.send(new StartLoggingCommand({ Name: 'rr-trail' }));
    await ct.send(new StopLoggingCommand({ Name: 'rr-trail' }));
    const stop = touchedBy('cloudtrail.amazonaws.com', 'StopLogging', {
      requestParameters: { name: 'rr-trail' },
    });
    const arn = made.TrailARN!;
    assert.deepEqual(
      stop.map((t) => t.id),
      [arn],
    );
    const out = await assertSameAsFull(env(), stop, [arn], noHome);
    assert.deepEqual(calls(out), [
      'cloudtrail:GetEventSelectors=1',
      'cloudtrail:GetTrail=1',
      'cloudtrail:GetTrailStatus=1',
      'cloudtrail:ListTags=1',
    ]);
    assert.equal((out.resources[0]!.config.Status as { IsLogging: boolean }).IsLogging, false);

    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: 'rr-trail',
        EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
      }),
    );
    const selectors = touchedBy('cloudtrail.amazonaws.com', 'PutEventSelectors', {
      requestParameters: { trailName: 'rr-trail' },
      responseElements: { trailARN: arn },
    });
    const after = await assertSameAsFull(env(), selectors, [arn], noHome);
    assert.equal(
      (after.resources[0]!.config.EventSelectors as { ReadWriteType: string }[])[0]!.ReadWriteType,
      'WriteOnly',
    );

    await ct.send(new DeleteTrailCommand({ Name: 'rr-trail' }));
    const del = touchedBy('cloudtrail.amazonaws.com', 'DeleteTrail', {
      requestParameters: { name: 'rr-trail' },
    });
    const gone = await reread(env(), del);
    assert.deepEqual([gone.resources, gone.failed, calls(gone)], [[], [], ['cloudtrail:GetTrail=1']]);
  });
});

describe('S3 bucket re-read', () => {
  it('PutBucketPolicy: the same bucket as a full collection, key order included', async () => {
    const s3 = new S3Client(testClientConfig(moto.endpoint, REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'rr-same-a' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'rr-same-b' }));
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::rr-same-a/*' },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'rr-same-a', Policy }));
    s3.destroy();
    const touched = touchedBy('s3.amazonaws.com', 'PutBucketPolicy', {
      requestParameters: { bucketName: 'rr-same-a' },
    });
    const out = await assertSameAsFull({ endpoint: moto.endpoint, collectors: [s3Collector] }, touched, [
      'arn:aws:s3:::rr-same-a',
    ]);
    assert.deepEqual(Object.keys(out.resources[0]!.config).slice(0, 4), [
      'Name',
      'Location',
      'Acl',
      'Policy',
    ]);
  });
});

describe('denied KMS and CloudTrail re-reads', () => {
  let proxy: AwsProxy;
  before(async () => {
    proxy = await startAwsProxy(moto.endpoint, (i) =>
      (i.service === 'kms' && i.operation === 'DescribeKey') ||
      (i.service === 'cloudtrail' && i.operation === 'GetTrail')
        ? 'deny'
        : undefined,
    );
  });
  after(() => proxy?.stop());

  it('a denied DescribeKey or GetTrail is a failed re-read, not a deleted key or trail', async () => {
    const key = await kms.send(new CreateKeyCommand({}));
    const s3 = new S3Client(testClientConfig(moto.endpoint, REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'rr-denied-logs' }));
    s3.destroy();
    await ct.send(new CreateTrailCommand({ Name: 'rr-denied', S3BucketName: 'rr-denied-logs' }));
    const touched = [
      ...touchedBy('kms.amazonaws.com', 'DisableKeyRotation', {
        requestParameters: { keyId: key.KeyMetadata!.KeyId },
      }),
      ...touchedBy('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: { name: 'rr-denied' } }),
    ];
    const out = await reread(
      { endpoint: proxy.endpoint, collectors: [kmsCollector, cloudtrailCollector] },
      touched,
    );
    assert.deepEqual(out.resources, []);
    assert.deepEqual(out.failed.map((f) => [f.touched.type, f.code]).sort(), [
      ['aws.cloudtrail.trail', 'AccessDeniedException'],
      ['aws.kms.key', 'AccessDeniedException'],
    ]);
  });
});
