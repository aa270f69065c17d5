import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type Moto, startMoto, testClientConfig } from '../support/moto.js';
import { wardenLive } from '../support/warden-live.js';

/**
 * Issue 6 round trip on moto with the built CLI: collect → baseline → change a security group rule
 * and a bucket policy with the SDK → drift names exactly those → `--enforce --apply` puts the live
 * state back → pause, change, nothing reverted but recorded → resume with rebaseline, no drift.
 */
const tmp = mkdtempSync(join(tmpdir(), 'warden-drift-live-'));
let moto: Moto;
let ec2: EC2Client;
let s3: S3Client;
let groupId = '';

const TLS_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::wd-data', 'arn:aws:s3:::wd-data/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});
const PUBLIC_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Public',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::wd-data/*',
    },
  ],
});

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint));
  s3 = new S3Client(testClientConfig(moto.endpoint));
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'wd-web', Description: 'web' }));
  groupId = sg.GroupId ?? '';
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: 'wd-data' }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: 'wd-data', Policy: TLS_ONLY }));
});
after(async () => {
  ec2?.destroy();
  s3?.destroy();
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const run = (args: string[]) => wardenLive(args, { cwd: tmp, endpoint: moto.endpoint });

async function collect(file: string): Promise<string> {
  const out = join(tmp, file);
  const r = await run(['collect', '--aws', '--regions', 'us-east-1', '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

interface DriftJson {
  summary: { added: number; removed: number; changed: number; unchanged: number; changes: number };
  changed: { type: string; name: string; changes: { path: string; op: string }[] }[];
  enforcement?: {
    mode: string;
    paused?: { reason: string };
    reverts: { type: string; status: string; calls: { command: string }[] }[];
    notEnforceable: unknown[];
  };
}

async function drift(
  snapshot: string,
  extra: string[] = [],
): Promise<{ code: number | null; report: DriftJson }> {
  const r = await run(['drift', '--baseline', 'prod', '--format', 'json', ...extra, snapshot]);
  assert.equal(r.stderr.includes('    at '), false, r.stderr);
  return { code: r.code, report: JSON.parse(r.stdout) as DriftJson };
}

async function openPorts(): Promise<string[]> {
  const d = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  return (d.SecurityGroups?.[0]?.IpPermissions ?? [])
    .flatMap((p) => (p.IpRanges ?? []).map((r) => `${p.IpProtocol} ${p.FromPort} ${r.CidrIp}`))
    .sort();
}

async function bucketPolicy(): Promise<unknown> {
  const p = await s3.send(new GetBucketPolicyCommand({ Bucket: 'wd-data' }));
  return JSON.parse(p.Policy ?? '{}');
}

async function driftSomething(): Promise<void> {
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: 'wd-data', Policy: PUBLIC_READ }));
}

function changes(report: DriftJson): string[] {
  return report.changed.flatMap((r) => r.changes.map((c) => `${r.name} ${c.path} ${c.op}`)).sort();
}

function reverts(report: DriftJson): string[] {
  return (report.enforcement?.reverts ?? [])
    .map((r) => `${r.type} ${r.calls.map((c) => c.command).join('+')} ${r.status}`)
    .sort();
}

describe('drift and enforcement on moto through the CLI', () => {
  it('baselines, reports exact drift, reverts it, pauses and rebaselines', async () => {
    const base = await collect('base.json');
    const created = await run(['baseline', 'create', '--name', 'prod', base]);
    assert.equal(created.code, 0, created.stderr);

    await driftSomething();
    const drifted = await collect('drifted.json');
    const first = await drift(drifted);
    assert.equal(first.code, 1);
    assert.deepEqual(first.report.summary, { added: 0, removed: 0, changed: 2, unchanged: 12, changes: 3 });
    assert.deepEqual(changes(first.report), [
      'wd-data Policy.Statement[+] added',
      'wd-data Policy.Statement[-] removed',
      'wd-web IpPermissions[+] added',
    ]);

    // Enforce: the enforcer's SDK clients reach moto through AWS_ENDPOINT_URL.
    const enforced = await drift(drifted, ['--enforce', '--apply']);
    assert.equal(enforced.code, 1);
    assert.equal(enforced.report.enforcement?.mode, 'apply');
    assert.deepEqual(reverts(enforced.report), [
      'aws.ec2.security-group RevokeSecurityGroupIngress applied',
      'aws.s3.bucket PutBucketPolicy applied',
    ]);
    assert.deepEqual(enforced.report.enforcement?.notEnforceable, []);
    assert.deepEqual(await openPorts(), ['tcp 443 0.0.0.0/0']);
    assert.deepEqual(await bucketPolicy(), JSON.parse(TLS_ONLY));
    const after = await drift(await collect('after-enforce.json'));
    assert.equal(after.code, 0);
    assert.deepEqual(after.report.summary, { added: 0, removed: 0, changed: 0, unchanged: 14, changes: 0 });

    // Paused: drift is recorded, nothing is reverted.
    const paused = await run(['enforcement', 'pause', '--reason', 'deploy 123']);
    assert.equal(paused.code, 0, paused.stderr);
    await driftSomething();
    const during = await collect('during-deploy.json');
    const held = await drift(during, ['--enforce', '--apply']);
    assert.equal(held.code, 1);
    assert.equal(held.report.enforcement?.mode, 'paused');
    assert.equal(held.report.enforcement?.paused?.reason, 'deploy 123');
    assert.deepEqual(reverts(held.report), []);
    assert.deepEqual(changes(held.report), changes(first.report));
    assert.deepEqual(await openPorts(), ['tcp 22 0.0.0.0/0', 'tcp 443 0.0.0.0/0']);
    assert.deepEqual(await bucketPolicy(), JSON.parse(PUBLIC_READ));

    // Resume with rebaseline: the deployed state is the approved one now.
    const resumed = await run(['enforcement', 'resume', '--rebaseline', '--baseline', 'prod', during]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const settled = await drift(await collect('after-resume.json'));
    assert.equal(settled.code, 0);
    assert.deepEqual(settled.report.summary, { added: 0, removed: 0, changed: 0, unchanged: 14, changes: 0 });
  });
});
