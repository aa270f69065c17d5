import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { runWarden } from '../support/cli.js';
import { type Moto, startMoto, testClientConfig } from '../support/moto.js';
import { cloudTrailEvent, startWatch, WATCH_ACCOUNT } from '../support/watch.js';

/**
 * `warden watch` writes each processed message to the store before deleting it: a watch killed
 * with SIGKILL right after leaves its findings for `warden findings`, and GuardDuty findings are
 * deduplicated by id, also across a restart on the same store.
 */
const tmp = mkdtempSync(join(tmpdir(), 'warden-watch-store-'));
const db = join(tmp, 'warden.db');
const GD_POLICY = 'guardduty-unauthorizedaccess-ec2-sshbruteforce';
const SG_POLICY = 'aws-ec2-sg-admin-ports-open';
let moto: Moto;
let ec2: EC2Client;
let sqs: SQSClient;
let queueUrl = '';
let groupId = '';

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint));
  sqs = new SQSClient(testClientConfig(moto.endpoint));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'warden-store-events' }))).QueueUrl!;
  groupId = (
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'wt-store', Description: 'watch store e2e' }))
  ).GroupId!;
});

after(async () => {
  ec2?.destroy();
  sqs?.destroy();
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function guardDuty(revision: { count: number; updatedAt: string; archived?: boolean; severity?: number }) {
  return JSON.stringify({
    version: '0',
    id: `gd-${revision.updatedAt}`,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: WATCH_ACCOUNT,
    region: 'us-east-1',
    time: revision.updatedAt,
    detail: {
      schemaVersion: '2.0',
      accountId: WATCH_ACCOUNT,
      region: 'us-east-1',
      partition: 'aws',
      id: 'f-ssh-1',
      arn: `arn:aws:guardduty:us-east-1:${WATCH_ACCOUNT}:detector/d1/finding/f-ssh-1`,
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0feed' } },
      service: { archived: revision.archived ?? false, count: revision.count },
      severity: revision.severity ?? 5,
      updatedAt: revision.updatedAt,
      title: '198.51.100.9 is performing SSH brute force attacks against i-0feed.',
    },
  });
}

const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));

/** True once every message sent was deleted (processed and stored). */
async function drained(): Promise<boolean> {
  const a = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    a.Attributes?.ApproximateNumberOfMessages === '0' &&
    a.Attributes?.ApproximateNumberOfMessagesNotVisible === '0'
  );
}

/** Waits (bounded) until every message sent was deleted, i.e. processed and stored. */
async function untilDrained(child: { exitCode: number | null }): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await drained()) return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the queue was not drained');
}

function watch() {
  return startWatch(
    [
      '--aws-queue',
      queueUrl,
      '--endpoint-url',
      moto.endpoint,
      '--regions',
      'us-east-1',
      '--format',
      'jsonl',
      '--db',
      db,
      '--policy',
      SG_POLICY,
      '--wait-seconds',
      '1',
    ],
    tmp,
  );
}

