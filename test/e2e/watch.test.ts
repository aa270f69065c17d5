import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { verifyWebhook } from '../../src/notify/index.js';
import { type Moto, startMoto, testClientConfig } from '../support/moto.js';
import { cloudTrailEvent, startWatch as start, WATCH_ACCOUNT } from '../support/watch.js';

/**
 * `warden watch` (the built binary) against moto: a real SQS queue carrying EventBridge CloudTrail
 * events, real EC2 changes, a loopback webhook receiver for notifications.
 */
const ACCOUNT = WATCH_ACCOUNT;
const startWatch = (args: string[]) => start(args, tmp);
const SECRET = 'watch-test-secret-0123456789';
const tmp = mkdtempSync(join(tmpdir(), 'warden-watch-e2e-'));
let moto: Moto;
let ec2: EC2Client;
let sqs: SQSClient;
let queueUrl = '';
let deadUrl = '';
let groupId = '';
let receiver: Server;
let hookUrl = '';
const delivered: { findings: { policy: string; state: string; resource: { id: string } }[] }[] = [];

const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint));
  sqs = new SQSClient(testClientConfig(moto.endpoint));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'warden-events' }))).QueueUrl!;
  deadUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'warden-dead' }))).QueueUrl!;
  groupId = (
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'wt-watch', Description: 'watch e2e' }))
  ).GroupId!;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = verifyWebhook(
        SECRET,
        {
          timestamp: req.headers['x-warden-timestamp'] as string | undefined,
          signature: req.headers['x-warden-signature'] as string | undefined,
        },
        body,
        Math.floor(Date.now() / 1000),
      );
      if (ok) delivered.push(JSON.parse(body));
      res.statusCode = ok ? 200 : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const addr = receiver.address();
  hookUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
});

after(async () => {
  ec2?.destroy();
  sqs?.destroy();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

it('turns CloudTrail events on the queue into new and resolved findings, notifies, and stops cleanly', async () => {
  const notify = join(tmp, 'notify.yaml');
  writeFileSync(
    notify,
    `channels:\n  hook: { type: webhook, url: "${hookUrl}", secret: "${SECRET}" }\nroutes:\n  - channels: [hook]\n    match: { policy: aws-ec2-sg-admin-ports-open }\n`,
  );
  const w = startWatch([
    '--aws-queue',
    queueUrl,
    '--dead-letter-queue',
    deadUrl,
    '--endpoint-url',
    moto.endpoint,
    '--regions',
    'us-east-1',
    '--format',
    'jsonl',
    '--db',
    join(tmp, 'watch.db'),
    '--notify',
    notify,
    '--policy',
    'aws-ec2-sg-admin-ports-open',
    '--policy',
    'aws-ec2-public-instance-shares-key-with-admin-instance',
  ]);
  try {
    await w.until('the initial scan', () => w.stderr().includes('warden: watching '));
    const sgArn = `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${groupId}`;
    const mine = (change: string) =>
      w.lines.filter(
        (l) => l.resource.id === sgArn && l.change === change && l.policy === 'aws-ec2-sg-admin-ports-open',
      );
    assert.equal(mine('new').length, 0, 'the group starts closed');

    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }));
    const opened = cloudTrailEvent('AuthorizeSecurityGroupIngress', { groupId });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: opened }));
    const [line] = await w.until('the new finding', () => (mine('new').length > 0 ? mine('new') : undefined));
    assert.equal(line!.status, 'fail');

    // Redelivery of the same event (same eventID) is a duplicate: no second line.
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: opened }));
    // A malformed message is moved to the dead-letter queue.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"detail-type": "AWS API Call via CloudTrail"',
      }),
    );

    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: cloudTrailEvent('RevokeSecurityGroupIngress', { groupId }),
      }),
    );
    const [resolved] = await w.until('the resolved finding', () =>
      mine('resolved').length > 0 ? mine('resolved') : undefined,
    );
    assert.equal(resolved!.status, 'pass');
    await w.until('the malformed message set aside', () =>
      w.stderr().includes('moved to the dead-letter queue'),
    );
    assert.equal(mine('new').length, 1);

    // The webhook got the open and the resolved notification through the outbox.
    await w.until('two notifications', () =>
      delivered.flatMap((d) => d.findings).filter((f) => f.resource.id === sgArn).length >= 2
        ? true
        : undefined,
    );
    assert.deepEqual(
      delivered
        .flatMap((d) => d.findings)
        .filter((f) => f.resource.id === sgArn)
        .map((f) => f.state),
      ['open', 'resolved'],
    );

    w.child.kill('SIGTERM');
    assert.equal(await w.exited, 0);
    assert.match(
      w.stderr(),
      /watch stopped after 4 messages: 3 changes, 1 duplicates, 1 malformed, 0 unmapped/,
    );
    const left = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0, MaxNumberOfMessages: 10 }),
    );
    assert.equal(left.Messages?.length ?? 0, 0, 'every processed message was deleted');
    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadUrl, WaitTimeSeconds: 0, MaxNumberOfMessages: 10 }),
    );
    assert.deepEqual(
      dead.Messages?.map((m) => m.Body),
      ['{"detail-type": "AWS API Call via CloudTrail"'],
    );
  } finally {
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await w.exited;
  }
});

it('a message that keeps failing (unreadable trail file) is retried, then moved to the dead-letter queue', async () => {
  // A queue of its own: the first test's aborted long poll may still hold a receive on moto's side.
  const events = (await sqs.send(new CreateQueueCommand({ QueueName: 'warden-events-2' }))).QueueUrl!;
  const dead = (await sqs.send(new CreateQueueCommand({ QueueName: 'warden-dead-2' }))).QueueUrl!;
  const w = startWatch([
    '--aws-queue',
    events,
    '--dead-letter-queue',
    dead,
    '--endpoint-url',
    moto.endpoint,
    '--regions',
    'us-east-1',
    '--no-store',
    '--policy',
    'aws-ec2-sg-admin-ports-open',
    '--max-receives',
    '2',
    '--visibility-timeout',
    '1',
    '--max-messages',
    '2',
  ]);
  try {
    await w.until('the initial scan', () => w.stderr().includes('warden: watching '));
    const body = JSON.stringify({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          awsRegion: 'us-east-1',
          s3: {
            bucket: { name: 'no-such-trail-bucket' },
            object: { key: `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/23/trail.json.gz` },
          },
        },
      ],
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: events, MessageBody: body }));
    await w.until('the message moved aside', () => w.stderr().includes('moved to the dead-letter queue'));
    assert.equal(await w.exited, 0, w.stderr());
    assert.match(
      w.stderr(),
      /failed \(delivery 1 of 2\), left for redelivery: cannot read trail file s3:\/\/no-such-trail-bucket\/AWSLogs\/.*trail\.json\.gz: NoSuchBucket: /,
    );
    assert.match(
      w.stderr(),
      /moved to the dead-letter queue: failed 2 times: cannot read trail file .*: NoSuchBucket: /,
    );
    const moved = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dead, WaitTimeSeconds: 0 }));
    assert.deepEqual(
      moved.Messages?.map((m) => m.Body),
      [body],
    );
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: events, WaitTimeSeconds: 0 }));
    assert.equal(left.Messages?.length ?? 0, 0);
  } finally {
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await w.exited;
  }
});
