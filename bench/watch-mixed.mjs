// Mixed-event mode of bench/watch.mjs (BENCH_WATCH_MODE=mixed): the built `warden watch` on moto's SQS,
// fed CloudTrail (EventBridge) events of six kinds, each following the real change it reports:
// security group rules, bucket policies, IAM role policy attachments, RDS public access, KMS key
// rotation and CloudTrail logging, round-robin. Prints, per event name, the API calls each event's
// targeted re-read cost (from `--metrics`), per event and per touched resource, and overall
// median/p99 of both plus the enqueue → processed latency.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  CreateKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { CreateDBInstanceCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startMoto, testClientConfig } from '../test/support/moto.ts';
import { pct, startWatch } from './watch-support.mjs';

const ACCOUNT = '123456789012';
const region = 'us-east-1';
const PER_KIND = 5;
const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

function envelope(i, source, name, requestParameters) {
  const now = new Date().toISOString();
  return JSON.stringify({
    version: '0',
    id: `bench-mixed-${i}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${source.split('.')[0]}`,
    account: ACCOUNT,
    time: now,
    region,
    detail: {
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bench`, accountId: ACCOUNT },
      eventTime: now,
      eventSource: source,
      eventName: name,
      awsRegion: region,
      requestParameters,
      responseElements: null,
      eventID: `bench-mixed-event-${i}`,
      readOnly: false,
      recipientAccountId: ACCOUNT,
    },
  });
}

/** Six kinds of change; each `next()` makes the change with the SDK and returns the event that reports it. */
async function kinds(c) {
  const out = [];
  const groups = [];
  for (let i = 0; i < PER_KIND; i++)
    groups.push(
      (await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: `mixed-${i}`, Description: 'bench' })))
        .GroupId,
    );
  out.push(
    toggler(groups, async (groupId, on) => {
      const Cmd = on ? AuthorizeSecurityGroupIngressCommand : RevokeSecurityGroupIngressCommand;
      await c.ec2.send(new Cmd({ GroupId: groupId, IpPermissions: [ssh] }));
      return [
        'ec2.amazonaws.com',
        on ? 'AuthorizeSecurityGroupIngress' : 'RevokeSecurityGroupIngress',
        { groupId },
        1,
      ];
    }),
  );
  const buckets = [];
  for (let i = 0; i < PER_KIND; i++) {
    await c.s3.send(new CreateBucketCommand({ Bucket: `bench-mixed-${i}` }));
    buckets.push(`bench-mixed-${i}`);
  }
  out.push(
    toggler(buckets, async (bucketName, on) => {
      if (on) {
        const Policy = JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${bucketName}/*`,
            },
          ],
        });
        await c.s3.send(new PutBucketPolicyCommand({ Bucket: bucketName, Policy }));
      } else await c.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucketName }));
      return ['s3.amazonaws.com', on ? 'PutBucketPolicy' : 'DeleteBucketPolicy', { bucketName }, 1];
    }),
  );
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const roles = [];
  for (let i = 0; i < PER_KIND; i++) {
    await c.iam.send(new CreateRoleCommand({ RoleName: `bench-role-${i}`, AssumeRolePolicyDocument: trust }));
    roles.push(`bench-role-${i}`);
  }
  out.push(
    toggler(roles, async (roleName, on) => {
      const Cmd = on ? AttachRolePolicyCommand : DetachRolePolicyCommand;
      await c.iam.send(new Cmd({ RoleName: roleName, PolicyArn: ADMIN }));
      return [
        'iam.amazonaws.com',
        on ? 'AttachRolePolicy' : 'DetachRolePolicy',
        { roleName, policyArn: ADMIN },
        1,
      ];
    }),
  );
  const dbs = [];
  for (let i = 0; i < 3; i++) {
    await c.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: `bench-db-${i}`,
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'bench',
        MasterUserPassword: 'not-a-real-password-1',
      }),
    );
    dbs.push(`bench-db-${i}`);
  }
  out.push(
    toggler(dbs, async (id, on) => {
      await c.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: id,
          PubliclyAccessible: on,
          ApplyImmediately: true,
        }),
      );
      return [
        'rds.amazonaws.com',
        'ModifyDBInstance',
        { dBInstanceIdentifier: id, publiclyAccessible: on },
        1,
      ];
    }),
  );
  const keys = [];
  for (let i = 0; i < PER_KIND; i++)
    keys.push((await c.kms.send(new CreateKeyCommand({}))).KeyMetadata.KeyId);
  out.push(
    toggler(keys, async (keyId, on) => {
      const Cmd = on ? EnableKeyRotationCommand : DisableKeyRotationCommand;
      await c.kms.send(new Cmd({ KeyId: keyId }));
      return ['kms.amazonaws.com', on ? 'EnableKeyRotation' : 'DisableKeyRotation', { keyId }, 1];
    }),
  );
  await c.s3.send(new CreateBucketCommand({ Bucket: 'bench-mixed-trail-logs' }));
  const trails = [];
  for (let i = 0; i < 3; i++) {
    await c.ct.send(
      new CreateTrailCommand({
        Name: `bench-trail-${i}`,
        S3BucketName: 'bench-mixed-trail-logs',
        IsMultiRegionTrail: true,
      }),
    );
    await c.ct.send(new StartLoggingCommand({ Name: `bench-trail-${i}` }));
    trails.push(`bench-trail-${i}`);
  }
  out.push(
    toggler(trails, async (name, stop) => {
      const Cmd = stop ? StopLoggingCommand : StartLoggingCommand;
      await c.ct.send(new Cmd({ Name: name }));
      return ['cloudtrail.amazonaws.com', stop ? 'StopLogging' : 'StartLogging', { name }, 1];
    }),
  );
  return out;
}

