import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { auditBegin, auditEnd, auditEntries } from '../../../src/store/audit.js';
import { createBaseline, listBaselines, loadBaseline } from '../../../src/store/baselines.js';
import { enforcementState, pauseEnforcement, resumeEnforcement } from '../../../src/store/enforcement.js';
import { queryFindings } from '../../../src/store/findings-query.js';
import { resourceHistory } from '../../../src/store/history.js';
import { openStore, type Store } from '../../../src/store/open.js';
import { dueMessages, enqueue, markFailed, markSent } from '../../../src/store/outbox.js';
import { listScans, recordScan, scanResources, scanResults } from '../../../src/store/scans.js';
import { resource } from '../../helpers/resources.js';
import { forEachStore } from '../../support/stores.js';

const policies = loadPolicies({ builtIn: true, only: ['aws-kms-key-rotation-disabled'] });

function key(name: string, rotation: boolean, tags: Record<string, string> = {}): Resource {
  return resource(
    'aws.kms.key',
    {
      KeyId: name,
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyState: 'Enabled',
      KeyRotationEnabled: rotation,
    },
    {
      id: `arn:aws:kms:eu-west-1:111122223333:key/${name}`,
      name,
      account: '111122223333',
      region: 'eu-west-1',
      tags,
    },
  );
}

let clock = Date.parse('2026-01-01T00:00:00Z');
async function scan(store: Store, resources: Resource[], inputs = ['aws:111122223333']): Promise<number> {
  const inventory: Inventory = { resources: structuredClone(resources), unsupported: {}, inputs };
  const report = scanInventory(inventory, policies);
  clock += 60_000;
  const at = new Date(clock).toISOString();
  return recordScan(store.db, {
    inventory,
    results: report.results,
    summary: report.summary,
    startedAt: at,
    finishedAt: at,
  });
}

