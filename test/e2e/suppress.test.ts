import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openStore } from '../../src/store/open.js';
import { runWarden } from '../support/cli.js';
import { forEachStore } from '../support/stores.js';

/**
 * `warden suppress` end to end on both stores, the clock pinned with WARDEN_NOW: a suppressed
 * finding is listed as exempt with its reason and passes the gate; once expired it fails again,
 * the finding reopens and one notification is queued.
 */
const tmp = mkdtempSync(join(tmpdir(), 'warden-suppress-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function template(dir: string): string {
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
      '      EnableKeyRotation: false',
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

type Row = { resource: { id: string }; status: string; reason?: string; fingerprint: string };

forEachStore('warden suppress', (target) => {
  it('suppressed results are exempt with the reason until they expire; then they reopen and notify', async () => {
    const db = await target.freshUrl();
    const file = template(join(tmp, target.kind));
    const at = (now: string) => ({ env: { WARDEN_NOW: now } });
    const scan = (now: string) => {
      const r = runWarden(
        ['scan', file, '--policy', 'aws-kms-key-rotation-disabled', '--db', db, '-f', 'json'],
        at(now),
      );
      const rows = (JSON.parse(r.stdout) as { results: Row[] }).results;
      return {
        code: r.code,
        rows: rows
          .map((x) => `${x.resource.id.split('#')[1]} ${x.status}${x.reason ? ` ${x.reason}` : ''}`)
          .sort(),
      };
    };
    assert.deepEqual(scan('2026-11-23T00:00:00Z'), {
      code: 1,
      rows: ['AppKey fail', 'OtherKey fail'],
    });

    const bad = runWarden(
      ['suppress', '--policy', 'aws-kms-key-rotation-disabled', '--db', db],
      at('2026-11-23T00:00:00Z'),
    );
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'error: --reason is required: say why the finding is accepted\n');
    const past = runWarden(
      ['suppress', '--tag', 'team=pay', '--reason', 'x', '--expires', '2026-01-01', '--db', db],
      at('2026-11-23T00:00:00Z'),
    );
    assert.equal(past.stderr, 'error: --expires 2026-01-01 is not in the future\n');

    const s1 = runWarden(
      [
        'suppress',
        '--policy',
        'aws-kms-key-rotation-disabled',
        '--resource',
        `${file}#OtherKey`,
        '--reason',
        'key retired next sprint',
        '--owner',
        'platform',
        '--expires',
        '2027-01-31',
        '--db',
        db,
      ],
      at('2026-11-23T00:00:00Z'),
    );
    assert.equal(s1.code, 0, s1.stderr);
    assert.equal(
      s1.stdout,
      `suppression 1: policy aws-kms-key-rotation-disabled, resource ${file}#OtherKey\n`,
    );
    const s2 = runWarden(
      ['suppress', '--tag', 'team=pay', '--reason', 'payments owns rotation', '--db', db],
      at('2026-11-23T00:00:00Z'),
    );
    assert.equal(s2.stdout, 'suppression 2: tag team=pay\n');

    assert.deepEqual(scan('2026-12-01T00:00:00Z'), {
      code: 0,
      rows: [
        'AppKey exempt suppressed #2: payments owns rotation',
        'OtherKey exempt suppressed #1 by platform until 2027-01-31: key retired next sprint',
      ],
    });
    // The compliance report counts the accepted risks as exempt too (and --no-store ignores them).
    const cis = (now: string, ...extra: string[]) => {
      const r = runWarden(
        ['report', file, '--framework', 'cis-aws-3.0', '-f', 'json', '--db', db, ...extra],
        at(now),
      );
      assert.equal(r.code, 0, r.stderr);
      const req = (
        JSON.parse(r.stdout).requirements as {
          id: string;
          status: string;
          counts: Record<string, number>;
          exempt: { resource: { id: string }; reason?: string }[];
        }[]
      ).find((x) => x.id === '3.6')!;
      return {
        status: req.status,
        counts: req.counts,
        exempt: req.exempt.map((e) => `${e.resource.id.split('#')[1]} ${e.reason}`).sort(),
      };
    };
    assert.deepEqual(cis('2026-12-01T00:00:00Z'), {
      status: 'pass',
      counts: { fail: 0, pass: 0, error: 0, unknown: 0, exempt: 2 },
      exempt: [
        'AppKey suppressed #2: payments owns rotation',
        'OtherKey suppressed #1 by platform until 2027-01-31: key retired next sprint',
      ],
    });
    assert.deepEqual(cis('2026-12-01T00:00:00Z', '--no-store'), {
      status: 'fail',
      counts: { fail: 2, pass: 0, error: 0, unknown: 0, exempt: 0 },
      exempt: [],
    });
    const findings = JSON.parse(
      runWarden(['findings', '--db', db, '-f', 'json'], at('2026-12-01T00:00:00Z')).stdout,
    ).findings as { resource: { id: string }; status: string; exempt?: string }[];
    assert.deepEqual(findings.map((f) => `${f.resource.id.split('#')[1]} ${f.status} ${f.exempt}`).sort(), [
      'AppKey resolved suppressed #2: payments owns rotation',
      'OtherKey resolved suppressed #1 by platform until 2027-01-31: key retired next sprint',
    ]);

    // Expired: the result fails again and the finding reopens; one notification, not one per run.
    assert.deepEqual(scan('2027-02-01T00:00:00Z'), {
      code: 1,
      rows: ['AppKey exempt suppressed #2: payments owns rotation', 'OtherKey fail'],
    });
    scan('2027-02-02T00:00:00Z');
    const list = JSON.parse(
      runWarden(['suppressions', 'list', '--db', db, '-f', 'json'], at('2027-02-02T00:00:00Z')).stdout,
    ).suppressions as { id: number; expiredAt?: string }[];
    assert.deepEqual(
      list.map((s) => [s.id, s.expiredAt ?? null]),
      [
        [1, '2027-02-01T00:00:00.000Z'],
        [2, null],
      ],
    );
    const store = await openStore(db);
    try {
      const outbox = await store.db
        .selectFrom('outbox')
        .select(['channel', 'dedup_key', 'payload'])
        .execute();
      assert.deepEqual(
        outbox.map((o) => [o.channel, o.dedup_key, JSON.parse(o.payload).suppression.reason]),
        [['suppressions', 'suppression:1:expired', 'key retired next sprint']],
      );
      const statuses = await store.db.selectFrom('findings').select(['resource_id', 'status']).execute();
      assert.deepEqual(statuses.map((f) => `${f.resource_id.split('#')[1]} ${f.status}`).sort(), [
        'AppKey resolved',
        'OtherKey reopened',
      ]);
    } finally {
      await store.close();
    }

    assert.equal(runWarden(['suppressions', 'remove', '2', '--db', db]).stdout, 'suppression 2 removed\n');
    assert.equal(runWarden(['suppressions', 'remove', '2', '--db', db]).stderr, 'error: no suppression 2\n');
    assert.deepEqual(scan('2027-02-03T00:00:00Z').rows, ['AppKey fail', 'OtherKey fail']);
  });
});
