import type { OutboxItem, OutboxStore } from './outbox.js';
import { type Channel, DeliveryError, type Message } from './types.js';

export interface RetryPolicy {
  /** First retry delay (default 30 s); doubles per attempt up to `maxMs` (default 1 h). */
  baseMs: number;
  maxMs: number;
  /** Attempts before an item is dead (default 10). */
  maxAttempts: number;
}

export interface WorkerOptions {
  store: OutboxStore;
  channels: ReadonlyMap<string, Channel>;
  /** Messages per minute per channel (token bucket); channels not listed are not limited. */
  ratePerMinute?: Readonly<Record<string, number>>;
  retry?: Partial<RetryPolicy>;
  /** Items claimed per round (default 100). */
  batchSize?: number;
  /** How long a claim holds before another worker may take the items (default 5 min). */
  leaseMs?: number;
  now?: () => number;
  /** In [0, 1); injectable so backoff is reproducible in tests. */
  random?: () => number;
  /** Called after each send attempt (logging, metrics). Never receives credentials. */
  onAttempt?: (e: {
    channel: string;
    ids: string[];
    ok: boolean;
    error?: string;
    nextAttemptAt?: number | null;
  }) => void;
}

export interface RoundResult {
  sent: number;
  failed: number;
  dead: number;
  rateLimited: number;
}

const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 10 };

/**
 * Delay before retry number `attempt` (1-based): exponential with "equal jitter" — half fixed, half
 * random — so retries of many items after an outage spread out but never come back immediately.
 */
export function backoffMs(attempt: number, retry: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perMinute: number,
    now: number,
  ) {
    this.tokens = perMinute;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  /** When the next token is there. */
  nextAt(now: number): number {
    return now + Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }
}

/**
 * Sends what is due in the outbox. Items of one run for one aggregating channel go out as one
 * message; the others one by one. At-least-once: an item is marked sent only after the receiver
 * accepted it, and every message carries its delivery id so receivers can drop a repeat after a
 * crash between "accepted" and "marked".
 */
export class OutboxWorker {
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly options: WorkerOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  private groups(items: OutboxItem[]): OutboxItem[][] {
    const groups = new Map<string, OutboxItem[]>();
    for (const item of items) {
      const channel = this.options.channels.get(item.channel);
      const key = channel?.aggregates ? `${item.channel}\n${item.payload.run.id}` : item.id;
      const g = groups.get(key) ?? [];
      g.push(item);
      groups.set(key, g);
    }
    return [...groups.values()];
  }

  private allowed(channel: string, now: number): { ok: true } | { ok: false; at: number } {
    const rate = this.options.ratePerMinute?.[channel];
    if (!rate) return { ok: true };
    let bucket = this.buckets.get(channel);
    if (!bucket) {
      bucket = new TokenBucket(rate, now);
      this.buckets.set(channel, bucket);
    }
    return bucket.take(now) ? { ok: true } : { ok: false, at: bucket.nextAt(now) };
  }

  /** One round: claim due items, send them grouped, record the outcome. */
  async runOnce(): Promise<RoundResult> {
    const { store, channels } = this.options;
    const result: RoundResult = { sent: 0, failed: 0, dead: 0, rateLimited: 0 };
    const now = this.now();
    const items = await store.claimDue(now, this.options.batchSize ?? 100, this.options.leaseMs ?? 300_000);
    for (const group of this.groups(items)) {
      const first = group[0]!;
      const ids = group.map((i) => i.id);
      const channel = channels.get(first.channel);
      if (!channel) {
        // A channel removed from the configuration: keep the items, they are not lost, but say why.
        await store.markFailed(ids, `channel ${first.channel} is not configured`, null);
        result.dead += ids.length;
        continue;
      }
      const gate = this.allowed(channel.name, now);
      if (!gate.ok) {
        await store.release(ids, gate.at);
        result.rateLimited += ids.length;
        continue;
      }
      const message: Message = { run: first.payload.run, findings: group.map((i) => i.payload.finding) };
      try {
        await channel.send(message, first.id);
        await store.markSent(ids, this.now());
        result.sent += ids.length;
        this.options.onAttempt?.({ channel: channel.name, ids, ok: true });
      } catch (err) {
        const e =
          err instanceof DeliveryError
            ? err
            : new DeliveryError(`${channel.name}: ${(err as Error).message}`, true);
        const attempts = Math.max(...group.map((i) => i.attempts)) + 1;
        const dead = !e.retryable || attempts >= this.retry.maxAttempts;
        const next = dead
          ? null
          : this.now() + Math.max(e.retryAfterMs ?? 0, backoffMs(attempts, this.retry, this.random));
        await store.markFailed(ids, e.message, next);
        if (dead) result.dead += ids.length;
        else result.failed += ids.length;
        this.options.onAttempt?.({
          channel: channel.name,
          ids,
          ok: false,
          error: e.message,
          nextAttemptAt: next,
        });
      }
    }
    return result;
  }

  /**
   * Runs rounds until `signal` aborts: right away while there is work, else every `idleMs`
   * (default 1 s). Resolves after the round in progress has finished, so a shutdown never cuts a
   * send between "accepted" and "marked".
   */
  async runUntil(signal: AbortSignal, idleMs = 1000): Promise<void> {
    while (!signal.aborted) {
      const r = await this.runOnce();
      if (r.sent + r.failed + r.dead > 0 || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, idleMs);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
