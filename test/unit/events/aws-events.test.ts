import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  AWS_EVENT_MAP,
  affectedPolicies,
  type EventOutcome,
  mappedEventCount,
  parseAwsMessage,
  parseCloudTrailRecord,
  policiesByType,
  readTrailObject,
  type TouchedResource,
  tally,
} from '../../../src/events/index.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { RESOURCE_TYPES } from '../../../src/policy/registry.js';
import { ACCOUNT, ctRecord, REGION, SAMPLES } from './samples.js';

const show = (t: TouchedResource) => (t.id ? `${t.type} ${t.id}` : `${t.type} * ${t.region}`);

function change(o: EventOutcome) {
  assert.equal(o.kind, 'change', JSON.stringify(o));
  if (o.kind !== 'change') throw new Error('unreachable');
  return o.event;
}

describe('AWS event map', () => {
  it('maps at least 40 events and every entry has a real-format sample', () => {
    assert.ok(mappedEventCount() >= 40, `only ${mappedEventCount()} events mapped`);
    const mapped = Object.entries(AWS_EVENT_MAP)
      .flatMap(([source, events]) => Object.keys(events).map((name) => `${source}:${name}`))
      .sort();
    assert.deepEqual(Object.keys(SAMPLES).sort(), mapped);
  });

  for (const [key, sample] of Object.entries(SAMPLES)) {
    it(`${key} touches ${sample.touched.join(', ')}`, () => {
      const event = change(parseCloudTrailRecord(sample.record, 'sample'));
      assert.equal(`${event.source}:${event.name}`, key);
      assert.deepEqual(event.touched.map(show), sample.touched);
      assert.equal(event.account, ACCOUNT);
      assert.equal(event.region, REGION);
      assert.equal(event.rawId, sample.record.eventID);
      assert.equal(event.time, '2026-11-23T13:05:10.000Z');
      const caller = key.endsWith('UpdateAccessKey') ? 'user/carol' : 'assumed-role/Admin/alice';
      assert.equal(event.actor.split(':').at(-1), caller);
    });
  }

  it('bucket and key setting events name the native fields they change; creations none', () => {
    const fields = Object.fromEntries(
      Object.entries(SAMPLES)
        .filter(([key]) => key.startsWith('s3.') || key.startsWith('kms.'))
        .map(([key, sample]) => {
          const touched = change(parseCloudTrailRecord(sample.record, 'sample')).touched;
          return [key.split(':')[1], touched.map((t) => t.fields?.join('+') ?? '-').join(',')];
        }),
    );
    const state = 'Enabled+KeyState+DeletionDate+PendingDeletionWindowInDays';
    assert.deepEqual(fields, {
      CreateBucket: '-',
      PutBucketAcl: 'Acl',
      PutBucketPolicy: 'Policy',
      DeleteBucketPolicy: 'Policy',
      PutBucketPublicAccessBlock: 'PublicAccessBlockConfiguration',
      DeleteBucketPublicAccessBlock: 'PublicAccessBlockConfiguration',
      PutBucketEncryption: 'ServerSideEncryptionConfiguration',
      DeleteBucketEncryption: 'ServerSideEncryptionConfiguration',
      PutBucketVersioning: 'Versioning',
      PutBucketLogging: 'Logging',
      PutAccountPublicAccessBlock: '-',
      DeleteAccountPublicAccessBlock: '-',
      CreateKey: '-',
      EnableKeyRotation: 'KeyRotationEnabled',
      DisableKeyRotation: 'KeyRotationEnabled',
      PutKeyPolicy: 'Policy',
      ScheduleKeyDeletion: state,
      CancelKeyDeletion: state,
      EnableKey: state,
      DisableKey: state,
    });
  });

  it('every mapped type is a canonical resource type', () => {
    const types = new Set(
      Object.values(AWS_EVENT_MAP).flatMap((events) =>
        Object.values(events).flatMap((rules) => rules.map((r) => r.type)),
      ),
    );
    assert.deepEqual(
      [...types].filter((t) => !RESOURCE_TYPES.includes(t)),
      [],
    );
  });

  it('global services have no region on the touched resource, regional ones keep it', () => {
    const iam = change(parseCloudTrailRecord(SAMPLES['iam.amazonaws.com:AttachRolePolicy']!.record, 's'));
    assert.deepEqual(iam.touched, [
      { type: 'aws.iam.role', id: `arn:aws:iam::${ACCOUNT}:role/app-role`, name: 'app-role', region: '' },
    ]);
    const sg = change(
      parseCloudTrailRecord(SAMPLES['ec2.amazonaws.com:AuthorizeSecurityGroupIngress']!.record, 's'),
    );
    assert.equal(sg.touched[0]!.region, REGION);
    assert.equal(sg.touched[0]!.name, 'sg-0a1b2c3d4e5f60718');
  });

  it('an access key whose user the record does not name keeps its name but gets no id', () => {
    // An assumed role updating a key without userName: the user is not in the record.
    const rec = ctRecord('iam.amazonaws.com', 'UpdateAccessKey', {
      accessKeyId: 'AKIAEXAMPLE000000009',
      status: 'Inactive',
    });
    assert.deepEqual(change(parseCloudTrailRecord(rec, 's')).touched, [
      { type: 'aws.iam.access-key', name: 'AKIAEXAMPLE000000009', region: '' },
    ]);
  });

  it('builds partition-correct ARNs in China and GovCloud', () => {
    const rec = ctRecord('ec2.amazonaws.com', 'DeleteSecurityGroup', { groupId: 'sg-1' }, null, {
      awsRegion: 'cn-north-1',
    });
    assert.equal(
      change(parseCloudTrailRecord(rec, 's')).touched[0]!.id,
      `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:security-group/sg-1`,
    );
  });
});