async function count(
  store: Store,
  table: 'resource_versions' | 'scan_resources' | 'results',
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

forEachStore('store', (target) => {
  it('creates the schema once and reopens an existing store', async () => {
    const url = await target.freshUrl();
    const a = await openStore(url);
    await scan(a, [key('k1', true)]);
    await a.close();
    const b = await openStore(url);
    assert.equal((await listScans(b.db)).length, 1);
    await b.close();
  });

  it('stores an unchanged resource once and a changed one as a new version', async () => {
    const store = await target.fresh();
    await scan(store, [key('k1', true), key('k2', true)]);
    await scan(store, [key('k1', true), key('k2', true)]);
    assert.equal(await count(store, 'resource_versions'), 2);
    assert.equal(await count(store, 'scan_resources'), 4);
    await scan(store, [key('k1', false), key('k2', true)]);
    assert.equal(await count(store, 'resource_versions'), 3);
    const scans = await listScans(store.db);
    assert.deepEqual(
      scans.map((s) => [s.id, s.resourceCount, s.summary.fail, s.summary.pass, s.status]),
      [
        [3, 2, 1, 1, 'complete'],
        [2, 2, 0, 2, 'complete'],
        [1, 2, 0, 2, 'complete'],
      ],
    );
    assert.deepEqual(scans[0]!.inputs, ['aws:111122223333']);
    const seen = await scanResources(store.db, 3);
    assert.deepEqual(
      seen.map((r) => [r.name, r.config.KeyRotationEnabled]),
      [
        ['k1', false],
        ['k2', true],
      ],
    );
  });

  it('moves a finding open → resolved → reopened and keeps its first sighting', async () => {
    const store = await target.fresh();
    const fp = (await (async () => {
      await scan(store, [key('k1', false)]);
      return (await queryFindings(store.db))[0]!;
    })())!;
    assert.equal(fp.status, 'open');
    const firstSeen = fp.firstSeen;
    await scan(store, [key('k1', false)]);
    let [f] = await queryFindings(store.db);
    assert.equal(f!.status, 'open');
    assert.equal(f!.firstSeen, firstSeen);
    assert.ok(f!.lastSeen > firstSeen);
    await scan(store, [key('k1', true)]);
    [f] = await queryFindings(store.db);
    assert.equal(f!.status, 'resolved');
    assert.equal(f!.resolvedAt, f!.resolvedAt && new Date(clock).toISOString());
    await scan(store, [key('k1', false)]);
    [f] = await queryFindings(store.db);
    assert.equal(f!.status, 'reopened');
    assert.equal(f!.firstSeen, firstSeen);
    assert.equal(f!.resolvedAt, null);
    assert.equal(f!.fingerprint, fp.fingerprint);
  });

  it('keeps the path of a graph finding in its results and shows it on the finding', async () => {
    const store = await target.fresh();
    const k1 = key('k1', false);
    const inventory: Inventory = { resources: [structuredClone(k1)], unsupported: {}, inputs: ['paths'] };
    const report = scanInventory(inventory, policies);
    const path = [
      k1.id,
      'arn:aws:iam::111122223333:role/admin',
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ];
    const withPath = report.results.map((r) => ({ ...r, path }));
    const at = new Date(clock).toISOString();
    const record = { inventory, summary: report.summary, startedAt: at, finishedAt: at };
    const id = await recordScan(store.db, { ...record, results: withPath });
    const stored = await scanResults(store.db, id);
    assert.deepEqual(
      stored.map((r) => [r.policy, r.resourceId, r.status, r.path]),
      [['aws-kms-key-rotation-disabled', k1.id, 'fail', path]],
    );
    assert.deepEqual(
      (await queryFindings(store.db)).map((f) => f.path),
      [path],
    );
    // A later sighting along another path replaces it; a single-resource result stores none.
    const other = [k1.id, 'arn:aws:iam::111122223333:role/ops'];
    await recordScan(store.db, { ...record, results: report.results.map((r) => ({ ...r, path: other })) });
    assert.deepEqual(
      (await queryFindings(store.db)).map((f) => f.path),
      [other],
    );
    const plain = await recordScan(store.db, { ...record, results: report.results });
    assert.deepEqual(
      (await scanResults(store.db, plain)).map((r) => r.path),
      [undefined],
    );
  });

  it('resolves a finding whose resource left the scanned scope, and leaves other scopes alone', async () => {
    const store = await target.fresh();
    await scan(store, [key('k1', false), key('k2', false)], ['plan-a.json']);
    await scan(store, [key('k3', false)], ['plan-b.json']);
    await scan(store, [key('k1', false)], ['plan-a.json']);
    const rows = (await queryFindings(store.db)).map((f) => `${f.resource.name} ${f.status}`);
    assert.deepEqual(rows, ['k1 open', 'k2 resolved', 'k3 open']);
  });

  it('keeps one finding for an IaC resource and its live twin when the identifier is known', async () => {
    const store = await target.fresh();
    const iac = {
      ...key('kid-1', false),
      id: 'state.json#aws_kms_key.app',
      account: '',
      source: { kind: 'terraform-state' as const },
    };
    const planned = {
      ...key('x', false),
      id: 'plan.json#aws_kms_key.new',
      account: '',
      config: { ...key('x', false).config, KeyId: undefined },
    };
    await scan(store, [iac, planned], ['state.json']);
    const first = (await queryFindings(store.db)).find((f) => f.resource.id === 'state.json#aws_kms_key.app');
    await scan(store, [key('kid-1', false)], ['aws:111122223333']);
    let rows = await queryFindings(store.db);
    assert.deepEqual(
      rows.map((f) => [f.resource.id, f.resource.account, f.status]),
      [
        ['arn:aws:kms:eu-west-1:111122223333:key/kid-1', '111122223333', 'open'],
        ['plan.json#aws_kms_key.new', '', 'open'],
      ],
    );
    assert.equal(rows[0]!.firstSeen, first!.firstSeen);
    assert.equal(rows[0]!.identity, first!.identity);
    await scan(store, [key('kid-1', true)], ['aws:111122223333']);
    rows = await queryFindings(store.db);
    assert.deepEqual(
      rows.map((f) => f.status),
      ['resolved', 'open'],
    );
  });

  it('filters findings by status, severity, policy, account, tag and first sighting', async () => {
    const store = await target.fresh();
    await scan(store, [key('k1', false, { team: 'pay' }), key('k2', false, { team: 'web' })]);
    const cut = new Date(clock + 1).toISOString();
    await scan(store, [key('k1', false, { team: 'pay' }), key('k2', true), key('k3', false)]);
    const names = (f: Awaited<ReturnType<typeof queryFindings>>) => f.map((x) => x.resource.name);
    assert.deepEqual(names(await queryFindings(store.db, { status: ['open'] })), ['k1', 'k3']);
    assert.deepEqual(names(await queryFindings(store.db, { status: ['resolved'] })), ['k2']);
    assert.deepEqual(names(await queryFindings(store.db, { tags: { team: 'pay' } })), ['k1']);
    assert.deepEqual(names(await queryFindings(store.db, { since: cut })), ['k3']);
    assert.deepEqual(names(await queryFindings(store.db, { severity: ['high'] })), []);
    assert.deepEqual(
      names(await queryFindings(store.db, { severity: ['medium'], account: ['111122223333'] })),
      ['k1', 'k2', 'k3'],
    );
    assert.deepEqual(names(await queryFindings(store.db, { account: ['999999999999'] })), []);
    assert.deepEqual(
      names(await queryFindings(store.db, { policy: ['aws-kms-key-rotation-disabled'], status: ['open'] })),
      ['k1', 'k3'],
    );
  });

  it('lists the versions of a resource as a timeline', async () => {
    const store = await target.fresh();
    await scan(store, [key('k1', true)]);
    await scan(store, [key('k1', true)]);
    await scan(store, [key('k1', false)]);
    await scan(store, [key('k1', true)]);
    const history = await resourceHistory(store.db, 'arn:aws:kms:eu-west-1:111122223333:key/k1');
    assert.deepEqual(
      history.map((v) => [v.firstScan.id, v.lastScan.id, v.scans, v.resource.config.KeyRotationEnabled]),
      [
        [1, 2, 2, true],
        [3, 3, 1, false],
        [4, 4, 1, true],
      ],
    );
    assert.equal(history[0]!.hash, history[2]!.hash);
    assert.deepEqual(await resourceHistory(store.db, 'nope'), []);
  });

  it('versions baselines by name and keeps every version', async () => {
    const store = await target.fresh();
    const b1 = await createBaseline(store.db, {
      name: 'prod',
      resources: [key('k1', true)],
      createdBy: 'ci',
    });
    const b2 = await createBaseline(store.db, {
      name: 'prod',
      resources: [key('k1', false), key('k2', true)],
      createdBy: 'ci',
    });
    await createBaseline(store.db, { name: 'dev', resources: [], createdBy: 'me', fromScanId: 7 });
    assert.deepEqual([b1.version, b2.version], [1, 2]);
    assert.deepEqual(
      (await listBaselines(store.db)).map((b) => `${b.name}@${b.version} ${b.resourceCount} ${b.fromScanId}`),
      ['dev@1 0 7', 'prod@1 1 null', 'prod@2 2 null'],
    );
    const latest = await loadBaseline(store.db, 'prod');
    assert.deepEqual(
      latest!.resources.map((r) => [r.name, r.config.KeyRotationEnabled]),
      [
        ['k1', false],
        ['k2', true],
      ],
    );
    const first = await loadBaseline(store.db, 'prod', 1);
    assert.deepEqual(
      first!.resources.map((r) => r.config.KeyRotationEnabled),
      [true],
    );
    assert.equal(await loadBaseline(store.db, 'missing'), undefined);
  });

  it('pauses and resumes enforcement; a pause with a past end is over', async () => {
    const store = await target.fresh();
    assert.equal((await enforcementState(store.db)).paused, false);
    await pauseEnforcement(store.db, { reason: 'deploy 123', until: '2026-06-01T10:30:00.000Z', by: 'ana' });
    const during = await enforcementState(store.db, new Date('2026-06-01T10:00:00Z'));
    assert.deepEqual(
      [during.paused, during.reason, during.until, during.by],
      [true, 'deploy 123', '2026-06-01T10:30:00.000Z', 'ana'],
    );
    assert.equal((await enforcementState(store.db, new Date('2026-06-01T10:31:00Z'))).paused, false);
    await resumeEnforcement(store.db, 'ana');
    const after = await enforcementState(store.db, new Date('2026-06-01T10:00:00Z'));
    assert.deepEqual([after.paused, after.reason], [false, null]);
  });

  it('queues outbox messages once per dedup key and records failed attempts', async () => {
    const store = await target.fresh();
    assert.equal(await enqueue(store.db, { channel: 'slack', dedupKey: 'drift-1', payload: { n: 1 } }), true);
    assert.equal(
      await enqueue(store.db, { channel: 'slack', dedupKey: 'drift-1', payload: { n: 2 } }),
      false,
    );
    assert.equal(await enqueue(store.db, { channel: 'email', dedupKey: 'drift-1', payload: { n: 3 } }), true);
    const due = await dueMessages(store.db, new Date(Date.now() + 1000));
    assert.deepEqual(
      due.map((m) => [m.channel, m.payload, m.attempts]),
      [
        ['slack', { n: 1 }, 0],
        ['email', { n: 3 }, 0],
      ],
    );
    await markFailed(store.db, due[0]!.id, 'HTTP 500', '2999-01-01T00:00:00.000Z');
    await markSent(store.db, due[1]!.id);
    assert.deepEqual(await dueMessages(store.db, new Date(Date.now() + 1000)), []);
    const later = await dueMessages(store.db, new Date('2999-01-02T00:00:00Z'));
    assert.deepEqual(
      later.map((m) => [m.channel, m.attempts, m.lastError]),
      [['slack', 1, 'HTTP 500']],
    );
  });

  it('writes audit entries before and completes them after', async () => {
    const store = await target.fresh();
    const id = await auditBegin(store.db, {
      who: 'ana',
      action: 'drift-revert',
      resource: 'sg-1',
      calls: [{ command: 'RevokeSecurityGroupIngress' }],
    });
    assert.equal((await auditEntries(store.db))[0]!.result, 'pending');
    await auditEnd(store.db, id, 'ok');
    const [entry] = await auditEntries(store.db);
    assert.deepEqual(
      [entry!.who, entry!.action, entry!.resource, entry!.calls, entry!.result],
      ['ana', 'drift-revert', 'sg-1', [{ command: 'RevokeSecurityGroupIngress' }], 'ok'],
    );
  });
});