/** Round-robin over the items, flipping each one's state on every visit. */
function toggler(items, change) {
  const on = new Map(items.map((x) => [x, false]));
  let i = 0;
  return async () => {
    const item = items[i++ % items.length];
    const next = !on.get(item);
    on.set(item, next);
    return change(item, next);
  };
}

export async function runMixed({ events, rate }) {
  const moto = await startMoto();
  const tmp = mkdtempSync(join(tmpdir(), 'warden-bench-mixed-'));
  const cfg = testClientConfig(moto.endpoint, region);
  const c = {
    ec2: new EC2Client(cfg),
    s3: new S3Client(cfg),
    iam: new IAMClient(cfg),
    rds: new RDSClient(cfg),
    kms: new KMSClient(cfg),
    ct: new CloudTrailClient(cfg),
    sqs: new SQSClient(cfg),
  };
  try {
    const queueUrl = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'bench-mixed' }))).QueueUrl;
    const makers = await kinds(c);
    const metrics = join(tmp, 'metrics.jsonl');
    const { child, exited, log } = await startWatch({
      queueUrl,
      endpoint: moto.endpoint,
      region,
      tmp,
      events,
      metrics,
      readyMs: 180_000,
    });
    const sent = new Map(); // SQS message id → { name, touched, at (epoch ms) }
    const interval = 1000 / rate;
    const t0 = performance.now();
    for (let i = 0; i < events; i++) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const [source, name, params, touched] = await makers[i % makers.length]();
      const at = Date.now();
      const res = await c.sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope(i, source, name, params) }),
      );
      sent.set(res.MessageId, { name, touched, at });
    }
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 300_000))]);
    if (code === 'timeout') child.kill('SIGTERM');
    const lines = readFileSync(metrics, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const byName = new Map();
    const perEvent = [];
    const perResource = [];
    const latency = [];
    let failed = 0;
    for (const m of lines) {
      const s = sent.get(m.id);
      if (!s) continue;
      if (m.outcome !== 'processed' || m.events !== 1) {
        failed++;
        continue;
      }
      const entry = byName.get(s.name) ?? [];
      entry.push(m.calls);
      byName.set(s.name, entry);
      perEvent.push(m.calls);
      perResource.push(m.calls / s.touched);
      latency.push(m.at - s.at);
    }
    console.log(
      `mixed events sent: ${events} (${rate}/s target); processed: ${perEvent.length}, not processed: ${failed}; watch exit ${code}`,
    );
    console.log("API calls per event, by event name (built-in policies' demand):");
    for (const [name, xs] of [...byName].sort(([a], [b]) => a.localeCompare(b)))
      console.log(
        `  ${name.padEnd(30)} n=${String(xs.length).padStart(4)}  median ${pct(xs, 50)}  max ${Math.max(...xs)}`,
      );
    console.log(
      `API calls per event: median ${pct(perEvent, 50)}, p99 ${pct(perEvent, 99)}, max ${Math.max(...perEvent)}`,
    );
    console.log(
      `API calls per touched resource: median ${pct(perResource, 50)}, p99 ${pct(perResource, 99)}`,
    );
    console.log(`latency enqueue → processed: p50 ${pct(latency, 50)} ms, p99 ${pct(latency, 99)} ms`);
    console.log(log.stderr.trim().split('\n').at(-1));
  } finally {
    for (const client of Object.values(c)) client.destroy();
    await moto.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
