import { appendFileSync } from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { scanInventory } from '../engine/scan.js';
import { EventIntake } from '../events/index.js';
import type { NotifyConfig } from '../notify/config.js';
import { MemoryOutbox, type OutboxStore } from '../notify/outbox.js';
import type { PolicySet } from '../policy/load.js';
import type { AwsCollection } from '../sources/aws/collect.js';
import { refreshAws } from '../sources/aws/refresh.js';
import type { Store } from '../store/open.js';
import { versionsOf } from '../store/scans.js';
import { isFinding } from './diff.js';
import { pollLoop } from './loop.js';
import { WatchNotifier } from './notifications.js';
import { ChangeWriter, type WatchFormat } from './output.js';
import { WatchRecorder } from './recorder.js';
import { EventQueue } from './sqs-queue.js';
import { LiveState } from './state.js';
import { WatchSuppressions } from './suppressions.js';
import { Watcher } from './watcher.js';

export interface WatchRun {
  queueUrl: string;
  queueRegion: string;
  endpoint?: string;
  regions?: string[];
  deadLetterUrl?: string;
  maxReceives: number;
  visibilityTimeout: number;
  waitSeconds: number;
  maxMessages?: number;
  fullEveryMs?: number;
  format: WatchFormat;
  policies: PolicySet;
  /** A full live collection (initial scan and `--full-every`). */
  collect: () => Promise<AwsCollection>;
  /** What refresh needs: the collectors, demand and access options of the full collection. */
  refreshOptions: Omit<Parameters<typeof refreshAws>[0], 'resolved'>;
  resolve: () => Promise<Parameters<typeof refreshAws>[0]['resolved']>;
  notify?: NotifyConfig;
  /**
   * Open store, or none (`--no-store`): the watch scan row kept current per message, suppressions,
   * GuardDuty memory and the persistent outbox.
   */
  store?: Store;
  /** Per-message metrics as JSON lines (benchmarks). */
  metricsFile?: string;
  write: (text: string) => Promise<void>;
  log: (line: string) => void;
  signal: AbortSignal;
}

/**
 * `warden watch` end to end: the initial full scan, then queue messages until stopped. Returns the
 * number of messages handled.
 */
