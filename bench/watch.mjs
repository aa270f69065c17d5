#!/usr/bin/env node
// Watch-mode benchmark: moto's SQS carries 1,000 CloudTrail (EventBridge) events at a steady rate;
// each one follows a real change that opens or closes SSH on one of 50 security groups, so every
// event must produce exactly one `new` or `resolved` line from the built `warden watch`. Prints
// p50/p99 latency from enqueue (just before SendMessage) to the line on stdout, and the API calls
// each event cost (from `--metrics`). Run: `npm run build && node --import tsx bench/watch.mjs`
// (BENCH_WATCH_EVENTS, BENCH_WATCH_RATE per second, BENCH_WATCH_BACKGROUND extra groups,
// BENCH_WATCH_STORE=1 to write every message to a SQLite store as production does, instead of --no-store;
// BENCH_WATCH_MODE=mixed for the mixed-event mode of bench/watch-mixed.mjs).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startMoto, testClientConfig } from '../test/support/moto.ts';
import { pct, startWatch } from './watch-support.mjs';

const EVENTS = Number(process.env.BENCH_WATCH_EVENTS ?? '1000');
const RATE = Number(process.env.BENCH_WATCH_RATE ?? '10');
const GROUPS = 50;
const BACKGROUND = Number(process.env.BENCH_WATCH_BACKGROUND ?? '200');
const ACCOUNT = '123456789012';
const region = 'us-east-1';
const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

function event(name, groupId, i) {
  const now = new Date().toISOString();
  return JSON.stringify({
    version: '0',
    id: `bench-${i}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: ACCOUNT,
    time: now,
    region,
    detail: {
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bench`, accountId: ACCOUNT },
      eventTime: now,
      eventSource: 'ec2.amazonaws.com',
      eventName: name,
      awsRegion: region,
      requestParameters: { groupId },
      responseElements: { _return: true },
      eventID: `bench-event-${i}`,
      readOnly: false,
      recipientAccountId: ACCOUNT,
    },
  });
}

// BENCH_WATCH_MODE=mixed: six kinds of events (SG, bucket, IAM role, RDS, KMS, trail), calls per event name.
if (process.env.BENCH_WATCH_MODE === 'mixed') {
  const { runMixed } = await import('./watch-mixed.mjs');
  await runMixed({ events: EVENTS, rate: RATE });
  process.exit(0);
}

const moto = await startMoto();
const tmp = mkdtempSync(join(tmpdir(), 'warden-bench-watch-'));
const cfg = testClientConfig(moto.endpoint, region);
const ec2 = new EC2Client(cfg);
const sqs = new SQSClient(cfg);
try {
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-events' }))).QueueUrl;
  const groups = [];
  for (let i = 0; i < GROUPS + BACKGROUND; i++) {
    const g = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `bench-${i}`, Description: 'bench' }),
    );
    if (i < GROUPS)
      groups.push({
        id: g.GroupId,
        arn: `arn:aws:ec2:${region}:${ACCOUNT}:security-group/${g.GroupId}`,
        open: false,
      });
  }
  const metrics = join(tmp, 'metrics.jsonl');
  let buf = '';
  const arrivals = new Map(); // sg arn → arrival times of its change lines, in order
  const onStdout = (d) => {
    const at = performance.now();
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop();
    for (const p of parts) {
      if (!p.trim()) continue;
      const line = JSON.parse(p);
      if (line.policy !== 'aws-ec2-sg-admin-ports-open' || line.change === 'changed') continue;
      const list = arrivals.get(line.resource.id) ?? [];
      list.push(at);
      arrivals.set(line.resource.id, list);
    }
  };
  const { child, exited, log } = await startWatch({
    queueUrl,
    endpoint: moto.endpoint,
    region,
    tmp,
    events: EVENTS,
    metrics,
    stdout: onStdout,
    readyMs: 120_000,
  });
  const baseline = new Map([...arrivals].map(([k, v]) => [k, v.length]));
  const sent = new Map(); // sg arn → send times, in order
  const interval = 1000 / RATE;
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const g = groups[i % GROUPS];
    const name = g.open ? 'RevokeSecurityGroupIngress' : 'AuthorizeSecurityGroupIngress';
    const Cmd = g.open ? RevokeSecurityGroupIngressCommand : AuthorizeSecurityGroupIngressCommand;
    await ec2.send(new Cmd({ GroupId: g.id, IpPermissions: [ssh] }));
    g.open = !g.open;
    const list = sent.get(g.arn) ?? [];
    list.push(performance.now());
    sent.set(g.arn, list);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: event(name, g.id, i) }));
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 300_000))]);
  if (code === 'timeout') child.kill('SIGTERM');
  const latencies = [];
  let missing = 0;
  for (const [arn, times] of sent) {
    const got = (arrivals.get(arn) ?? []).slice(baseline.get(arn) ?? 0);
    times.forEach((t, j) => {
      if (got[j] === undefined) missing++;
      else latencies.push(got[j] - t);
    });
  }
  const m = readFileSync(metrics, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const calls = m.filter((x) => x.events > 0).map((x) => x.calls / x.events);
  console.log(`events sent: ${EVENTS} in ${sendSeconds.toFixed(1)} s (${RATE}/s target); watch exit ${code}`);
  console.log(
    `inventory: ${GROUPS + BACKGROUND + 1} security groups (+ default VPC resources), built-in policies`,
  );
  console.log(`finding lines matched: ${latencies.length}, missing: ${missing}`);
  console.log(
    `latency enqueue → finding line: p50 ${pct(latencies, 50).toFixed(1)} ms, p90 ${pct(latencies, 90).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
  );
  console.log(
    `API calls per event: median ${pct(calls, 50)}, p99 ${pct(calls, 99)}, max ${Math.max(...calls)}`,
  );
  console.log(log.stderr.trim().split('\n').at(-1));
} finally {
  ec2.destroy();
  sqs.destroy();
  await moto.stop();
  rmSync(tmp, { recursive: true, force: true });
}