type Stored = { policy: string; status: string; resource: { id: string } };
const storedFindings = () => {
  const r = runWarden(['findings', '--db', db, '-f', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { findings: Stored[] }).findings.map((f) => [
    f.policy,
    f.resource.id,
    f.status,
  ]);
};

it('stores each message before deleting it: SIGKILL loses nothing, GuardDuty repeats stay quiet across restarts', async () => {
  const sgArn = `arn:aws:ec2:us-east-1:${WATCH_ACCOUNT}:security-group/${groupId}`;
  const instanceArn = `arn:aws:ec2:us-east-1:${WATCH_ACCOUNT}:instance/i-0feed`;
  const w = watch();
  try {
    await w.until('the initial scan', () => w.stderr().includes('warden: watching '));
    assert.deepEqual(storedFindings(), [], 'the group starts closed');

    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    await send(cloudTrailEvent('AuthorizeSecurityGroupIngress', { groupId }));
    await w.until('the SSH finding', () =>
      w.lines.some((l) => l.policy === SG_POLICY && l.change === 'new') ? true : undefined,
    );
    // GuardDuty: the same finding twice (a re-publication), then a later revision.
    await send(guardDuty({ count: 3, updatedAt: '2026-11-23T10:00:00.000Z' }));
    await send(guardDuty({ count: 3, updatedAt: '2026-11-23T10:00:00.000Z' }));
    await w.until('the GuardDuty finding', () =>
      w.lines.some((l) => l.policy === GD_POLICY) ? true : undefined,
    );
    await untilDrained(w.child);
    await send(guardDuty({ count: 9, updatedAt: '2026-11-23T10:30:00.000Z', severity: 7.5 }));
    await w.until('the GuardDuty update', () =>
      w.lines.some((l) => l.policy === GD_POLICY && l.change === 'changed') ? true : undefined,
    );
    await untilDrained(w.child);
    w.child.kill('SIGKILL');
    await w.exited;
    assert.deepEqual(
      w.lines.filter((l) => l.policy === GD_POLICY).map((l) => [l.change, l.status, l.resource.id]),
      [
        ['new', 'fail', instanceArn],
        ['changed', 'fail', instanceArn],
      ],
    );
    assert.deepEqual(storedFindings(), [
      [SG_POLICY, sgArn, 'open'],
      [GD_POLICY, instanceArn, 'open'],
    ]);
    const scans = runWarden(['scans', '--db', db, '-f', 'json']);
    assert.equal(scans.code, 0, scans.stderr);
    assert.match(scans.stdout, /"status": "watch"/);
    const table = runWarden(['scans', '--db', db, '-f', 'table']);
    assert.deepEqual(table.stdout.split('\n')[0]!.split(/\s+/), [
      'ID',
      'KIND',
      'FINISHED',
      'RESOURCES',
      'FAIL',
      'PASS',
      'ERROR',
      'INPUTS',
    ]);
    assert.equal(table.stdout.split('\n')[1]!.split(/\s+/)[1], 'watch');
    // The group's timeline has the version the event re-read, with what changed.
    const history = runWarden(['history', sgArn, '--db', db, '-f', 'json']);
    assert.equal(history.code, 0, history.stderr);
    const versions = (JSON.parse(history.stdout) as { versions: { changes: { text: string }[] }[] }).versions;
    assert.deepEqual(
      versions.map((v) => v.changes.map((c) => c.text)),
      [[], ['IpPermissions[+]: tcp 22 from 0.0.0.0/0']],
    );
  } finally {
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await w.exited;
  }

  // Someone accepts the open group; the next session applies the suppression as `scan` does.
  const suppress = runWarden([
    'suppress',
    '--policy',
    SG_POLICY,
    '--resource',
    `arn:aws:ec2:us-east-1:${WATCH_ACCOUNT}:security-group/${groupId}`,
    '--reason',
    'bastion, reviewed',
    '--db',
    db,
  ]);
  assert.equal(suppress.code, 0, suppress.stderr);

  // A new session on the same store remembers the GuardDuty revision: a repeat is quiet, archiving resolves.
  const again = watch();
  try {
    await again.until('the initial scan', () => again.stderr().includes('warden: watching '));
    await send(guardDuty({ count: 9, updatedAt: '2026-11-23T10:30:00.000Z', severity: 7.5 }));
    await untilDrained(again.child);
    await send(guardDuty({ count: 9, updatedAt: '2026-11-23T11:00:00.000Z', severity: 7.5, archived: true }));
    await again.until('the GuardDuty resolution', () =>
      again.lines.some((l) => l.policy === GD_POLICY) ? true : undefined,
    );
    await untilDrained(again.child);
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0, again.stderr());
    assert.deepEqual(
      again.lines.filter((l) => l.policy === GD_POLICY).map((l) => [l.change, l.status]),
      [['resolved', 'pass']],
    );
    assert.deepEqual(
      again.lines.filter((l) => l.policy === SG_POLICY),
      [],
      'the suppressed group is not reported',
    );
    assert.deepEqual(storedFindings(), [
      [SG_POLICY, sgArn, 'resolved'],
      [GD_POLICY, instanceArn, 'resolved'],
    ]);
  } finally {
    if (again.child.exitCode === null) again.child.kill('SIGKILL');
    await again.exited;
  }
});
