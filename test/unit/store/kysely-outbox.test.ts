import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type Channel, dedupKey, type Message, OutboxWorker } from '../../../src/notify/index.js';
import { KyselyOutbox } from '../../../src/store/kysely-outbox.js';
import { openStore } from '../../../src/store/open.js';
import { forEachStore } from '../../support/stores.js';
import { finding, RUN } from '../notify/support.js';

forEachStore('kysely outbox', (target) => {
  it('deduplicates per channel and key, and survives reopening the store', async () => {
    const url = await target.freshUrl();
    const store = await openStore(url);
    const outbox = new KyselyOutbox(store.db, store.dialect);
    const f = finding({ episode: '2026-11-23T13:00:00Z' });
    const item = (channel: string) => ({ channel, dedupKey: dedupKey(f), payload: { run: RUN, finding: f } });
    assert.deepEqual(await outbox.enqueue([item('a'), item('b')], 1_000), { enqueued: 2, duplicates: 0 });
    assert.deepEqual(await outbox.enqueue([item('a')], 2_000), { enqueued: 0, duplicates: 1 });
    await store.close();
    const again = await openStore(url);
    try {
      const reopened = new KyselyOutbox(again.db, again.dialect);
      const due = await reopened.claimDue(5_000, 10, 60_000);
      assert.deepEqual(
        due.map((d) => [d.channel, d.attempts, d.nextAttemptAt, d.payload.finding.fingerprint]),
        [
          ['a', 0, 65_000, f.fingerprint],
          ['b', 0, 65_000, f.fingerprint],
        ],
      );
      // Leased: not due again before the lease ends, due after it.
      assert.equal((await reopened.claimDue(6_000, 10, 60_000)).length, 0);
      assert.equal((await reopened.claimDue(65_000, 10, 60_000)).length, 2);
    } finally {
      await again.close();
    }
  });

  it('records failures, dead items and sends through the worker', async () => {
    const store = await target.fresh();
    const outbox = new KyselyOutbox(store.db, store.dialect);
    const f = finding({});
    await outbox.enqueue([{ channel: 'hook', dedupKey: dedupKey(f), payload: { run: RUN, finding: f } }], 0);
    const [claimed] = await outbox.claimDue(0, 10, 1_000);
    await outbox.markFailed([claimed!.id], 'HTTP 503', 10_000);
    assert.equal((await outbox.claimDue(9_999, 10, 1_000)).length, 0);
    const sent: Message[] = [];
    const channel: Channel = {
      name: 'hook',
      type: 'test',
      aggregates: true,
      async send(m) {
        sent.push(m);
      },
    };
    let now = 10_000;
    const worker = new OutboxWorker({
      store: outbox,
      channels: new Map([['hook', channel]]),
      now: () => now,
    });
    const round = await worker.runOnce();
    assert.equal(round.sent, 1);
    assert.equal(sent[0]!.findings[0]!.fingerprint, f.fingerprint);
    now = 20_000;
    assert.equal((await worker.runOnce()).sent, 0);
    const [row] = await outbox.all();
    assert.deepEqual(
      [row!.attempts, row!.lastError, row!.sentAt, row!.nextAttemptAt],
      [1, 'HTTP 503', 10_000, null],
    );

    const g = finding({ fingerprint: 'other' });
    await outbox.enqueue([{ channel: 'hook', dedupKey: dedupKey(g), payload: { run: RUN, finding: g } }], 0);
    const [second] = await outbox.claimDue(30_000, 10, 1_000);
    await outbox.markFailed([second!.id], 'HTTP 400', null);
    assert.equal((await outbox.claimDue(Date.parse('9000-01-01'), 10, 1_000)).length, 0);
    assert.deepEqual(
      (await outbox.all()).map((i) => [i.attempts, i.nextAttemptAt, i.sentAt]),
      [
        [1, null, 10_000],
        [1, null, null],
      ],
    );
  });
});
