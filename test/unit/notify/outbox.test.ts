import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffMs,
  type Channel,
  DeliveryError,
  dedupKey,
  enqueueRun,
  MemoryOutbox,
  type Message,
  OutboxWorker,
  parseNotifyConfig,
  verifyWebhook,
  webhookChannel,
} from '../../../src/notify/index.js';
import { finding, RUN, startReceiver } from './support.js';

const ROUTE_ALL = parseNotifyConfig(
  'channels:\n  hook: { type: webhook, url: "http://127.0.0.1:1/x", secret: "0123456789abcdef" }\nroutes:\n  - channels: [hook]\n',
  'n.yaml',
);

/** A channel that records messages and fails on demand (for the worker's own logic). */
function recorder(name: string, aggregates: boolean) {
  const sent: { message: Message; id: string }[] = [];
  let failWith: DeliveryError | undefined;
  const channel: Channel = {
    name,
    type: 'test',
    aggregates,
    async send(message, id) {
      if (failWith) throw failWith;
      sent.push({ message, id });
    },
  };
  return { channel, sent, fail: (e: DeliveryError | undefined) => (failWith = e) };
}

describe('outbox store (in memory)', () => {
  it('deduplicates per fingerprint+channel, and announces a re-opened episode again', async () => {
    const store = new MemoryOutbox();
    const f = finding({ episode: '2026-11-23T13:00:00Z' });
    const first = await store.enqueue(
      [
        { channel: 'a', dedupKey: dedupKey(f), payload: { run: RUN, finding: f } },
        { channel: 'b', dedupKey: dedupKey(f), payload: { run: RUN, finding: f } },
      ],
      0,
    );
    assert.deepEqual(first, { enqueued: 2, duplicates: 0 });
    const again = await store.enqueue(
      [{ channel: 'a', dedupKey: dedupKey(f), payload: { run: RUN, finding: f } }],
      1,
    );
    assert.deepEqual(again, { enqueued: 0, duplicates: 1 });
    const resolved = finding({ episode: '2026-11-23T13:00:00Z', state: 'resolved' });
    const reopened = finding({ episode: '2026-11-24T09:00:00Z' });
    const later = await store.enqueue(
      [
        { channel: 'a', dedupKey: dedupKey(resolved), payload: { run: RUN, finding: resolved } },
        { channel: 'a', dedupKey: dedupKey(reopened), payload: { run: RUN, finding: reopened } },
      ],
      2,
    );
    assert.deepEqual(later, { enqueued: 2, duplicates: 0 });
    assert.equal(dedupKey(f), 'a1b2c3d4e5f60718293a4b5c6d7e8f90|open|2026-11-23T13:00:00Z');
  });

  it('claims leave items invisible for the lease, then hand them out again', async () => {
    const store = new MemoryOutbox();
    await store.enqueue([{ channel: 'a', dedupKey: 'k', payload: { run: RUN, finding: finding() } }], 1000);
    assert.equal((await store.claimDue(1000, 10, 5000)).length, 1);
    assert.equal((await store.claimDue(2000, 10, 5000)).length, 0);
    assert.equal((await store.claimDue(6000, 10, 5000)).length, 1, 'a crashed worker’s claim comes back');
  });
});

