import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { TouchedResource } from '../../../src/events/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { kmsCollector } from '../../../src/sources/aws/collectors/kms.js';
import { s3Collector } from '../../../src/sources/aws/collectors/s3.js';
import { demandFromPolicies } from '../../../src/sources/aws/demand.js';
import type { RefreshOutcome } from '../../../src/sources/aws/refresh.js';
import { type AwsProxy, startAwsProxy } from '../../support/aws-proxy.js';
import {
  ACCOUNT,
  byId,
  calls,
  fullFor,
  REGION,
  type RefreshEnv,
  reread,
  touchedBy,
} from '../../support/aws-refresh.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

/**
 * Field-scoped re-reads: an event that names the config fields it changed re-reads only those, on top
 * of the state the watch holds. Each case holds a full collection's resource, makes the change with the
 * SDK, re-reads with the held state and compares with a full collection after the change: same value,
 * same bytes, and only the calls of the changed field.
 */
let moto: Moto;
let s3: S3Client;
let kms: KMSClient;

before(async () => {
  moto = await startMoto();
  s3 = new S3Client(testClientConfig(moto.endpoint, REGION));
  kms = new KMSClient(testClientConfig(moto.endpoint, REGION));
});
beforeEach(() => moto.reset());
after(async () => {
  s3?.destroy();
  kms?.destroy();
  await moto?.stop();
});

const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const builtIn = demandFromPolicies(loadPolicies({ builtIn: true }).compiled);

/**
 * Holds the full collection's resource, applies `change`, re-reads with the held state and checks the
 * result equals (deeply and byte for byte) a full collection after the change, which did change `field`.
 */
async function scopedSameAsFull(
  env: RefreshEnv,
  arn: string,
  touched: () => TouchedResource[],
  change: () => Promise<unknown>,
  field: string,
): Promise<RefreshOutcome> {
  const held = await fullFor(env, [arn]);
  assert.equal(held.length, 1, 'the held state has the resource');
  const heldJson = JSON.stringify(held);
  await change();
  const out = await reread(env, touched(), held);
  assert.deepEqual(out.failed, []);
  const full = await fullFor(env, [arn]);
  assert.notDeepEqual(full[0]!.config[field], held[0]!.config[field], `the change changed ${field}`);
  const fresh = byId(out.resources);
  assert.deepEqual(fresh, full);
  assert.equal(JSON.stringify(fresh), JSON.stringify(full));
  assert.equal(JSON.stringify(held), heldJson, 'the held resource itself is left as it was');
  return out;
}

