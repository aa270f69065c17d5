import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

/** Runs the built CLI (the `bin`, dist/bundle/) as a user would; `npm test` builds it first. */
function warden(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/bundle/warden.js'), ...args], {
    cwd,
    encoding: 'utf8',
    // Scans are stored by default: keep the store out of the repository.
    env: { ...process.env, NO_COLOR: '1', WARDEN_DB: join(tmp, 'warden.db') },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'warden-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const SHARED_PLAN = '../shared/fixtures/terraform/webapp/plan.json';
const SHARED_STATE = '../shared/fixtures/terraform/webapp/state.json';
const SECRETS = [
  'fixture-password-not-for-output',
  'fixture-token-not-for-output',
  'example-only-not-a-secret',
];

type Row = {
  policy: string;
  resource: { id: string; name: string };
  status: string;
  source: { address?: string };
};

function failures(json: string): string[] {
  const doc = JSON.parse(json) as { results: Row[] };
  return doc.results
    .filter((r) => r.status === 'fail')
    .map((r) => `${r.policy} ${r.source.address}`)
    .sort();
}

describe('warden scan (built CLI)', () => {
  it('scans the bundled examples and reports the seed violations', () => {
    const r = warden(['scan', 'examples', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { results: (Row & { reason?: string })[] };
    const failed = doc.results.filter((x) => x.status === 'fail').map((x) => `${x.policy} ${x.resource.id}`);
    assert.deepEqual(failed.sort(), [
      'aws-cloudtrail-not-multi-region examples/terraform-plan/plan.json#aws_cloudtrail.main',
      'aws-cloudtrail-not-multi-region examples/terraform-seed#aws_cloudtrail.main',
      'aws-ebs-volume-unencrypted examples/terraform-plan/plan.json#aws_ebs_volume.cache',
      'aws-ebs-volume-unencrypted examples/terraform-seed#aws_ebs_volume.scratch',
      'aws-ec2-instance-admin-role examples/terraform-seed#aws_instance.worker',
      'aws-ec2-public-instance-shares-key-with-admin-instance examples/terraform-seed#aws_instance.bastion',
      'aws-ec2-sg-admin-ports-open examples/cloudformation/template.yaml#AdminSecurityGroup',
      'aws-ec2-sg-admin-ports-open examples/terraform-plan/plan.json#aws_security_group.app',
      'aws-ec2-sg-admin-ports-open examples/terraform-seed#aws_security_group.bastion',
      'aws-kms-key-rotation-disabled examples/terraform-seed#aws_kms_key.app',
      'aws-rds-publicly-accessible examples/terraform-seed#aws_db_instance.orders',
      'aws-rds-storage-unencrypted examples/cloudformation/template.yaml#OrdersDb',
      'aws-rds-storage-unencrypted examples/terraform-seed#aws_db_instance.orders',
      'aws-s3-bucket-public examples/cloudformation/template.yaml#UploadsBucket',
      'aws-s3-bucket-public examples/terraform-seed#aws_s3_bucket.reports',
      'aws-vpc-flow-logs-disabled examples/terraform-seed#aws_vpc.main',
    ]);
    const exempt = doc.results
      .filter((x) => x.status === 'exempt')
      .map((x) => `${x.policy} ${x.source.address} ${x.reason}`);
    assert.deepEqual(exempt, [
      'aws-s3-bucket-public aws_s3_bucket.website marketing content is public by design (tag Content=Marketing)',
    ]);
    for (const s of SECRETS) assert.ok(!r.stdout.includes(s), `output leaks ${s}`);
  });

  it('the table output groups by policy and ends with the summary', () => {
    const r = warden(['scan', 'examples', '--format', 'table', '--soft-fail']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^CRITICAL aws-ec2-instance-admin-role {2}EC2 instance runs with an administrator role$/m,
    );
    assert.match(r.stdout, /^16 failed, 21 passed, 0 error, 3 unknown, 1 exempt$/m);
  });

  it('writes every format to a file and exits by --fail-on', () => {
    for (const format of ['json', 'sarif', 'junit', 'csv', 'table']) {
      const out = join(tmp, `plan.${format}`);
      const r = warden(['scan', SHARED_PLAN, '--format', format, '-o', out]);
      assert.equal(r.code, 1, `${format}: ${r.stderr}`);
      const text = readFileSync(out, 'utf8');
      for (const s of SECRETS) assert.ok(!text.includes(s), `${format} leaks ${s}`);
      if (format === 'sarif') {
        const sarif = JSON.parse(text) as { version: string; runs: { results: { ruleId: string }[] }[] };
        assert.equal(sarif.version, '2.1.0');
        assert.deepEqual([...new Set(sarif.runs[0]!.results.map((x) => x.ruleId))].sort(), [
          'aws-cloudtrail-not-multi-region',
          'aws-ebs-volume-unencrypted',
          'aws-ec2-sg-admin-ports-open',
        ]);
      }
      if (format === 'junit')
        assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="warden"/);
      if (format === 'csv') assert.match(text, /^policy,severity,status,resource_id,/);
    }
    assert.equal(warden(['scan', SHARED_PLAN, '--fail-on', 'critical', '-o', join(tmp, 'x.json')]).code, 0);
    assert.equal(warden(['scan', SHARED_PLAN, '--fail-on', 'high', '-o', join(tmp, 'x.json')]).code, 1);
    assert.equal(warden(['scan', SHARED_PLAN, '--soft-fail', '-o', join(tmp, 'x.json')]).code, 0);
  });

  it('gives the same verdicts on the shared plan and state where both know the resource', () => {
    const plan = failures(warden(['scan', SHARED_PLAN, '--format', 'json']).stdout);
    const state = failures(warden(['scan', SHARED_STATE, '--format', 'json']).stdout);
    assert.deepEqual(plan, [
      'aws-cloudtrail-not-multi-region aws_cloudtrail.main',
      'aws-ebs-volume-unencrypted aws_ebs_volume.cache',
      'aws-ec2-sg-admin-ports-open aws_security_group.app',
    ]);
    // The apply stopped before the trail was created, so the state lacks it.
    assert.deepEqual(state, [
      'aws-ebs-volume-unencrypted aws_ebs_volume.cache',
      'aws-ec2-sg-admin-ports-open aws_security_group.app',
    ]);
  });

  it('only and parameters narrow or tighten the policy set', () => {
    const r = warden(['scan', SHARED_PLAN, '--format', 'json', '--policy', 'aws-ec2-sg-admin-ports-open']);
    const doc = JSON.parse(r.stdout) as { results: Row[] };
    assert.deepEqual(doc.results.map((x) => `${x.source.address} ${x.status}`).sort(), [
      'aws_security_group.app fail',
      'aws_security_group.lb pass',
    ]);
  });
});

describe('bad input never crashes and never passes', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'truncated plan',
      ['scan', 'test/fixtures/bad-input/truncated-plan.json'],
      /^error: test\/fixtures\/bad-input\/truncated-plan\.json:\d+:\d+: invalid JSON: .+\n$/,
    ],
    [
      'empty file',
      ['scan', 'test/fixtures/bad-input/empty.json'],
      /^error: test\/fixtures\/bad-input\/empty\.json:1:1: file is empty\n$/,
    ],
    [
      'broken YAML template',
      ['scan', 'test/fixtures/bad-input/broken-template.yaml'],
      /^error: test\/fixtures\/bad-input\/broken-template\.yaml:\d+:\d+: .+\n$/,
    ],
    [
      'JSON that is not IaC',
      ['scan', 'test/fixtures/bad-input/not-iac.json'],
      /^error: test\/fixtures\/bad-input\/not-iac\.json:1:1: not a Terraform plan or state/,
    ],
    ['missing path', ['scan', 'no/such/dir'], /^error: no\/such\/dir: no such file or directory\n$/],
    [
      'policy file that is not a list',
      ['scan', SHARED_PLAN, '-p', 'test/fixtures/bad-input/policies-not-list.yaml'],
      /^error: test\/fixtures\/bad-input\/policies-not-list\.yaml:1:11: "policies" must be a list\n$/,
    ],
  ];
  for (const [name, args, stderr] of cases) {
    it(`${name}: one line on stderr, exit 2, nothing on stdout`, () => {
      const r = warden(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, stderr);
      assert.equal(r.stdout, '');
    });
  }

  it('usage errors exit 2', () => {
    assert.equal(warden(['scan', SHARED_PLAN, '--format', 'xml']).code, 2);
    assert.equal(warden(['scan']).code, 2);
    assert.equal(warden(['frobnicate']).code, 2);
    assert.equal(warden(['scan', SHARED_PLAN, '--param', 'nonsense']).code, 2);
  });
});

