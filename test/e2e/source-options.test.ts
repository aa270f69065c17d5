import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runWarden } from '../support/cli.js';

/** `report`, `graph` and `drift` take their inputs through the same source options as `scan`. */
const tmp = mkdtempSync(join(tmpdir(), 'warden-sources-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const CIS = 'test/fixtures/compliance/cis-account.json';
const SG_ID = 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0abc';

/** A minimal snapshot with one security group; `ssh` opens port 22 to the world. */
function groupSnapshot(name: string, ssh: boolean): string {
  const perms = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
  if (ssh) perms.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
  const file = join(tmp, name);
  writeFileSync(
    file,
    JSON.stringify({
      kind: 'warden-inventory',
      version: 1,
      resources: [
        {
          id: SG_ID,
          provider: 'aws',
          type: 'aws.ec2.security-group',
          account: '111122223333',
          region: 'eu-west-1',
          name: 'web',
          config: { GroupId: 'sg-0abc', GroupName: 'web', IpPermissions: perms, IpPermissionsEgress: [] },
        },
      ],
    }),
  );
  return file;
}

describe('--snapshot on every command that reads resources (built CLI)', () => {
  it('report --snapshot gives the same report as the snapshot named as a path', () => {
    const args = ['report', '--framework', 'cis-aws-3.0', '--format', 'json'];
    const viaFlag = runWarden([...args, '--snapshot', CIS]);
    const viaPath = runWarden([...args, CIS]);
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    const summary = (out: string) => (JSON.parse(out) as { summary: Record<string, unknown> }).summary;
    assert.deepEqual(summary(viaFlag.stdout), summary(viaPath.stdout));
    assert.deepEqual([summary(viaFlag.stdout).score, summary(viaFlag.stdout).pass], [41.1, 23]);
    assert.equal(
      viaFlag.stderr,
      'warden: cis-aws-3.0: 62 requirements, 23 passed, 32 failed, 1 error, 6 manual, 0 not applicable; score 41.1%\n',
    );
  });

  it('graph --snapshot exports the snapshot resources and their relationships', () => {
    const r = runWarden(['graph', '--snapshot', CIS, '--type', 'aws.ec2.security-group']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { elements: { nodes: { data: { type: string } }[] } };
    assert.ok(doc.elements.nodes.length > 0);
    assert.deepEqual([...new Set(doc.elements.nodes.map((n) => n.data.type))], ['aws.ec2.security-group']);
  });

  it('drift --snapshot against a baseline created with --snapshot', () => {
    const db = join(tmp, 'warden.db');
    const approved = groupSnapshot('approved.json', false);
    const drifted = groupSnapshot('drifted.json', true);
    const created = runWarden(['baseline', 'create', '--snapshot', approved, '--db', db]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr, 'warden: created baseline default v1: 1 resources\n');
    const same = runWarden(['drift', '--snapshot', approved, '--db', db, '-f', 'json']);
    assert.equal(same.code, 0, same.stderr);
    const r = runWarden(['drift', '--snapshot', drifted, '--db', db, '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { changed: { id: string; changes: { text: string }[] }[] };
    assert.deepEqual(
      report.changed.map((c) => [c.id, c.changes.map((x) => x.text)]),
      [[SG_ID, ['IpPermissions[+]: tcp 22 from 0.0.0.0/0']]],
    );
  });

  it('report --scan evaluates the resources a stored scan saw, like the snapshot it read', () => {
    const db = join(tmp, 'scans.db');
    const scanned = runWarden([
      'scan',
      CIS,
      '--db',
      db,
      '--soft-fail',
      '-f',
      'json',
      '-o',
      join(tmp, 's.json'),
    ]);
    assert.equal(scanned.code, 0, scanned.stderr);
    const r = runWarden(['report', '--scan', '1', '--db', db, '--framework', 'cis-aws-3.0', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      'warden: cis-aws-3.0: 62 requirements, 23 passed, 32 failed, 1 error, 6 manual, 0 not applicable; score 41.1%\n',
    );
    const missing = runWarden(['report', '--scan', '9', '--db', db, '--framework', 'cis-aws-3.0']);
    assert.deepEqual([missing.code, missing.stderr], [2, `error: ${db}: no stored scan with id 9\n`]);
    const mixed = runWarden(['report', '--scan', '1', '--db', db, '--framework', 'cis-aws-3.0', CIS]);
    assert.deepEqual(
      [mixed.code, mixed.stderr],
      [2, 'error: --scan reads its resources from the store: name no paths, --snapshot or --aws\n'],
    );
  });

  it('report: a type the collection could not list makes its requirements error, never pass', () => {
    const file = join(tmp, 'gap.json');
    const totals = { calls: 1, attempts: 1, retries: 0, throttles: 0, errors: 1 };
    writeFileSync(
      file,
      JSON.stringify({
        kind: 'warden-inventory',
        version: 1,
        collectedAt: '2026-11-23T00:00:00Z',
        accounts: [
          { accountId: '111122223333', via: 'default', regions: [], skippedRegions: [], durationMs: 1 },
        ],
        resources: [],
        stats: {
          api: { operations: [], totals },
          failures: [
            {
              account: '111122223333',
              region: 'us-east-1',
              service: 's3',
              operation: 'ListBuckets',
              code: 'AccessDenied',
              message: 'denied',
              iamAction: 's3:ListAllMyBuckets',
              resourceType: 'aws.s3.bucket',
            },
          ],
          unreachable: [],
        },
      }),
    );
    const r = runWarden(['report', '--framework', 'cis-aws-3.0', '-f', 'json', '--snapshot', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /111122223333 us-east-1 s3:ListAllMyBuckets — aws\.s3\.bucket not inventoried/);
    const doc = JSON.parse(r.stdout) as { requirements: { id: string; status: string; reason: string }[] };
    assert.deepEqual(
      doc.requirements.filter((q) => q.id === '2.1.4').map((q) => [q.status, q.reason]),
      [['error', 'aws.s3.bucket could not be inventoried (see the collection summary)']],
    );
  });

  // drift checks its baseline first: this runs after the drift test created one.
  it('a broken --snapshot is one line with the file and JSON path, exit 2, for report, graph and drift', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'warden-inventory', version: 1, resources: [{ id: 1 }] }));
    for (const cmd of [
      ['report', '--framework', 'soc2'],
      ['graph'],
      ['drift', '--db', join(tmp, 'warden.db')],
    ]) {
      const r = runWarden([...cmd, '--snapshot', bad]);
      assert.equal(r.code, 2, cmd[0]);
      assert.match(
        r.stderr,
        /^error: \S*bad\.json: not a valid Warden inventory snapshot: resources\[0\]\.id: Invalid input: expected string, received number\n$/,
      );
      assert.equal(r.stdout, '');
    }
  });
});