export async function runWatch(o: WatchRun): Promise<number> {
  const startedAt = new Date();
  const first = await o.collect();
  if (first.accounts.length === 0) {
    const why = first.unreachable[0];
    throw new Error(`no AWS account could be read${why ? `: ${why.via}: ${why.code}: ${why.message}` : ''}`);
  }
  for (const f of first.failures)
    o.log(`warden: ${f.account}/${f.region}: ${f.service}:${f.operation} ${f.code}: ${f.message}`);
  const suppressions = new WatchSuppressions(o.store);
  await suppressions.refresh();
  const recorder = o.store ? new WatchRecorder(o.store) : undefined;
  // Hashed before the scan's link stage enriches the resources in place (src/store/scans.ts).
  const firstVersions = versionsOf(first.inventory.resources);
  const report = scanInventory(first.inventory, o.policies);
  const initial = suppressions.apply(report.results, first.inventory.resources);
  const state = new LiveState(first.inventory, o.policies, initial, suppressions.apply);
  const writer = new ChangeWriter(o.format, o.write);
  await writer.add(initial.filter(isFinding).map((result) => ({ change: 'new' as const, result })));
  await recorder?.snapshot(first.inventory, firstVersions, initial, startedAt);

  const outbox: OutboxStore | undefined = o.notify
    ? o.store
      ? new (await import('../store/kysely-outbox.js')).KyselyOutbox(o.store.db, o.store.dialect)
      : new MemoryOutbox()
    : undefined;
  const notifier =
    o.notify && outbox
      ? new WatchNotifier(
          o.notify,
          outbox,
          new Map(o.policies.definitions.map((p) => [p.id, p])),
          `watch-${startedAt.toISOString()}`,
          o.log,
        )
      : undefined;
  notifier?.start();
  const tagsOf = (id: string) => state.currentInventory().resources.find((r) => r.id === id)?.tags ?? {};
  const opened = initial.filter(isFinding).map((result) => ({ change: 'new' as const, result }));
  await notifier?.enqueue(
    opened,
    tagsOf,
    undefined,
    recorder && notifier ? await recorder.episodes(opened.map((c) => c.result.fingerprint)) : undefined,
  );

  const s3 = new S3Client({
    region: o.queueRegion,
    ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
  });
  const intake = new EventIntake(async (bucket, key) => {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new Error('empty body');
      return await out.Body.transformToByteArray();
    } catch (err) {
      const e = err as Error;
      throw new Error(
        `cannot read trail file s3://${bucket}/${key}: ${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`,
      );
    }
  });
  if (recorder) intake.guardDuty.load(await recorder.guardDutyMemory());
  const queue = new EventQueue({
    url: o.queueUrl,
    region: o.queueRegion,
    visibilityTimeout: o.visibilityTimeout,
    waitSeconds: o.waitSeconds,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
  });
  let resolved = await o.resolve();
  o.log(
    `warden: watching ${o.queueUrl}: ${state.size} resources, ${initial.filter(isFinding).length} findings${recorder ? ` (store scan ${recorder.currentScan})` : ''}`,
  );
  const watcher = new Watcher({
    intake,
    state,
    reread: (event, previous) =>
      refreshAws({ ...o.refreshOptions, resolved }, event.account, event.touched, previous),
    maxReceives: o.maxReceives,
    ...(o.deadLetterUrl ? { deadLetter: (m) => queue.moveAside(m, o.deadLetterUrl!) } : {}),
    remove: (m) => queue.delete(m),
    emit: async (effect) => {
      await writer.add(effect.changes);
      if (recorder)
        await recorder.write(effect, state, new Date(), (outbox, episodes) =>
          notifier ? notifier.enqueue(effect.changes, tagsOf, outbox, episodes) : Promise.resolve(),
        );
      else await notifier?.enqueue(effect.changes, tagsOf);
    },
    log: o.log,
  });
  let lastFull = Date.now();
  const between = async () => {
    // A store that cannot be read keeps the suppressions already known; the next batch tries again.
    await suppressions
      .refresh()
      .catch((err: Error) => o.log(`warden: cannot reload suppressions: ${err.message}`));
    if (!o.fullEveryMs || Date.now() - lastFull < o.fullEveryMs) return;
    lastFull = Date.now();
    const full = await o.collect();
    if (full.accounts.length === 0) {
      o.log('warden: periodic full scan reached no account; keeping the current state');
      return;
    }
    resolved = await o.resolve();
    const versions = versionsOf(full.inventory.resources);
    const rescan = suppressions.apply(
      scanInventory(full.inventory, o.policies).results,
      full.inventory.resources,
    );
    const changes = state.replaceAll(full.inventory, rescan);
    await writer.add(changes);
    // A new watch scan row: the rescan is a snapshot, and its finding lifecycle resolves what left the scope.
    await recorder?.snapshot(full.inventory, versions, rescan, new Date(lastFull));
    await notifier?.enqueue(
      changes,
      tagsOf,
      undefined,
      recorder && notifier ? await recorder.episodes(changes.map((c) => c.result.fingerprint)) : undefined,
    );
  };
  let handled = 0;
  try {
    handled = await pollLoop(queue, watcher, {
      signal: o.signal,
      log: o.log,
      between,
      ...(o.maxMessages !== undefined ? { maxMessages: o.maxMessages } : {}),
      onReport: (r) => {
        if (!o.metricsFile) return;
        appendFileSync(
          o.metricsFile,
          `${JSON.stringify({ id: r.id, outcome: r.outcome, events: r.events, duplicates: r.duplicates, calls: r.calls, changes: r.changes.length, at: Date.now() })}\n`,
        );
      },
    });
  } finally {
    queue.destroy();
    s3.destroy();
    await notifier?.close();
    await writer.close();
  }
  const st = intake.stats;
  const unknown = Object.entries(st.unknown)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, n]) => `${k} (${n})`)
    .join(', ');
  o.log(
    `warden: watch stopped after ${handled} messages: ${st.changes} changes, ${intake.duplicates} duplicates, ${st.malformed} malformed, ${st.ignored['unknown-event']} unmapped${unknown ? ` [${unknown}]` : ''}`,
  );
  return handled;
}