describe('the bin', () => {
  it('is executable and prints the package version (npx runs the file directly)', () => {
    assert.equal(statSync('dist/bundle/warden.js').mode & 0o111, 0o111);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      version: string;
      bin: Record<string, string>;
    };
    assert.deepEqual(pkg.bin, { warden: 'dist/bundle/warden.js' });
    assert.equal(warden(['--version']).stdout, `${pkg.version}\n`);
  });
});

describe('warden policies', () => {
  it('validate accepts a good file and rejects a bad one with its location', () => {
    const ok = warden(['policies', 'validate', 'test/fixtures/policy-files/valid.yaml']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'ok: 1 policy valid in 1 file\n');
    const bad = warden(['policies', 'validate', 'test/fixtures/policy-files/bad-severity.yaml']);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr,
      'error: test/fixtures/policy-files/bad-severity.yaml:4:15: severity must be one of critical, high, medium, low, info, got "hihg"; did you mean "high"?\n',
    );
  });

  it('list shows the built-ins and filters by framework', () => {
    const r = warden(['policies', 'list', '--framework', 'cis-aws-3.0', '--format', 'json']);
    assert.equal(r.code, 0);
    const rows = JSON.parse(r.stdout) as { id: string; frameworks: Record<string, string[]> }[];
    // Every pack counts for a framework: 16 core policies (5 of them live-only) and 46 of packs/cis-aws-v3.
    assert.equal(rows.length, 62);
    const reqs = Object.fromEntries(rows.map((row) => [row.id, row.frameworks['cis-aws-3.0']]));
    assert.deepEqual(reqs['aws-ec2-sg-admin-ports-open'], ['5.2', '5.3']);
    assert.deepEqual(reqs['aws-cloudwatch-no-alarm-root-usage'], ['4.3']);
    assert.deepEqual(reqs['aws-iam-policy-full-admin-attached'], ['1.16']);
  });
});