describe('CloudTrail record filtering', () => {
  it('ignores reads, failed calls and unknown events, and counts them', () => {
    const outcomes = [
      parseCloudTrailRecord(
        ctRecord('ec2.amazonaws.com', 'DescribeInstances', {}, null, { readOnly: true }),
        'a',
      ),
      parseCloudTrailRecord(
        ctRecord('s3.amazonaws.com', 'PutBucketPolicy', { bucketName: 'b' }, null, {
          errorCode: 'AccessDenied',
          errorMessage: 'Access Denied',
        }),
        'b',
      ),
      parseCloudTrailRecord(
        ctRecord('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { functionName: 'f' }),
        'c',
      ),
      parseCloudTrailRecord(
        ctRecord('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { functionName: 'g' }),
        'd',
      ),
      parseCloudTrailRecord(
        ctRecord('ec2.amazonaws.com', 'DescribeSecurityGroups', {}, null, { readOnly: undefined }),
        'e',
      ),
      parseCloudTrailRecord(SAMPLES['ec2.amazonaws.com:RunInstances']!.record, 'f'),
    ];
    const stats = tally(outcomes);
    assert.deepEqual(stats, {
      changes: 1,
      malformed: 0,
      ignored: { 'read-only': 2, 'failed-call': 1, 'unknown-event': 2, 'not-a-change': 0 },
      unknown: { 'lambda.amazonaws.com:UpdateFunctionConfiguration20150331v2': 2 },
    });
  });

  it('malformed records are values with their location, never throws', () => {
    const cases: [unknown, string][] = [
      [null, 'CloudTrail record is not an object'],
      [[1, 2], 'CloudTrail record is not an object'],
      [{ eventName: 'X' }, 'CloudTrail record without eventSource/eventName'],
      [
        { ...ctRecord('ec2.amazonaws.com', 'DeleteSecurityGroup', { groupId: 'sg-1' }), eventID: undefined },
        'CloudTrail record without eventID',
      ],
      [
        {
          ...ctRecord('ec2.amazonaws.com', 'DeleteSecurityGroup', { groupId: 'sg-1' }),
          eventID: 'e1',
          eventTime: 'yesterday',
        },
        'CloudTrail record e1 has no valid eventTime',
      ],
      [
        { ...ctRecord('ec2.amazonaws.com', 'DeleteSecurityGroup', { groupId: 42 }), eventID: 'e2' },
        'ec2.amazonaws.com:DeleteSecurityGroup event e2 does not name the resource it changed',
      ],
      [
        {
          ...ctRecord('ec2.amazonaws.com', 'DeleteSecurityGroup', { __proto__: { groupId: 'sg-x' } }),
          eventID: 'e3',
        },
        'ec2.amazonaws.com:DeleteSecurityGroup event e3 does not name the resource it changed',
      ],
    ];
    cases.push([
      { ...ctRecord('s3.amazonaws.com', 'PutBucketPolicy', { bucketName: 'x" onload="y' }), eventID: 'e4' },
      's3.amazonaws.com:PutBucketPolicy event e4 does not name the resource it changed',
    ]);
    for (const [input, error] of cases) {
      assert.deepEqual(parseCloudTrailRecord(input, 'q.json'), { kind: 'malformed', error, where: 'q.json' });
    }
  });
});

describe('SQS message intake (AWS)', () => {
  const detail = SAMPLES['s3.amazonaws.com:PutBucketPolicy']!.record;
  const envelope = {
    version: '0',
    id: '6f8c1a52-6b0e-9d52-3c1a-6b1a5c3d2e1f',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: ACCOUNT,
    time: '2026-11-23T13:05:10Z',
    region: REGION,
    resources: [],
    detail,
  };

  it('reads the EventBridge envelope; the same event via SNS keeps the same raw id', () => {
    const direct = parseAwsMessage(JSON.stringify(envelope), 'm1');
    const viaSns = parseAwsMessage(
      JSON.stringify({
        Type: 'Notification',
        MessageId: 'x',
        TopicArn: 'arn:aws:sns:eu-west-1:1:t',
        Message: JSON.stringify(envelope),
      }),
      'm2',
    );
    const a = change(direct.outcomes[0]!);
    const b = change(viaSns.outcomes[0]!);
    assert.equal(a.rawId, detail.eventID);
    assert.deepEqual(a, b);
    assert.deepEqual(a.touched.map(show), [`aws.s3.bucket arn:aws:s3:::acme-reports`]);
  });

  it('fills account and region from the envelope when the record lacks them', () => {
    const bare = {
      ...detail,
      recipientAccountId: undefined,
      userIdentity: { type: 'AWSService' },
      awsRegion: undefined,
    };
    const ev = change(parseAwsMessage(JSON.stringify({ ...envelope, detail: bare }), 'm').outcomes[0]!);
    assert.equal(ev.account, ACCOUNT);
    assert.equal(ev.region, REGION);
  });

  it('ignores other EventBridge detail types and S3 test events', () => {
    const gd = parseAwsMessage(JSON.stringify({ ...envelope, 'detail-type': 'GuardDuty Finding' }), 'm');
    const test = parseAwsMessage(
      JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' }),
      'm',
    );
    assert.deepEqual(
      [...gd.outcomes, ...test.outcomes],
      [
        { kind: 'ignored', reason: 'not-a-change', key: 'eventbridge:GuardDuty Finding' },
        { kind: 'ignored', reason: 'not-a-change', key: 's3:TestEvent' },
      ],
    );
  });

  it('turns S3 notifications of trail files into objects to read, skipping digests', () => {
    const key = `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2026/11/23/${ACCOUNT}_CloudTrail_eu-west-1_20261123T1305Z_a+b.json.gz`;
    const note = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-west-1',
          eventTime: '2026-11-23T13:06:00.000Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:AROAEXAMPLE:regionalDeliverySession' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'trail',
            bucket: { name: 'trail-bucket', arn: 'arn:aws:s3:::trail-bucket' },
            object: { key, size: 1200, eTag: 'e', sequencer: '1' },
          },
        },
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-west-1',
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: 'trail-bucket' },
            object: { key: `AWSLogs/${ACCOUNT}/CloudTrail-Digest/eu-west-1/2026/11/23/x.json.gz` },
          },
        },
        { eventSource: 'aws:s3', s3: { bucket: { name: 'trail-bucket' } } },
      ],
    };
    const m = parseAwsMessage(JSON.stringify(note), 'msg-7');
    assert.deepEqual(m.trailObjects, [
      { bucket: 'trail-bucket', key: key.replace('a+b', 'a b'), region: 'eu-west-1' },
    ]);
    assert.deepEqual(m.outcomes, [
      { kind: 'ignored', reason: 'not-a-change', key: 's3:ObjectCreated:Put' },
      {
        kind: 'malformed',
        error: 'S3 notification record without s3.bucket/s3.object',
        where: 'msg-7 Records[2]',
      },
    ]);
  });

  it('reads a gzipped trail file through the fetcher; a failed fetch throws so the message is kept', async () => {
    const records = [
      SAMPLES['ec2.amazonaws.com:AuthorizeSecurityGroupIngress']!.record,
      { eventSource: 'x' },
    ];
    const file = gzipSync(JSON.stringify({ Records: records }));
    const asked: string[] = [];
    const outcomes = await readTrailObject({ bucket: 'tb', key: 'k.json.gz', region: '' }, async (b, k) => {
      asked.push(`${b}/${k}`);
      return file;
    });
    assert.deepEqual(asked, ['tb/k.json.gz']);
    assert.equal(change(outcomes[0]!).name, 'AuthorizeSecurityGroupIngress');
    assert.deepEqual(outcomes[1], {
      kind: 'malformed',
      error: 'CloudTrail record without eventSource/eventName',
      where: 's3://tb/k.json.gz Records[1]',
    });
    const broken = await readTrailObject({ bucket: 'tb', key: 'k', region: '' }, async () =>
      Uint8Array.from([0x1f, 0x8b, 1, 2]),
    );
    assert.equal(broken[0]!.kind, 'malformed');
    await assert.rejects(
      readTrailObject({ bucket: 'tb', key: 'k', region: '' }, async () => {
        throw new Error('NoSuchKey');
      }),
      /NoSuchKey/,
    );
  });

  it('a body that is not JSON or not an event is one malformed outcome', () => {
    assert.deepEqual(
      parseAwsMessage('{"Records": [', 'm9').outcomes.map((o) => o.kind),
      ['malformed'],
    );
    assert.deepEqual(parseAwsMessage('{"hello": 1}', 'm9').outcomes, [
      {
        kind: 'malformed',
        error: 'not an EventBridge event, S3 notification or CloudTrail record',
        where: 'm9',
      },
    ]);
  });
});

describe('affected policies', () => {
  it('maps touched types to the built-in policies that read them', () => {
    const { definitions } = loadPolicies({ builtIn: true });
    const byType = policiesByType(definitions);
    const sg = change(
      parseCloudTrailRecord(SAMPLES['ec2.amazonaws.com:AuthorizeSecurityGroupIngress']!.record, 's'),
    );
    assert.deepEqual(affectedPolicies(sg, byType), ['aws-ec2-sg-admin-ports-open']);
    const run = change(parseCloudTrailRecord(SAMPLES['ec2.amazonaws.com:RunInstances']!.record, 's'));
    assert.ok(affectedPolicies(run, byType).includes('aws-ec2-instance-admin-role'));
    const lambdaOnly = { ...run, touched: [{ type: 'aws.lambda.function', region: REGION }] };
    assert.deepEqual(affectedPolicies(lambdaOnly, byType), []);
  });
});
