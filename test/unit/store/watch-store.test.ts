import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fromGuardDutyEvents } from '../../../src/detectors/guardduty.js';
import { scanInventory } from '../../../src/engine/scan.js';
import { GuardDutyDedup } from '../../../src/events/guardduty-dedup.js';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import { parseNotifyConfig } from '../../../src/notify/config.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { queryFindings } from '../../../src/store/findings-query.js';
import { resourceHistory } from '../../../src/store/history.js';
import { KyselyOutbox } from '../../../src/store/kysely-outbox.js';
import type { Store } from '../../../src/store/open.js';
import { listScans, scanResources, scanResults, versionsOf } from '../../../src/store/scans.js';
import { addSuppression } from '../../../src/store/suppressions.js';
import { EVENT_SCOPE, loadDetectorState } from '../../../src/store/watch-scans.js';
import { WatchNotifier } from '../../../src/watch/notifications.js';
import { WatchRecorder } from '../../../src/watch/recorder.js';
import { LiveState } from '../../../src/watch/state.js';
import { WatchSuppressions } from '../../../src/watch/suppressions.js';
import type { MessageEffect } from '../../../src/watch/watcher.js';
import { resource } from '../../helpers/resources.js';
import { forEachStore } from '../../support/stores.js';

const POLICY = 'aws-kms-key-rotation-disabled';
const policies = loadPolicies({ builtIn: true, only: [POLICY] });
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const arn = (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;

function key(name: string, rotation: boolean): Resource {
  return resource(
    'aws.kms.key',
    {
      KeyId: name,
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyState: 'Enabled',
      KeyRotationEnabled: rotation,
    },
    { id: arn(name), name, account: ACCOUNT, region: REGION },
  );
}

const T0 = new Date('2026-11-23T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A watch session over a store: the initial snapshot, then one message per `event` call. */
async function session(store: Store, resources: Resource[]) {
  const inventory: Inventory = { resources, unsupported: {}, inputs: [`aws:${ACCOUNT}`] };
  const suppressions = new WatchSuppressions(store, () => T0);
  await suppressions.refresh();
  const versions = versionsOf(inventory.resources);
  const initial = suppressions.apply(scanInventory(inventory, policies, T0).results, inventory.resources);
  const state = new LiveState(inventory, policies, initial, suppressions.apply);
  const recorder = new WatchRecorder(store);
  const scanId = await recorder.snapshot(inventory, versions, initial, T0, T0);
  /** What a watcher hands to `emit` for a message that re-read `name` (absent from `fresh`: gone). */
  const effect = (name: string, fresh: Resource[], when: Date): MessageEffect => {
    const { policies: _n, ...applied } = state.apply(
      [
        {
          account: ACCOUNT,
          touched: [{ type: 'aws.kms.key', id: arn(name), region: REGION }],
          fresh: structuredClone(fresh),
        },
      ],
      when,
    );
    return { ...applied, guardDuty: [] };
  };
  return { state, recorder, scanId, effect, suppressions };
}

async function rows(store: Store, table: 'resource_changes' | 'results' | 'findings' | 'outbox') {
  const r = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const findingsOf = async (store: Store) =>
  (await queryFindings(store.db)).map((f) => [
    f.resource.name,
    f.status,
    f.firstSeen,
    f.lastSeen,
    f.resolvedAt,
  ]);

forEachStore('watch store', (target) => {
  it('writes each message: findings open, resolve and reopen; versions, results and counts follow', async () => {
    const store = await target.fresh();
    const w = await session(store, [key('k1', true), key('k2', false)]);
    const t0 = T0.toISOString();
    assert.deepEqual(await findingsOf(store), [['k2', 'open', t0, t0, null]]);

    // k1's rotation is turned off: a new finding, a new version of k1, the scan's counts move.
    const opened = w.effect('k1', [key('k1', false)], at(1));
    assert.deepEqual(
      opened.changes.map((c) => [c.change, c.result.resource.name]),
      [['new', 'k1']],
    );
    await w.recorder.write(opened, w.state, at(1));
    const t1 = at(1).toISOString();
    assert.deepEqual(await findingsOf(store), [
      ['k1', 'open', t1, t1, null],
      ['k2', 'open', t0, t0, null],
    ]);
    const [scan] = await listScans(store.db);
    assert.deepEqual(
      [scan!.id, scan!.status, scan!.startedAt, scan!.finishedAt, scan!.resourceCount, scan!.summary.fail],
      [w.scanId, 'watch', t0, t1, 2, 2],
    );
    assert.deepEqual(
      (await scanResources(store.db, w.scanId)).map((r) => [r.name, r.config.KeyRotationEnabled]),
      [
        ['k1', false],
        ['k2', false],
      ],
    );
    assert.deepEqual(
      (await scanResults(store.db, w.scanId)).map((r) => [r.resourceId.split('/')[1], r.status]),
      [
        ['k1', 'fail'],
        ['k2', 'fail'],
      ],
    );

    // The same message again (redelivered after a crash before the delete): nothing new.
    await w.recorder.write(opened, w.state, at(1));
    assert.deepEqual(
      [await rows(store, 'resource_changes'), await rows(store, 'results'), await rows(store, 'findings')],
      [1, 2, 2],
    );
    assert.deepEqual(await findingsOf(store), [
      ['k1', 'open', t1, t1, null],
      ['k2', 'open', t0, t0, null],
    ]);

    // Rotation back on: resolved. Off again: reopened, first sighting kept.
    await w.recorder.write(w.effect('k1', [key('k1', true)], at(2)), w.state, at(2));
    const t2 = at(2).toISOString();
    assert.deepEqual((await findingsOf(store))[0], ['k1', 'resolved', t1, t1, t2]);
    await w.recorder.write(w.effect('k1', [key('k1', false)], at(3)), w.state, at(3));
    const t3 = at(3).toISOString();
    assert.deepEqual(
      (await queryFindings(store.db)).map((f) => [
        f.resource.name,
        f.status,
        f.firstSeen,
        f.lastSeen,
        f.resolvedAt,
      ]),
      [
        ['k1', 'reopened', t1, t3, null],
        ['k2', 'open', t0, t0, null],
      ],
    );

    // k2 is deleted: its finding resolves and it leaves the scan's view.
    const gone = w.effect('k2', [], at(4));
    assert.deepEqual(
      gone.gone.map((r) => r.name),
      ['k2'],
    );
    await w.recorder.write(gone, w.state, at(4));
    assert.deepEqual((await findingsOf(store))[1], ['k2', 'resolved', t0, t0, at(4).toISOString()]);
    assert.deepEqual(
      (await scanResources(store.db, w.scanId)).map((r) => r.name),
      ['k1'],
    );
    assert.deepEqual(
      (await scanResults(store.db, w.scanId)).map((r) => [r.resourceId.split('/')[1], r.status]),
      [['k1', 'fail']],
    );

    // The timeline shows every version the watch saw, and the change log has one row per change.
    assert.deepEqual(
      (await resourceHistory(store.db, arn('k1'))).map((v) => [
        v.firstScan.at,
        v.resource.config.KeyRotationEnabled,
      ]),
      [
        [t0, true],
        [t1, false],
        [t2, true],
        [t3, false],
      ],
    );
    assert.deepEqual(
      (await resourceHistory(store.db, arn('k2'))).map((v) => [v.firstScan.at, v.lastScan.at]),
      [[t0, t0]],
    );
    assert.equal(await rows(store, 'resource_changes'), 4);
  });

  it('commits a message and its outbox rows together, or neither', async () => {
    const store = await target.fresh();
    const w = await session(store, [key('k1', true)]);
    const effect = w.effect('k1', [key('k1', false)], at(1));
    await assert.rejects(
      w.recorder.write(effect, w.state, at(1), async (outbox) => {
        await outbox.enqueue(
          [
            {
              channel: 'hook',
              dedupKey: 'k1|open|1',
              payload: { run: { id: 'r', kind: 'watch' }, finding: {} } as never,
            },
          ],
          at(1).getTime(),
        );
        throw new Error('the process died here');
      }),
      /the process died here/,
    );
    assert.deepEqual(
      [await rows(store, 'findings'), await rows(store, 'outbox'), await rows(store, 'resource_changes')],
      [0, 0, 0],
    );
    await w.recorder.write(effect, w.state, at(1), async (outbox) => {
      await outbox.enqueue(
        [
          {
            channel: 'hook',
            dedupKey: 'k1|open|1',
            payload: { run: { id: 'r', kind: 'watch' }, finding: {} } as never,
          },
        ],
        at(1).getTime(),
      );
    });
    assert.deepEqual(
      [await rows(store, 'findings'), await rows(store, 'outbox'), await rows(store, 'resource_changes')],
      [1, 1, 1],
    );
  });

  it('applies stored suppressions to what watch reports and stores', async () => {
    const store = await target.fresh();
    await addSuppression(store.db, {
      policy: POLICY,
      resource: 'k2',
      reason: 'legacy key, retired in Q1',
      createdAt: T0.toISOString(),
      createdBy: 'alice',
    });
    const w = await session(store, [key('k1', true), key('k2', false)]);
    assert.deepEqual(await findingsOf(store), []);
    const effect = w.effect('k2', [key('k2', false)], at(1));
    assert.deepEqual(effect.changes, []);
    assert.deepEqual(
      w.state.allResults().map((r) => [r.resource.name, r.status, r.reason ?? '']),
      [
        ['k1', 'pass', ''],
        ['k2', 'exempt', 'suppressed #1: legacy key, retired in Q1'],
      ],
    );
    // k1 fails and is not suppressed: it alone is stored.
    await w.recorder.write(w.effect('k1', [key('k1', false)], at(2)), w.state, at(2));
    assert.deepEqual(
      (await findingsOf(store)).map((f) => [f[0], f[1]]),
      [['k1', 'open']],
    );
  });

  it('stores GuardDuty findings in a scope of their own that a full rescan leaves alone, and remembers revisions', async () => {
    const store = await target.fresh();
    const w = await session(store, [key('k1', true)]);
    const event = {
      'detail-type': 'GuardDuty Finding',
      account: ACCOUNT,
      region: REGION,
      detail: {
        id: 'gd-1',
        accountId: ACCOUNT,
        region: REGION,
        type: 'UnauthorizedAccess:EC2/SSHBruteForce',
        severity: 5,
        updatedAt: '2026-11-23T09:00:00.000Z',
        resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0abc' } },
        service: { archived: false, count: 3 },
        title: 'SSH brute force against i-0abc',
      },
    };
    const dedup = new GuardDutyDedup();
    const diff = dedup.diff(fromGuardDutyEvents([event], 'm1').findings);
    const effect: MessageEffect = {
      changes: diff.changes,
      versions: [],
      gone: [],
      results: { upsert: [], removed: [] },
      guardDuty: diff.memory,
    };
    await w.recorder.write(effect, w.state, at(1));
    await w.recorder.write(effect, w.state, at(1));
    const [f] = await store.db.selectFrom('findings').selectAll().execute();
    assert.deepEqual(
      [f!.policy, f!.resource_id, f!.status, f!.scope],
      [
        'guardduty-unauthorizedaccess-ec2-sshbruteforce',
        `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0abc`,
        'open',
        EVENT_SCOPE,
      ],
    );
    assert.deepEqual(
      [...(await loadDetectorState(store.db, 'guardduty:'))],
      [['guardduty:gd-1', { revision: '[5,3,"2026-11-23T09:00:00.000Z"]', archived: false }]],
    );
    assert.deepEqual([...(await loadDetectorState(store.db, 'other:'))], []);

    // A `--full-every` rescan starts a new watch scan row; the GuardDuty finding stays open.
    const inventory: Inventory = {
      resources: [key('k1', true)],
      unsupported: {},
      inputs: [`aws:${ACCOUNT}`],
    };
    const rescanId = await w.recorder.snapshot(
      inventory,
      versionsOf(inventory.resources),
      scanInventory(inventory, policies, at(2)).results,
      at(2),
      at(2),
    );
    assert.equal(rescanId, w.scanId + 1);
    assert.deepEqual(
      (await queryFindings(store.db)).map((x) => [x.policy, x.status]),
      [['guardduty-unauthorizedaccess-ec2-sshbruteforce', 'open']],
    );
  });

  it('keeps notification episodes in the store: a restart does not announce open findings again', async () => {
    const store = await target.fresh();
    const config = parseNotifyConfig(
      'channels:\n  hook: { type: webhook, url: "http://127.0.0.1:9/hook", secret: "s3cret-for-tests-only" }\nroutes:\n  - channels: [hook]\n',
      'notify.yaml',
    );
    const outbox = new KyselyOutbox(store.db, store.dialect);
    const keys = async () => (await outbox.all()).map((i) => i.dedupKey.split('|').slice(1).join('|'));
    const startSession = async () => {
      const w = await session(store, [key('k1', true), key('k2', false)]);
      const notifier = new WatchNotifier(config, outbox, new Map(), 'watch-test', () => {});
      const opened = w.state
        .allResults()
        .filter((r) => r.status === 'fail')
        .map((result) => ({ change: 'new' as const, result }));
      await notifier.enqueue(
        opened,
        () => ({}),
        outbox,
        await w.recorder.episodes(opened.map((c) => c.result.fingerprint)),
      );
      return { ...w, notifier };
    };
    const t0 = T0.toISOString();
    await startSession();
    assert.deepEqual(await keys(), [`open|${t0}`]);
    const second = await startSession();
    assert.deepEqual(await keys(), [`open|${t0}`], 'the restart queued nothing new');

    // Resolve and re-fail k2 in the second session: each episode is announced once, in the message's transaction.
    for (const [rotation, minute] of [
      [true, 1],
      [false, 2],
    ] as const) {
      const effect = second.effect('k2', [key('k2', rotation)], at(minute));
      await second.recorder.write(effect, second.state, at(minute), (tx, episodes) =>
        second.notifier.enqueue(effect.changes, () => ({}), tx, episodes),
      );
    }
    assert.deepEqual(await keys(), [`open|${t0}`, `resolved|${t0}`, `open|${at(2).toISOString()}`]);
  });
});
