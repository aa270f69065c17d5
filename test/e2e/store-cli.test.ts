import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runWarden } from '../support/cli.js';
import { forEachStore } from '../support/stores.js';

const tmp = mkdtempSync(join(tmpdir(), 'warden-store-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function template(dir: string, rotation: boolean): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'keys.yaml');
  writeFileSync(
    file,
    [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  AppKey:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      `      EnableKeyRotation: ${rotation}`,
      '      Tags: [{Key: team, Value: pay}]',
      '  OtherKey:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      EnableKeyRotation: false',
      '',
    ].join('\n'),
  );
  return file;
}

const ACCOUNT = '111122223333';
const SG_ID = `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0abc`;
const BUCKET_ID = 'arn:aws:s3:::acme-data';

function snapshot(file: string, opts: { ssh: boolean; openPolicy: boolean; state: string }): string {
  const res = (type: string, id: string, name: string, config: Record<string, unknown>) => ({
    id,
    provider: 'aws',
    type,
    account: ACCOUNT,
    region: 'eu-west-1',
    name,
    tags: { env: 'prod' },
    config,
    source: { kind: 'live', collectedAt: new Date().toISOString() },
  });
  const statements: unknown[] = [
    {
      Sid: 'TLS',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
  if (opts.openPolicy)
    statements.push({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' });
  const perms: unknown[] = [
    { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [] },
  ];
  if (opts.ssh)
    perms.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
  const doc = {
    kind: 'warden-inventory',
    version: 1,
    collectedAt: new Date().toISOString(),
    resources: [
      res('aws.ec2.security-group', SG_ID, 'web', {
        GroupId: 'sg-0abc',
        GroupName: 'web',
        IpPermissions: perms,
        IpPermissionsEgress: [],
      }),
      res('aws.s3.bucket', BUCKET_ID, 'acme-data', {
        Name: 'acme-data',
        Policy: { Version: '2012-10-17', Statement: statements },
      }),
      res('aws.ec2.instance', `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`, 'app', {
        InstanceId: 'i-1',
        InstanceType: 't3.micro',
        State: { Name: opts.state },
      }),
    ],
    unsupported: {},
    inputs: [],
  };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

forEachStore('store commands (built CLI)', (target) => {
  it('stores scans, tracks the finding lifecycle and shows a resource history', async () => {
    const db = await target.freshUrl();
    const dir = join(tmp, `${target.kind}-history`);
    const file = template(dir, false);
    const w = (args: string[]) => runWarden([...args, '--db', db], { cwd: dir });
    assert.equal(w(['scan', file, '--format', 'json', '-o', join(dir, 'r1.json')]).code, 1);
    template(dir, true);
    const second = w(['scan', file, '--format', 'json', '-o', join(dir, 'r2.json')]);
    assert.equal(second.code, 1, second.stderr);

    const scans = JSON.parse(w(['scans', '-f', 'json']).stdout) as {
      scans: { id: number; resourceCount: number; summary: { fail: number } }[];
    };
    assert.deepEqual(
      scans.scans.map((s) => [s.resourceCount, s.summary.fail]),
      [
        [2, 1],
        [2, 2],
      ],
    );

    const findings = JSON.parse(w(['findings', '-f', 'json']).stdout) as {
      findings: { policy: string; status: string; resource: { id: string }; resolvedAt: string | null }[];
    };
    const appKey = `${dir.replace(`${process.cwd()}/`, '')}/keys.yaml#AppKey`;
    assert.deepEqual(
      findings.findings.map((f) => [
        f.policy,
        f.resource.id.endsWith('#AppKey') ? 'AppKey' : 'OtherKey',
        f.status,
      ]),
      [
        ['aws-kms-key-rotation-disabled', 'AppKey', 'resolved'],
        ['aws-kms-key-rotation-disabled', 'OtherKey', 'open'],
      ],
    );
    const open = JSON.parse(w(['findings', '--status', 'open', '--tag', 'team=pay', '-f', 'json']).stdout);
    assert.deepEqual(open.findings, []);
    const csv = w(['findings', '--status', 'resolved', '--severity', 'medium', '-f', 'csv'])
      .stdout.trim()
      .split('\n');
    assert.equal(csv.length, 2);
    assert.match(csv[1]!, /^resolved,medium,aws-kms-key-rotation-disabled,.*#AppKey,aws\.kms\.key,/);
    assert.equal(w(['findings', '--since', '2999-01-01', '-f', 'json']).stdout, '{\n  "findings": []\n}\n');

    const appId = findings.findings.find((f) => f.resource.id.endsWith('#AppKey'))!.resource.id;
    assert.ok(appId.endsWith(appKey.split('/').pop()!));
    const history = w(['history', appId, '-f', 'table']);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /^v1 .*\(scan 1\)/m);
    assert.match(history.stdout, /^v2 .*\(scan 2\)/m);
    assert.match(history.stdout, /^ {4}KeyRotationEnabled: false → true$/m);
    const missing = w(['history', 'no-such-resource']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'error: no-such-resource: no stored scan has seen this resource\n');

    assert.equal(w(['scan', file, '--no-store', '--format', 'json', '-o', join(dir, 'r3.json')]).code, 1);
    assert.equal((JSON.parse(w(['scans', '-f', 'json']).stdout) as { scans: unknown[] }).scans.length, 2);
  });

  it('baselines, reports drift exactly, plans reverts, pauses and re-baselines', async () => {
    const db = await target.freshUrl();
    const dir = join(tmp, `${target.kind}-drift`);
    mkdirSync(dir, { recursive: true });
    const w = (args: string[]) => runWarden([...args, '--db', db], { cwd: dir });
    const approved = snapshot(join(dir, 'approved.json'), {
      ssh: false,
      openPolicy: false,
      state: 'running',
    });
    const created = w(['baseline', 'create', '--name', 'prod', approved]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr, 'warden: created baseline prod v1: 3 resources\n');

    // Only the instance's state changed: that is not drift.
    const calm = snapshot(join(dir, 'calm.json'), { ssh: false, openPolicy: false, state: 'stopped' });
    const none = w(['drift', '--baseline', 'prod', calm, '-f', 'json']);
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(JSON.parse(none.stdout).summary, {
      added: 0,
      removed: 0,
      changed: 0,
      unchanged: 3,
      changes: 0,
    });

    const drifted = snapshot(join(dir, 'drifted.json'), { ssh: true, openPolicy: true, state: 'stopped' });
    const r = w(['drift', '--baseline', 'prod', drifted, '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.changed.map((c: { id: string; changes: { text: string }[] }) => [
        c.id,
        c.changes.map((x) => x.text),
      ]),
      [
        [SG_ID, ['IpPermissions[+]: tcp 22 from 0.0.0.0/0']],
        [
          BUCKET_ID,
          ['Policy.Statement[+]: {"Action":"s3:GetObject","Effect":"Allow","Principal":"*","Sid":"Open"}'],
        ],
      ],
    );
    assert.deepEqual([report.baseline.name, report.baseline.version], ['prod', 1]);

    const plan = JSON.parse(w(['drift', '--baseline', 'prod', drifted, '--enforce', '-f', 'json']).stdout);
    assert.equal(plan.enforcement.mode, 'dry-run');
    assert.deepEqual(
      plan.enforcement.reverts.map((x: { calls: { command: string; input: unknown }[] }) =>
        x.calls.map((c) => [c.command, c.input]),
      ),
      [
        [
          [
            'RevokeSecurityGroupIngress',
            {
              GroupId: 'sg-0abc',
              IpPermissions: [
                { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
              ],
            },
          ],
        ],
        [
          [
            'PutBucketPolicy',
            {
              Bucket: 'acme-data',
              // The baseline comes back from the store as canonical JSON (sorted keys).
              Policy:
                '{"Statement":[{"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny","Principal":"*","Sid":"TLS"}],"Version":"2012-10-17"}',
            },
          ],
        ],
      ],
    );

    const md = join(dir, 'drift.md');
    assert.equal(w(['drift', '--baseline', 'prod', drifted, '-f', 'markdown', '-o', md]).code, 1);
    assert.match(readFileSync(md, 'utf8'), /^- `IpPermissions\[\+\]: tcp 22 from 0\.0\.0\.0\/0`$/m);

    assert.equal(w(['enforcement', 'pause', '--reason', 'deploy 123', '--until', '30m']).code, 0);
    const status = JSON.parse(w(['enforcement', 'status', '-f', 'json']).stdout);
    assert.deepEqual([status.paused, status.reason, status.by], [true, 'deploy 123', 'tester']);
    const paused = JSON.parse(
      w(['drift', '--baseline', 'prod', drifted, '--enforce', '--apply', '-f', 'json']).stdout,
    );
    assert.equal(paused.enforcement.mode, 'paused');
    assert.deepEqual(paused.enforcement.reverts, []);
    assert.equal(paused.summary.changed, 2);

    const resumed = w(['enforcement', 'resume', '--rebaseline', '--baseline', 'prod', drifted]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(
      resumed.stderr,
      'warden: created baseline prod v2: 3 resources\nwarden: enforcement resumed\n',
    );
    assert.equal(JSON.parse(w(['enforcement', 'status', '-f', 'json']).stdout).paused, false);
    const after = w(['drift', '--baseline', 'prod', drifted, '-f', 'json']);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout).summary.changed, 0);
    const old = w(['drift', '--baseline', 'prod', '--baseline-version', '1', drifted, '-f', 'json']);
    assert.equal(JSON.parse(old.stdout).summary.changed, 2);

    const list = JSON.parse(w(['baseline', 'list', '-f', 'json']).stdout);
    assert.deepEqual(
      list.baselines.map((b: { name: string; version: number; createdBy: string }) => [
        b.name,
        b.version,
        b.createdBy,
      ]),
      [
        ['prod', 1, 'tester'],
        ['prod', 2, 'tester'],
      ],
    );
  });

  it('reports bad input as one line with exit 2', async () => {
    const db = await target.freshUrl();
    const dir = join(tmp, `${target.kind}-bad`);
    mkdirSync(dir, { recursive: true });
    const w = (args: string[]) => runWarden([...args, '--db', db], { cwd: dir });
    const snap = snapshot(join(dir, 's.json'), { ssh: false, openPolicy: false, state: 'running' });
    let r = w(['drift', snap]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: .*: no baseline named "default": create one with `warden baseline create --name default`\n$/,
    );
    assert.equal(w(['baseline', 'create', snap]).code, 0);
    writeFileSync(join(dir, 'ignore.yaml'), 'ignore: [oops\n');
    r = w(['drift', snap, '--ignore-file', join(dir, 'ignore.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .*ignore\.yaml:\d+:\d+: invalid YAML: /);
    assert.equal(r.stderr.split('\n').length, 2);
    writeFileSync(join(dir, 'broken.json'), '{"kind":"warden-inventory","version":1,"resources":[{"id":1}]}');
    r = w(['drift', join(dir, 'broken.json')]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: .*broken\.json: not a valid Warden inventory snapshot: resources\[0\]\.id: Invalid input: expected string, received number\n$/,
    );
    r = w(['baseline', 'create', '--from-scan', '99']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .*: no stored scan with id 99\n$/);
    r = w(['drift', snap, '--apply']);
    assert.equal(r.stderr, 'error: --apply needs --enforce\n');
    r = w(['enforcement', 'pause', '--reason', 'x', '--until', 'soon']);
    assert.equal(r.code, 2);
  });
});

it('a scan whose store cannot be opened says so in one line, and how to skip the store', () => {
  const file = join(tmp, 'not-a-dir');
  writeFileSync(file, '');
  const r = runWarden([
    'scan',
    'examples/terraform-plan/plan.json',
    '--db',
    join(file, 'warden.db'),
    '--format',
    'json',
  ]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^error: .*not-a-dir\/warden\.db: cannot open the store: E[A-Z]+ .* \(--no-store skips the store\)\n$/,
  );
  assert.equal(r.stdout, '');
});

it('refuses an unreachable PostgreSQL store with one line and no password', () => {
  const r = runWarden(['scans', '--db', 'postgres://warden:s3cret-pw@127.0.0.1:1/nowhere']);
  assert.equal(r.code, 2);
  assert.ok(!r.stderr.includes('s3cret-pw'), r.stderr);
  assert.match(
    r.stderr,
    /^error: postgres:\/\/warden:\*\*\*@127\.0\.0\.1:1\/nowhere: cannot open the store: .*ECONNREFUSED/,
  );
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
