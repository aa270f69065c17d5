import type { EventQueue } from './sqs-queue.js';
import type { MessageReport, Watcher } from './watcher.js';

export interface LoopOptions {
  /** Stop after this many messages were handled (tests, benchmarks); unbounded otherwise. */
  maxMessages?: number;
  /** Aborting stops the loop after the batch in progress (SIGTERM/SIGINT). */
  signal: AbortSignal;
  onReport?: (r: MessageReport) => void;
  /** Called between batches (the periodic full scan hooks in here). */
  between?: () => Promise<void>;
  log: (line: string) => void;
}

/** Long-polls the queue and hands each message to the watcher, one batch of up to 10 at a time. */
export async function pollLoop(queue: EventQueue, watcher: Watcher, o: LoopOptions): Promise<number> {
  let handled = 0;
  let failures = 0;
  while (!o.signal.aborted && (o.maxMessages === undefined || handled < o.maxMessages)) {
    let batch: Awaited<ReturnType<EventQueue['receive']>>;
    try {
      batch = await queue.receive(o.maxMessages === undefined ? 10 : o.maxMessages - handled, o.signal);
      failures = 0;
    } catch (err) {
      // The queue itself is unreachable or denied: back off (bounded) and try again.
      failures++;
      o.log(`warden: cannot receive from the queue: ${(err as Error).name}: ${(err as Error).message}`);
      await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), o.signal);
      continue;
    }
    // The whole batch is finished even when a stop signal arrives meanwhile: nothing half-processed.
    for (const m of batch) {
      try {
        o.onReport?.(await watcher.handle(m));
      } catch (err) {
        o.log(`warden: message ${m.id} left on the queue: ${(err as Error).message}`);
      }
      handled++;
    }
    await o.between?.();
  }
  return handled;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
