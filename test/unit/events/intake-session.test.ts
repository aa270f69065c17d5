import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { EventIntake } from '../../../src/events/index.js';
import type { Result } from '../../../src/model/result.js';
import { ACCOUNT, SAMPLES } from './samples.js';

const sg = SAMPLES['ec2.amazonaws.com:AuthorizeSecurityGroupIngress']!.record;
const bucket = SAMPLES['s3.amazonaws.com:PutBucketPolicy']!.record;
const envelope = (detail: Record<string, unknown>) =>
  JSON.stringify({
    version: '0',
    id: 'x',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: ACCOUNT,
    region: 'eu-west-1',
    detail,
  });
const s3Note = (key: string) =>
  JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'trail' }, object: { key } },
      },
    ],
  });

describe('event intake session', () => {
  it('hands out each event until committed; later copies (EventBridge or trail file) are duplicates', async () => {
    const fetched: string[] = [];
    const intake = new EventIntake(async (b, k) => {
      fetched.push(`${b}/${k}`);
      return gzipSync(JSON.stringify({ Records: [sg, bucket, { eventSource: 'broken' }] }));
    });
    const first = await intake.handle(envelope(sg), 'm1');
    assert.deepEqual(
      first.changes.map((c) => c.rawId),
      [sg.eventID],
    );
    // Processing failed (not committed): the redelivery hands it out again.
    const retry = await intake.handle(envelope(sg), 'm1');
    assert.deepEqual(
      retry.changes.map((c) => c.rawId),
      [sg.eventID],
    );
    intake.commit(retry.changes);
    const file = await intake.handle(s3Note('AWSLogs/1/CloudTrail/eu-west-1/2026/11/23/f.json.gz'), 'm2');
    assert.deepEqual(fetched, ['trail/AWSLogs/1/CloudTrail/eu-west-1/2026/11/23/f.json.gz']);
    assert.deepEqual(
      file.changes.map((c) => c.rawId),
      [bucket.eventID],
    );
    assert.equal(file.duplicates, 1);
    assert.deepEqual(
      file.malformed.map((m) => m.where),
      ['s3://trail/AWSLogs/1/CloudTrail/eu-west-1/2026/11/23/f.json.gz Records[2]'],
    );
    assert.equal(intake.duplicates, 1);
    assert.equal(intake.stats.changes, 4);
    assert.equal(intake.stats.malformed, 1);
  });

  it('a trail file that cannot be read throws so the message stays on the queue', async () => {
    const intake = new EventIntake(async () => {
      throw new Error('AccessDenied');
    });
    await assert.rejects(intake.handle(s3Note('AWSLogs/x.json.gz'), 'm3'), /AccessDenied/);
    await assert.rejects(new EventIntake().handle(s3Note('AWSLogs/x.json.gz'), 'm3'), /needs an S3 reader/);
  });

  const guardDuty = (
    service: Record<string, unknown>,
    severity = 5,
    updatedAt = '2026-11-23T10:00:00.000Z',
  ) =>
    JSON.stringify({
      version: '0',
      id: `g-${updatedAt}`,
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: ACCOUNT,
      region: 'eu-west-1',
      detail: {
        accountId: ACCOUNT,
        region: 'eu-west-1',
        partition: 'aws',
        id: 'f-1',
        arn: `arn:aws:guardduty:eu-west-1:${ACCOUNT}:detector/d/finding/f-1`,
        type: 'UnauthorizedAccess:EC2/SSHBruteForce',
        resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0abc' } },
        service: { archived: false, count: 40, ...service },
        severity,
        updatedAt,
        title: '198.51.100.4 is performing SSH brute force attacks against i-0abc.',
      },
    });
  const lines = (r: { findings: { change: string; result: Result }[] }) =>
    r.findings.map((f) => [
      f.change,
      f.result.policy,
      f.result.severity,
      f.result.status,
      f.result.resource.id,
    ]);
  const INSTANCE = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc`;
  const POLICY = 'guardduty-unauthorizedaccess-ec2-sshbruteforce';

  it('hands GuardDuty findings on the same queue to the detectors', async () => {
    const r = await new EventIntake().handle(guardDuty({}), 'm9');
    assert.deepEqual(r.changes, []);
    assert.deepEqual(lines(r), [['new', POLICY, 'medium', 'fail', INSTANCE]]);
    assert.deepEqual(r.findingMemory, [
      { id: 'f-1', memory: { revision: '[5,40,"2026-11-23T10:00:00.000Z"]', archived: false } },
    ]);
  });

  it('dedupes GuardDuty findings by id: a repeat is a duplicate, a revision is changed, archiving resolves', async () => {
    const intake = new EventIntake();
    const handle = async (body: string) => {
      const r = await intake.handle(body, 'm');
      intake.commit(r.changes, r.findingMemory);
      return r;
    };
    assert.deepEqual(lines(await handle(guardDuty({}))), [['new', POLICY, 'medium', 'fail', INSTANCE]]);
    const again = await handle(guardDuty({}));
    assert.deepEqual([lines(again), again.duplicates], [[], 1]);
    const more = await handle(guardDuty({ count: 41 }, 7.5, '2026-11-23T11:00:00.000Z'));
    assert.deepEqual(lines(more), [['changed', POLICY, 'high', 'fail', INSTANCE]]);
    assert.deepEqual(
      more.findings[0]!.result.evidence.find((e) => e.path === 'count'),
      { path: 'count', value: 41 },
    );
    const archived = await handle(guardDuty({ count: 41, archived: true }, 7.5, '2026-11-23T12:00:00.000Z'));
    assert.deepEqual(lines(archived), [['resolved', POLICY, 'high', 'pass', INSTANCE]]);
    assert.equal(archived.findings[0]!.result.reason, 'GuardDuty finding f-1 was archived');
    // Archived twice: nothing more; re-published unarchived: a new episode.
    assert.deepEqual(lines(await handle(guardDuty({ archived: true }, 7.5, '2026-11-23T12:00:00.000Z'))), []);
    assert.deepEqual(lines(await handle(guardDuty({ count: 42 }, 7.5, '2026-11-23T13:00:00.000Z'))), [
      ['new', POLICY, 'high', 'fail', INSTANCE],
    ]);
    assert.equal(intake.duplicates, 2);
  });

  it('hands a GuardDuty finding out again until committed, and remembers what the store kept', async () => {
    const intake = new EventIntake();
    assert.deepEqual(lines(await intake.handle(guardDuty({}), 'm1')), [
      ['new', POLICY, 'medium', 'fail', INSTANCE],
    ]);
    const retried = await intake.handle(guardDuty({}), 'm1');
    assert.deepEqual(lines(retried), [['new', POLICY, 'medium', 'fail', INSTANCE]]);
    // Two copies in one message: the second is a duplicate of the first.
    const twice = await intake.handle(`${guardDuty({})}\n${guardDuty({})}`, 'm2');
    assert.deepEqual([lines(twice).length, twice.duplicates], [1, 1]);

    const restarted = new EventIntake();
    restarted.guardDuty.load(
      new Map<string, unknown>([
        ['guardduty:f-1', retried.findingMemory[0]!.memory],
        ['guardduty:f-broken', { revision: 3 }],
      ]),
    );
    const after = await restarted.handle(guardDuty({}), 'm3');
    assert.deepEqual([lines(after), after.duplicates], [[], 1]);
  });
});
