import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

/** `warden report` and `warden policies list --framework` through the built CLI. */
function warden(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/bundle/warden.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'warden-report-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

type Report = {
  summary: Record<string, unknown>;
  requirements: { id: string; status: string; reason: string }[];
};
const ids = (doc: Report, status: string) =>
  doc.requirements.filter((r) => r.status === status).map((r) => r.id);
// CIS controls decided only by live-only policies (credential report, account summary).
const LIVE_ONLY_CONTROLS = ['1.4', '1.5', '1.10', '1.12', '1.14'];

describe('warden report (built CLI)', () => {
  it('CIS AWS 3.0 on the Terraform and CloudFormation examples', () => {
    const r = warden(['report', '--framework', 'cis-aws-3.0', '--format', 'json', 'examples']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Report;
    assert.equal(doc.requirements.length, 62);
    assert.deepEqual(ids(doc, 'fail'), [
      '1.15',
      '1.16',
      '1.18',
      '2.1.1',
      '2.1.2',
      '2.1.4',
      '2.2.1',
      '2.3.1',
      '2.3.3',
      '3.1',
      '3.2',
      '3.4',
      '3.5',
      '3.6',
      '3.7',
      '5.2',
      '5.3',
      '5.6',
    ]);
    assert.deepEqual(ids(doc, 'pass'), ['1.13', '2.3.2', '5.1']);
    // Account-wide and region-wide controls need a live account: nothing in scope in IaC.
    assert.equal(ids(doc, 'not-applicable').length, 28);
    assert.deepEqual(
      { score: doc.summary.score, assessed: doc.summary.assessed, manual: doc.summary.manual },
      { score: 14.3, assessed: 21, manual: 13 },
    );
    // IaC holds no credential report: those controls are for a person (or a live run), not "not applicable".
    assert.deepEqual(
      doc.requirements
        .filter((q) => LIVE_ONLY_CONTROLS.includes(q.id))
        .map((q) => `${q.status}: ${q.reason}`),
      LIVE_ONLY_CONTROLS.map(
        () =>
          'manual: checked only on live account data, and this scan read none: report on --aws or a collected snapshot, or review by hand',
      ),
    );
    assert.equal(
      r.stderr,
      'warden: cis-aws-3.0: 62 requirements, 3 passed, 18 failed, 0 error, 13 manual, 28 not applicable; score 14.3%\n',
    );
  });

  it('CIS AWS 3.0 on a live-shaped inventory snapshot, as HTML', () => {
    const out = join(tmp, 'cis.html');
    const r = warden([
      'report',
      '--framework',
      'cis-aws-3.0',
      '--format',
      'html',
      '-o',
      out,
      'test/fixtures/compliance/cis-account.json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr.trimEnd().split('\n').at(-1),
      `warden: cis-aws-3.0: 62 requirements, 23 passed, 32 failed, 1 error, 6 manual, 0 not applicable; score 41.1% → ${out}`,
    );
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<div class="score" id="score">41\.1%<\/div>/);
    assert.equal((html.match(/<tr data-requirement=/g) ?? []).length, 62);
  });

  it('NIST 800-53 as CSV lists every requirement', () => {
    const r = warden([
      'report',
      '--framework',
      'nist-800-53-r5',
      '--format',
      'csv',
      'test/fixtures/compliance/cis-account.json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trimEnd().split('\n');
    assert.ok(rows[0]!.startsWith('framework,requirement,title,section,status,'));
    const reqs = new Set(rows.slice(1).map((l) => l.split(',')[1]));
    assert.equal(reqs.size, 40);
    assert.ok(
      rows.some((l) =>
        l.startsWith(
          'nist-800-53-r5,IA-5,authenticator management,IA,fail,1 resource failed,aws-iam-password-min-length,fail,medium,',
        ),
      ),
    );
  });

  it('PDF through headless Chromium', () => {
    const out = join(tmp, 'pci.pdf');
    const r = warden([
      'report',
      '--framework',
      'pci-dss-4.0',
      '--format',
      'pdf',
      '-o',
      out,
      'test/fixtures/compliance/cis-account.json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const pdf = readFileSync(out);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length >= 2);
  });

  it('a missing or broken Chromium is one line and exit 2, with no file written', () => {
    const out = join(tmp, 'none.pdf');
    const missing = warden(['report', '--framework', 'gdpr', '--format', 'pdf', '-o', out, 'examples'], {
      WARDEN_CHROMIUM: join(tmp, 'no-chromium'),
    });
    assert.equal(missing.code, 2);
    assert.equal(
      missing.stderr,
      `error: PDF output needs Chromium at ${join(tmp, 'no-chromium')} (apt-get install chromium, or set WARDEN_CHROMIUM)\n`,
    );
    const broken = warden(['report', '--framework', 'gdpr', '--format', 'pdf', '-o', out, 'examples'], {
      WARDEN_CHROMIUM: '/bin/false',
    });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^error: cannot start Chromium at \/bin\/false: [^\n]+\n$/);
    assert.throws(() => readFileSync(out));
  });

  it('--fail-under gates on the score', () => {
    const args = [
      'report',
      '--framework',
      'cis-aws-3.0',
      '--format',
      'json',
      '-o',
      join(tmp, 'gate.json'),
      'test/fixtures/compliance/cis-account.json',
    ];
    const below = warden([...args, '--fail-under', '45']);
    assert.equal(below.code, 1);
    assert.equal(below.stderr.trimEnd().split('\n').at(-1), 'warden: score 41.1% is under --fail-under 45%');
    assert.equal(warden([...args, '--fail-under', '41']).code, 0);
    const bad = warden([...args, '--fail-under', '140']);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /option '--fail-under <percent>' argument '140' is invalid\. expected a percentage between 0 and 100/,
    );
  });

  it('a custom framework file with its own policies', () => {
    const r = warden([
      'report',
      '--framework-file',
      'test/fixtures/frameworks/acme.yaml',
      '-p',
      'test/fixtures/frameworks/acme-policies.yaml',
      '--format',
      'json',
      'test/fixtures/compliance/cis-account.json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Report;
    assert.deepEqual(
      doc.requirements.map((q) => `${q.id} ${q.status}`),
      // GOV-2's root-keys policy now exists and passes on the account's summary.
      ['NET-1 fail', 'LOG-1 pass', 'LOG-2 manual', 'GOV-1 fail', 'GOV-2 pass'],
    );
  });

  it('bad input: one line on stderr, exit 2', () => {
    const cases: [string[], string][] = [
      [
        ['report', '--framework-file', 'test/fixtures/frameworks/bad-key.yaml', 'examples'],
        'error: test/fixtures/frameworks/bad-key.yaml:7:5: unknown key "polices"; did you mean "policies"?\n',
      ],
      [
        ['report', '--framework', 'hipa', 'examples'],
        'error: unknown framework "hipa"; did you mean "hipaa"? (available: cis-aws-3.0, gdpr, hipaa, iso-27001-2022, nist-800-53-r5, pci-dss-4.0, soc2)\n',
      ],
      [
        ['report', '--framework', 'soc2', 'test/fixtures/compliance/bad-snapshot.json'],
        'error: test/fixtures/compliance/bad-snapshot.json: not a valid Warden inventory snapshot: resources[1].tags.owner: Invalid input: expected string, received number\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = warden(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr, stderr);
      assert.equal(r.stdout, '');
    }
  });
});

describe('warden scan --pack (built CLI)', () => {
  it('runs the opt-in mandatory tags policy', () => {
    const r = warden([
      'scan',
      'examples',
      '--pack',
      'tagging',
      '--policy',
      'mandatory-tags',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      results: { status: string; message: string; resource: { id: string } }[];
    };
    assert.deepEqual([doc.summary.fail, doc.summary.pass], [17, 9]);
    const seedVpc = doc.results.find((x) => x.resource.id === 'examples/terraform-seed#aws_vpc.main')!;
    assert.equal(
      seedVpc.message,
      'Resource lacks a mandatory tag or has a disallowed tag value: tag environment=demo is not one of prod, staging, dev, test',
    );
  });

  it('names an unknown pack', () => {
    const r = warden(['scan', 'examples', '--pack', 'taging']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: unknown policy pack "taging"; did you mean "tagging"? (packs: cis-aws-v3, core, tagging)\n',
    );
  });
});

describe('warden policies list --framework (built CLI)', () => {
  it('lists the policies of a framework with their requirements and counts the manual ones', () => {
    const r = warden(['policies', 'list', '--framework', 'hipaa']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(-2), [
      '40 policies',
      '6 of 32 hipaa requirements have no automated policy (manual)',
    ]);
    assert.ok(
      lines.some((l) =>
        /^aws-iam-password-reuse +medium +aws\.iam\.account .* hipaa: 164\.308\(a\)\(4\)\(ii\)\(C\), 164\.308\(a\)\(5\)\(ii\)\(D\), 164\.312\(d\)$/.test(
          l,
        ),
      ),
    );
  });
});
