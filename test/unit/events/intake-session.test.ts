import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { EventIntake } from '../../../src/events/index.js';
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

  it('hands GuardDuty findings on the same queue to the detectors', async () => {
    const gd = {
      version: '0',
      id: 'g1',
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
        service: { archived: false, count: 40 },
        severity: 5,
        title: '198.51.100.4 is performing SSH brute force attacks against i-0abc.',
      },
    };
    const r = await new EventIntake().handle(JSON.stringify(gd), 'm9');
    assert.deepEqual(r.changes, []);
    assert.deepEqual(
      r.findings.map((f) => [f.policy, f.severity, f.resource.id]),
      [
        [
          'guardduty-unauthorizedaccess-ec2-sshbruteforce',
          'medium',
          `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc`,
        ],
      ],
    );
  });
});