describe('S3 bucket field-scoped re-reads', () => {
  const env = (demand = {}): RefreshEnv => ({
    endpoint: moto.endpoint,
    collectors: [s3Collector],
    ...demand,
  });
  const NAME = 'rf-bucket';
  const ARN = `arn:aws:s3:::${NAME}`;
  const bucketEvent = (eventName: string) => () =>
    touchedBy('s3.amazonaws.com', eventName, { requestParameters: { bucketName: NAME } });
  const publicPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*` }],
  });
  const blockAll = {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  };
  const kmsRule = {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'alias/rf' },
        BucketKeyEnabled: true,
      },
    ],
  };

  beforeEach(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: NAME }));
    await s3.send(new CreateBucketCommand({ Bucket: 'rf-other' }));
  });

  const cases: {
    event: string;
    field: string;
    call: string;
    setup?: () => Promise<unknown>;
    change: () => Promise<unknown>;
  }[] = [
    {
      event: 'PutBucketPolicy',
      field: 'Policy',
      call: 's3:GetBucketPolicy=1',
      change: () => s3.send(new PutBucketPolicyCommand({ Bucket: NAME, Policy: publicPolicy })),
    },
    {
      event: 'DeleteBucketPolicy',
      field: 'Policy',
      call: 's3:GetBucketPolicy=1',
      setup: () => s3.send(new PutBucketPolicyCommand({ Bucket: NAME, Policy: publicPolicy })),
      change: () => s3.send(new DeleteBucketPolicyCommand({ Bucket: NAME })),
    },
    {
      event: 'PutBucketAcl',
      field: 'Acl',
      call: 's3:GetBucketAcl=1',
      change: () => s3.send(new PutBucketAclCommand({ Bucket: NAME, ACL: 'public-read' })),
    },
    {
      event: 'PutBucketPublicAccessBlock',
      field: 'PublicAccessBlockConfiguration',
      call: 's3:GetPublicAccessBlock=1',
      change: () =>
        s3.send(new PutPublicAccessBlockCommand({ Bucket: NAME, PublicAccessBlockConfiguration: blockAll })),
    },
    {
      event: 'DeleteBucketPublicAccessBlock',
      field: 'PublicAccessBlockConfiguration',
      call: 's3:GetPublicAccessBlock=1',
      setup: () =>
        s3.send(new PutPublicAccessBlockCommand({ Bucket: NAME, PublicAccessBlockConfiguration: blockAll })),
      change: () => s3.send(new DeletePublicAccessBlockCommand({ Bucket: NAME })),
    },
    {
      event: 'PutBucketEncryption',
      field: 'ServerSideEncryptionConfiguration',
      call: 's3:GetBucketEncryption=1',
      change: () =>
        s3.send(new PutBucketEncryptionCommand({ Bucket: NAME, ServerSideEncryptionConfiguration: kmsRule })),
    },
    {
      event: 'DeleteBucketEncryption',
      field: 'ServerSideEncryptionConfiguration',
      call: 's3:GetBucketEncryption=1',
      setup: () =>
        s3.send(new PutBucketEncryptionCommand({ Bucket: NAME, ServerSideEncryptionConfiguration: kmsRule })),
      change: () => s3.send(new DeleteBucketEncryptionCommand({ Bucket: NAME })),
    },
    {
      event: 'PutBucketVersioning',
      field: 'Versioning',
      call: 's3:GetBucketVersioning=1',
      change: () =>
        s3.send(
          new PutBucketVersioningCommand({ Bucket: NAME, VersioningConfiguration: { Status: 'Enabled' } }),
        ),
    },
    {
      event: 'PutBucketLogging',
      field: 'Logging',
      call: 's3:GetBucketLogging=1',
      setup: () =>
        s3.send(
          new PutBucketAclCommand({
            Bucket: 'rf-other',
            GrantWrite: `uri="${LOG_DELIVERY}"`,
            GrantReadACP: `uri="${LOG_DELIVERY}"`,
          }),
        ),
      change: () =>
        s3.send(
          new PutBucketLoggingCommand({
            Bucket: NAME,
            BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'rf-other', TargetPrefix: 'logs/' } },
          }),
        ),
    },
  ];

  for (const c of cases) {
    it(`${c.event}: only ${c.call.split('=')[0]}, the same bucket as a full collection`, async () => {
      await c.setup?.();
      const out = await scopedSameAsFull(env(), ARN, bucketEvent(c.event), c.change, c.field);
      assert.deepEqual(calls(out), [c.call]);
    });
  }

  it('a field no loaded policy reads costs no call (built-in policies, PutBucketVersioning)', async () => {
    const builtInEnv = env({ demand: builtIn });
    const held = await fullFor(builtInEnv, [ARN]);
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: NAME, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const out = await reread(builtInEnv, bucketEvent('PutBucketVersioning')(), held);
    const full = await fullFor(builtInEnv, [ARN]);
    assert.deepEqual([byId(out.resources), out.failed, calls(out)], [full, [], []]);
    assert.equal(JSON.stringify(byId(out.resources)), JSON.stringify(full));
  });

  it('the bucket deleted since: NoSuchBucket from the field read means gone', async () => {
    const held = await fullFor(env(), [ARN]);
    await s3.send(new DeleteBucketCommand({ Bucket: NAME }));
    const out = await reread(env(), bucketEvent('PutBucketPolicy')(), held);
    assert.deepEqual([out.resources, out.failed, calls(out)], [[], [], ['s3:GetBucketPolicy=1']]);
  });

  it('without a held state, and for a creation, the whole bucket is re-read as before', async () => {
    const held = await fullFor(env({ demand: builtIn }), [ARN]);
    const unheld = await reread(env({ demand: builtIn }), bucketEvent('PutBucketPolicy')());
    const created = await reread(env({ demand: builtIn }), bucketEvent('CreateBucket')(), held);
    // Location, then what the built-in policies read (the account-level block is s3control's
    // GetPublicAccessBlock, signed as s3).
    const whole = [
      's3:GetBucketAcl=1',
      's3:GetBucketLocation=1',
      's3:GetBucketPolicy=1',
      's3:GetBucketTagging=1',
      's3:GetPublicAccessBlock=2',
    ];
    assert.deepEqual([calls(unheld), calls(created)], [whole, whole]);
    assert.deepEqual([byId(unheld.resources), byId(created.resources)], [held, held]);
  });

  describe('denied', () => {
    let proxy: AwsProxy;
    before(async () => {
      proxy = await startAwsProxy(moto.endpoint, (i) =>
        i.service === 's3' && i.operation.startsWith('GET ') && i.operation.endsWith('?policy')
          ? 'deny'
          : undefined,
      );
    });
    after(() => proxy?.stop());

    it('a denied GetBucketPolicy fails the re-read (old state kept), never a bucket without policy', async () => {
      await s3.send(new PutBucketPolicyCommand({ Bucket: NAME, Policy: publicPolicy }));
      const held = await fullFor(env(), [ARN]);
      const heldJson = JSON.stringify(held);
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: NAME }));
      const out = await reread(
        { endpoint: proxy.endpoint, collectors: [s3Collector] },
        bucketEvent('DeleteBucketPolicy')(),
        held,
      );
      assert.deepEqual(out.resources, []);
      assert.deepEqual(
        out.failed.map((f) => [f.touched.id, f.code]),
        [[ARN, 'AccessDenied']],
      );
      assert.equal(JSON.stringify(held), heldJson);
    });
  });
});

describe('KMS key field-scoped re-reads', () => {
  const env = (demand = {}): RefreshEnv => ({
    endpoint: moto.endpoint,
    collectors: [kmsCollector],
    ...demand,
  });

  async function key(): Promise<{ KeyId: string; arn: string }> {
    const made = await kms.send(
      new CreateKeyCommand({ Description: 'rf', Tags: [{ TagKey: 'team', TagValue: 'sec' }] }),
    );
    await kms.send(new CreateKeyCommand({ Description: 'other' }));
    const KeyId = made.KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/rf-key', TargetKeyId: KeyId }));
    return { KeyId, arn: made.KeyMetadata!.Arn! };
  }
  const keyEvent = (eventName: string, KeyId: string) => () =>
    touchedBy('kms.amazonaws.com', eventName, { requestParameters: { keyId: KeyId } });

  it('EnableKeyRotation / DisableKeyRotation: only GetKeyRotationStatus', async () => {
    const { KeyId, arn } = await key();
    const on = await scopedSameAsFull(
      env(),
      arn,
      keyEvent('EnableKeyRotation', KeyId),
      () => kms.send(new EnableKeyRotationCommand({ KeyId })),
      'KeyRotationEnabled',
    );
    assert.deepEqual(calls(on), ['kms:GetKeyRotationStatus=1']);
    assert.equal(on.resources[0]!.config.KeyRotationEnabled, true);
    const off = await scopedSameAsFull(
      env({ demand: builtIn }),
      arn,
      keyEvent('DisableKeyRotation', KeyId),
      () => kms.send(new DisableKeyRotationCommand({ KeyId })),
      'KeyRotationEnabled',
    );
    assert.deepEqual(calls(off), ['kms:GetKeyRotationStatus=1']);
  });

  it('PutKeyPolicy: only GetKeyPolicy', async () => {
    const { KeyId, arn } = await key();
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'all', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }],
    });
    const out = await scopedSameAsFull(
      env(),
      arn,
      keyEvent('PutKeyPolicy', KeyId),
      () => kms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy })),
      'Policy',
    );
    assert.deepEqual(calls(out), ['kms:GetKeyPolicy=1']);
  });

  it('DisableKey / EnableKey: only DescribeKey', async () => {
    const { KeyId, arn } = await key();
    await kms.send(new EnableKeyRotationCommand({ KeyId }));
    const disabled = await scopedSameAsFull(
      env(),
      arn,
      keyEvent('DisableKey', KeyId),
      () => kms.send(new DisableKeyCommand({ KeyId })),
      'KeyState',
    );
    assert.deepEqual(calls(disabled), ['kms:DescribeKey=1']);
    assert.equal(disabled.resources[0]!.config.KeyState, 'Disabled');
    const enabled = await scopedSameAsFull(
      env(),
      arn,
      keyEvent('EnableKey', KeyId),
      () => kms.send(new EnableKeyCommand({ KeyId })),
      'KeyState',
    );
    assert.deepEqual(calls(enabled), ['kms:DescribeKey=1']);
  });

  it('ScheduleKeyDeletion drops the rotation status (DescribeKey only); CancelKeyDeletion reads it back (2 calls)', async () => {
    const { KeyId, arn } = await key();
    await kms.send(new EnableKeyRotationCommand({ KeyId }));
    const pending = await scopedSameAsFull(
      env(),
      arn,
      keyEvent('ScheduleKeyDeletion', KeyId),
      () => kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 })),
      'KeyState',
    );
    assert.deepEqual(calls(pending), ['kms:DescribeKey=1']);
    assert.equal(pending.resources[0]!.config.KeyState, 'PendingDeletion');
    assert.equal(Object.hasOwn(pending.resources[0]!.config, 'KeyRotationEnabled'), false);
    const cancelled = await scopedSameAsFull(
      env(),
      arn,
      keyEvent('CancelKeyDeletion', KeyId),
      () => kms.send(new CancelKeyDeletionCommand({ KeyId })),
      'KeyState',
    );
    assert.deepEqual(calls(cancelled), ['kms:DescribeKey=1', 'kms:GetKeyRotationStatus=1']);
    assert.equal(cancelled.resources[0]!.config.KeyState, 'Disabled');
  });

  it('a key that no longer exists (NotFoundException) reads as gone, for rotation and state fields', async () => {
    const { KeyId, arn } = await key();
    const [held] = await fullFor(env(), [arn]);
    // A held key whose id now names nothing in the account.
    const ghostId = '00000000-0000-4000-8000-000000000000';
    const ghost: Resource = JSON.parse(JSON.stringify(held).replaceAll(KeyId, ghostId));
    for (const eventName of ['EnableKeyRotation', 'DisableKey']) {
      const out = await reread(env(), keyEvent(eventName, ghostId)(), [ghost]);
      const call = eventName === 'DisableKey' ? 'kms:DescribeKey=1' : 'kms:GetKeyRotationStatus=1';
      assert.deepEqual([out.resources, out.failed, calls(out)], [[], [], [call]], eventName);
    }
  });

  describe('denied', () => {
    let proxy: AwsProxy;
    before(async () => {
      proxy = await startAwsProxy(moto.endpoint, (i) =>
        i.service === 'kms' && (i.operation === 'GetKeyRotationStatus' || i.operation === 'DescribeKey')
          ? 'deny'
          : undefined,
      );
    });
    after(() => proxy?.stop());

    it('a denied GetKeyRotationStatus or DescribeKey fails the re-read, old state kept', async () => {
      const { KeyId, arn } = await key();
      const held = await fullFor(env(), [arn]);
      const heldJson = JSON.stringify(held);
      const denied = { endpoint: proxy.endpoint, collectors: [kmsCollector] };
      for (const eventName of ['EnableKeyRotation', 'ScheduleKeyDeletion']) {
        const out = await reread(denied, keyEvent(eventName, KeyId)(), held);
        assert.deepEqual(out.resources, [], eventName);
        assert.deepEqual(
          out.failed.map((f) => [f.touched.id, f.code]),
          [[arn, 'AccessDeniedException']],
          eventName,
        );
      }
      assert.equal(JSON.stringify(held), heldJson);
      assert.equal(ACCOUNT, arn.split(':')[4]);
    });
  });
});
