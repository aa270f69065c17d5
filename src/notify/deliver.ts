import type { MemoryOutbox } from './outbox.js';
import type { OutboxWorker } from './worker.js';

export interface DeliverySummary {
  sent: number;
  dead: { channel: string; error: string; count: number }[];
  /** Still due when the time ran out. */
  pending: { channel: string; error: string; count: number }[];
}

function group(items: ReturnType<MemoryOutbox['all']>): DeliverySummary['dead'] {
  const out = new Map<string, { channel: string; error: string; count: number }>();
  for (const i of items) {
    const k = `${i.channel}\n${i.lastError ?? ''}`;
    const g = out.get(k) ?? { channel: i.channel, error: i.lastError ?? 'not attempted', count: 0 };
    g.count++;
    out.set(k, g);
  }
  return [...out.values()];
}

/**
 * Runs the worker until everything in an in-memory outbox is delivered or dead, or `budgetMs` has
 * passed (one-shot commands: without a persistent store, what is still pending at the end is
 * reported, not silently dropped).
 */
export async function deliverNow(
  worker: OutboxWorker,
  store: MemoryOutbox,
  budgetMs: number,
  now: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<DeliverySummary> {
  const deadline = now() + budgetMs;
  // Bounded: each round either finishes items or waits for the next due time, within the budget.
  for (let round = 0; round < 1000; round++) {
    await worker.runOnce();
    const open = store.all().filter((i) => i.sentAt === null && i.nextAttemptAt !== null);
    if (open.length === 0) break;
    const next = Math.min(...open.map((i) => i.nextAttemptAt!));
    if (next > deadline) break;
    await sleep(Math.max(0, next - now()));
  }
  const all = store.all();
  return {
    sent: all.filter((i) => i.sentAt !== null).length,
    dead: group(all.filter((i) => i.sentAt === null && i.nextAttemptAt === null)),
    pending: group(all.filter((i) => i.sentAt === null && i.nextAttemptAt !== null)),
  };
}