describe('outbox worker', () => {
  it('computes exponential backoff with equal jitter', () => {
    const retry = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 };
    assert.deepEqual(
      [1, 2, 3, 4, 7, 30].map((a) => backoffMs(a, retry, () => 0)),
      [500, 1000, 2000, 4000, 30_000, 30_000],
    );
    assert.deepEqual(
      [1, 2, 3].map((a) => backoffMs(a, retry, () => 0.999999)),
      [1000, 2000, 4000],
    );
  });

  it('aggregates a run into one message on aggregating channels and sends per finding on the others', async () => {
    const store = new MemoryOutbox();
    const chat = recorder('chat', true);
    const pager = recorder('pager', false);
    const config = parseNotifyConfig(
      [
        'channels:',
        '  chat: { type: slack, url: "http://127.0.0.1:1/x" }',
        '  pager: { type: pagerduty, routingKey: k }',
        'routes:',
        '  - channels: [chat]',
        '  - match: { minSeverity: critical }',
        '    channels: [pager]',
      ].join('\n'),
      'n.yaml',
    );
    const findings = [
      finding({ fingerprint: 'f1' }),
      finding({ fingerprint: 'f2', severity: 'critical' }),
      finding({ fingerprint: 'f3', severity: 'critical' }),
    ];
    assert.deepEqual(await enqueueRun(store, config, RUN, findings, 0), {
      enqueued: 5,
      duplicates: 0,
      unrouted: 0,
    });
    const worker = new OutboxWorker({
      store,
      channels: new Map([chat, pager].map((c) => [c.channel.name, c.channel])),
      now: () => 0,
    });
    assert.deepEqual(await worker.runOnce(), { sent: 5, failed: 0, dead: 0, rateLimited: 0 });
    assert.deepEqual(
      chat.sent.map((s) => s.message.findings.map((f) => f.fingerprint)),
      [['f1', 'f2', 'f3']],
    );
    assert.deepEqual(
      pager.sent.map((s) => s.message.findings.map((f) => f.fingerprint)),
      [['f2'], ['f3']],
    );
    assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, dead: 0, rateLimited: 0 });
  });

  it('retries with backoff, honours Retry-After, gives up after maxAttempts and on permanent errors', async () => {
    let now = 0;
    const store = new MemoryOutbox();
    const ch = recorder('hook', true);
    const worker = new OutboxWorker({
      store,
      channels: new Map([['hook', ch.channel]]),
      now: () => now,
      random: () => 0,
      retry: { baseMs: 1000, maxMs: 10_000, maxAttempts: 3 },
    });
    await enqueueRun(store, ROUTE_ALL, RUN, [finding()], 0);
    ch.fail(new DeliveryError('hook: HTTP 503', true));
    assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 1, dead: 0, rateLimited: 0 });
    assert.deepEqual(
      store.all().map((i) => [i.attempts, i.nextAttemptAt, i.lastError]),
      [[1, 500, 'hook: HTTP 503']],
    );
    now = 499;
    assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, dead: 0, rateLimited: 0 }, 'not due yet');
    now = 500;
    ch.fail(new DeliveryError('hook: HTTP 429', true, 7000));
    await worker.runOnce();
    assert.equal(store.all()[0]!.nextAttemptAt, 7500);
    now = 7500;
    ch.fail(new DeliveryError('hook: HTTP 503', true));
    assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, dead: 1, rateLimited: 0 });
    assert.deepEqual(
      store.all().map((i) => [i.attempts, i.nextAttemptAt, i.sentAt]),
      [[3, null, null]],
    );

    const store2 = new MemoryOutbox();
    const w2 = new OutboxWorker({ store: store2, channels: new Map([['hook', ch.channel]]), now: () => now });
    await enqueueRun(store2, ROUTE_ALL, RUN, [finding()], now);
    ch.fail(new DeliveryError('hook: HTTP 401', false));
    assert.deepEqual(await w2.runOnce(), { sent: 0, failed: 0, dead: 1, rateLimited: 0 });
    assert.deepEqual(
      store2.all().map((i) => [i.attempts, i.nextAttemptAt, i.lastError]),
      [[1, null, 'hook: HTTP 401']],
    );
  });

  it('rate-limits per channel without spending attempts', async () => {
    let now = 0;
    const store = new MemoryOutbox();
    const ch = recorder('hook', true);
    const worker = new OutboxWorker({
      store,
      channels: new Map([['hook', ch.channel]]),
      now: () => now,
      ratePerMinute: { hook: 2 },
    });
    for (let i = 0; i < 5; i++)
      await enqueueRun(
        store,
        ROUTE_ALL,
        { id: `run-${i}`, kind: 'watch' },
        [finding({ fingerprint: `f${i}` })],
        0,
      );
    assert.deepEqual(await worker.runOnce(), { sent: 2, failed: 0, dead: 0, rateLimited: 3 });
    assert.deepEqual(
      store
        .all()
        .filter((i) => i.sentAt === null)
        .map((i) => [i.attempts, i.nextAttemptAt]),
      [
        [0, 30_000],
        [0, 30_000],
        [0, 30_000],
      ],
    );
    now = 30_000;
    assert.deepEqual(await worker.runOnce(), { sent: 1, failed: 0, dead: 0, rateLimited: 2 });
    now = 90_000;
    assert.deepEqual(await worker.runOnce(), { sent: 2, failed: 0, dead: 0, rateLimited: 0 });
    assert.deepEqual(
      ch.sent.map((s) => s.message.run.id),
      ['run-0', 'run-1', 'run-2', 'run-3', 'run-4'],
    );
  });

  it('receiver outage: nothing is lost and nothing is sent twice (real HTTP receiver, HMAC checked)', async () => {
    const secret = 'outage-test-secret-0001';
    // Find a free port, then keep the receiver down while the first attempts run.
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    const config = parseNotifyConfig(
      `channels:\n  hook: { type: webhook, url: "http://127.0.0.1:${port}/in", secret: "${secret}" }\nroutes:\n  - channels: [hook]\n`,
      'n.yaml',
    );
    let now = Date.parse('2026-11-23T13:00:00Z');
    const store = new MemoryOutbox();
    const hook = webhookChannel({ name: 'hook', url: `http://127.0.0.1:${port}/in`, secret }, () => now);
    const worker = new OutboxWorker({
      store,
      channels: new Map([['hook', hook]]),
      now: () => now,
      random: () => 0.5,
      retry: { baseMs: 1000, maxMs: 60_000, maxAttempts: 20 },
    });
    const run = { id: 'drift-7', kind: 'drift' as const };
    const findings = ['f1', 'f2', 'f3'].map((fp) => finding({ fingerprint: fp }));
    await enqueueRun(store, config, run, findings, now);

    for (let round = 0; round < 3; round++) {
      const r = await worker.runOnce();
      assert.deepEqual(r, { sent: 0, failed: 3, dead: 0, rateLimited: 0 });
      now = Math.max(...store.all().map((i) => i.nextAttemptAt!));
    }
    assert.deepEqual(
      store.all().map((i) => [i.attempts, i.lastError]),
      [
        [3, 'hook: receiver unreachable (ECONNREFUSED)'],
        [3, 'hook: receiver unreachable (ECONNREFUSED)'],
        [3, 'hook: receiver unreachable (ECONNREFUSED)'],
      ],
    );
    // The same findings reported again during the outage are not queued twice.
    assert.deepEqual(await enqueueRun(store, config, run, findings, now), {
      enqueued: 0,
      duplicates: 3,
      unrouted: 0,
    });

    const rx = await startReceiver(port);
    try {
      const verified: boolean[] = [];
      rx.respond((req) => {
        verified.push(
          verifyWebhook(
            secret,
            {
              timestamp: req.headers['x-warden-timestamp'] as string,
              signature: req.headers['x-warden-signature'] as string,
            },
            req.body,
            Math.floor(now / 1000),
          ),
        );
        return { status: 204 };
      });
      assert.deepEqual(await worker.runOnce(), { sent: 3, failed: 0, dead: 0, rateLimited: 0 });
      for (let i = 0; i < 3; i++) {
        now += 3_600_000;
        assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, dead: 0, rateLimited: 0 });
      }
      await enqueueRun(store, config, run, findings, now);
      assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, dead: 0, rateLimited: 0 });
      assert.equal(rx.requests.length, 1, 'one aggregated delivery, never repeated');
      assert.deepEqual(verified, [true]);
      const body = JSON.parse(rx.requests[0]!.body) as { run: unknown; findings: { fingerprint: string }[] };
      assert.deepEqual(body.run, run);
      assert.deepEqual(
        body.findings.map((f) => f.fingerprint),
        ['f1', 'f2', 'f3'],
      );
      assert.equal(rx.requests[0]!.headers['x-warden-delivery'], store.all()[0]!.id);
      assert.ok(store.all().every((i) => i.sentAt !== null && i.attempts === 3));
    } finally {
      await rx.close();
    }
  });

  it('runs in the background until aborted, delivering what is enqueued meanwhile', async () => {
    const rx = await startReceiver();
    try {
      const store = new MemoryOutbox();
      const hook = webhookChannel({ name: 'hook', url: `${rx.url}/in`, secret: 'background-secret-01' });
      const worker = new OutboxWorker({ store, channels: new Map([['hook', hook]]) });
      const stop = new AbortController();
      const loop = worker.runUntil(stop.signal, 20);
      await enqueueRun(store, ROUTE_ALL, RUN, [finding()], Date.now());
      // Bounded wait for the delivery (no timing assertion: only that it happens).
      for (let i = 0; i < 500 && rx.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      stop.abort();
      await loop;
      assert.equal(rx.requests.length, 1);
      assert.ok(store.all().every((i) => i.sentAt !== null));
    } finally {
      await rx.close();
    }
  });
});
