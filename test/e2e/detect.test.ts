import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

function warden(args: string[]) {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/bundle/warden.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'warden-detect-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('warden detect (built CLI)', () => {
  it('flags the seed scanner and GuardDuty findings in one JSON report', () => {
    const r = warden([
      'detect',
      '--lb-logs',
      'test/fixtures/detectors/elb-seed-scanner.txt',
      '--guardduty',
      'test/fixtures/detectors/guardduty-events.jsonl',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      summary: { fail: number };
      results: { policy: string; resource: { id: string } }[];
    };
    assert.equal(doc.summary.fail, 5);
    assert.deepEqual(
      doc.results.map((x) => `${x.policy} ${x.resource.id}`),
      [
        'detector-lb-scanner ASP-SaaS-Prod-ELB',
        'guardduty-unauthorizedaccess-ec2-sshbruteforce arn:aws:ec2:us-east-1:123456789012:instance/i-99999999',
        'guardduty-policy-s3-bucketblockpublicaccessdisabled arn:aws:iam::123456789012:user/deployer',
        'guardduty-policy-s3-bucketblockpublicaccessdisabled arn:aws:s3:::acme-reports',
        'guardduty-cryptocurrency-runtime-bitcointool-b-dns arn:aws:guardduty:eu-west-1:123456789012:detector/x/finding/4d',
      ],
    );
    assert.match(r.stderr, /warden: 10 records read, 2 skipped, 5 findings/);
    const soft = warden([
      'detect',
      '--guardduty',
      'test/fixtures/detectors/guardduty-events.jsonl',
      '--fail-on',
      'critical',
      '--format',
      'csv',
    ]);
    assert.equal(soft.code, 1);
    const high = warden([
      'detect',
      '--lb-logs',
      'test/fixtures/detectors/elb-seed-scanner.txt',
      '--fail-on',
      'critical',
    ]);
    assert.equal(high.code, 0, 'a high finding does not reach --fail-on critical');
  });

  it('proposes allowedCidrs for SSH brute force in flow logs', () => {
    const lines = [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    ];
    for (let i = 0; i < 30; i++)
      lines.push(
        `2 123456789010 eni-0f 203.0.113.9 10.0.0.5 ${50000 + i} 22 6 4 320 ${1795000000 + i} ${1795000060 + i} ACCEPT OK`,
      );
    lines.push(
      '2 123456789010 eni-0f 192.0.2.10 10.0.0.5 50999 22 6 900 200000 1795000000 1795000600 ACCEPT OK',
    );
    const file = join(tmp, 'flow.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = warden(['detect', '--flow-logs', file, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      results: { policy: string; evidence: { path: string; value: unknown }[] }[];
    };
    assert.equal(doc.results.length, 1);
    assert.deepEqual(doc.results[0]!.evidence.at(-1)!.value, ['192.0.2.10/32']);
  });

  it('bad input: one line naming the file and line, exit 2', () => {
    const file = join(tmp, 'not-a-log.txt');
    writeFileSync(file, 'hello\n');
    const r = warden(['detect', '--lb-logs', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: ${file}:1:1: not a Classic ELB or ALB access log line\n`);
    const none = warden(['detect']);
    assert.equal(none.code, 2);
    assert.equal(
      none.stderr,
      'error: give --lb-logs, --flow-logs or --guardduty (see warden detect --help)\n',
    );
    const fmt = warden(['detect', '--flow-logs', file, '--flow-log-format', '${version}']);
    assert.equal(fmt.code, 2);
    assert.match(fmt.stderr, /^error: flow log format lacks the srcaddr field/);
  });
});
