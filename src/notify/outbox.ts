import type { FindingNote, RunRef } from './types.js';

/**
 * The outbox contract (docs/DESIGN.md §8). The Kysely store implements it over the `outbox` table:
 *   id            ← OutboxItem.id
 *   channel       ← channel name
 *   dedup_key     ← unique together with channel
 *   payload       ← JSON of { run, finding }
 *   attempts      ← failed sends so far
 *   next_attempt_at ← when the item is due (ISO text in the table, epoch ms here); dead items (permanent
 *                     failure or attempts used up) are `null` here and DEAD_SENTINEL in a NOT NULL column
 *   sent_at       ← set when delivered; NULL before
 *   last_error    ← the last DeliveryError message (never a credential)
 * Every notification is written here before anything is sent, so a crash or a receiver outage loses
 * nothing: unsent items stay due until delivered or dead.
 */
/** How a NOT NULL `next_attempt_at` column stores "dead": never due. */
export const DEAD_SENTINEL = '9999-12-31T23:59:59.999Z';

export interface OutboxPayload {
  run: RunRef;
  finding: FindingNote;
}

export interface OutboxItem {
  id: string;
  channel: string;
  dedupKey: string;
  payload: OutboxPayload;
  attempts: number;
  /** Epoch ms; null when dead. */
  nextAttemptAt: number | null;
  sentAt: number | null;
  lastError: string | null;
}

export interface NewOutboxItem {
  channel: string;
  dedupKey: string;
  payload: OutboxPayload;
}

export interface OutboxStore {
  /**
   * Adds items that are due now. An item whose (channel, dedupKey) already exists — pending, sent
   * or dead — is skipped: that is the per fingerprint+channel deduplication.
   */
  enqueue(items: readonly NewOutboxItem[], now: number): Promise<{ enqueued: number; duplicates: number }>;
  /**
   * Up to `limit` unsent, live items due at `now`, oldest first, leased until `now + leaseMs` (their
   * next_attempt_at moves there) so a second worker does not take them and a crashed worker's
   * items come back after the lease.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  markSent(ids: readonly string[], now: number): Promise<void>;
  /** Counts a failed attempt; `nextAttemptAt` null makes the items dead. */
  markFailed(ids: readonly string[], error: string, nextAttemptAt: number | null): Promise<void>;
  /** Puts claimed items back without counting an attempt (rate limited). */
  release(ids: readonly string[], nextAttemptAt: number): Promise<void>;
}

/** The dedup key of one finding state on one channel (see FindingNote.episode). */
export function dedupKey(f: FindingNote): string {
  return `${f.fingerprint}|${f.state}|${f.episode ?? ''}`;
}

/** An OutboxStore in memory, for tests and for one-shot commands without a store. */
export class MemoryOutbox implements OutboxStore {
  private readonly items = new Map<string, OutboxItem>();
  private readonly keys = new Set<string>();
  private seq = 0;

  async enqueue(items: readonly NewOutboxItem[], now: number) {
    let enqueued = 0;
    let duplicates = 0;
    for (const item of items) {
      const key = `${item.channel}\n${item.dedupKey}`;
      if (this.keys.has(key)) {
        duplicates++;
        continue;
      }
      this.keys.add(key);
      const id = `ob-${String(++this.seq).padStart(8, '0')}`;
      // A copy, as a database row would be: later changes by the caller do not leak in.
      const payload = structuredClone(item.payload);
      this.items.set(id, {
        id,
        ...item,
        payload,
        attempts: 0,
        nextAttemptAt: now,
        sentAt: null,
        lastError: null,
      });
      enqueued++;
    }
    return { enqueued, duplicates };
  }

  async claimDue(now: number, limit: number, leaseMs: number) {
    const due = [...this.items.values()]
      .filter((i) => i.sentAt === null && i.nextAttemptAt !== null && i.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt! || a.id.localeCompare(b.id))
      .slice(0, limit);
    for (const i of due) i.nextAttemptAt = now + leaseMs;
    return due.map((i) => structuredClone(i));
  }

  async markSent(ids: readonly string[], now: number) {
    for (const id of ids) {
      const i = this.items.get(id);
      if (i) {
        i.sentAt = now;
        i.nextAttemptAt = null;
      }
    }
  }

  async markFailed(ids: readonly string[], error: string, nextAttemptAt: number | null) {
    for (const id of ids) {
      const i = this.items.get(id);
      if (i) {
        i.attempts++;
        i.lastError = error;
        i.nextAttemptAt = nextAttemptAt;
      }
    }
  }

  async release(ids: readonly string[], nextAttemptAt: number) {
    for (const id of ids) {
      const i = this.items.get(id);
      if (i) i.nextAttemptAt = nextAttemptAt;
    }
  }

  /** Every item, for tests and status output. */
  all(): OutboxItem[] {
    return [...this.items.values()].map((i) => structuredClone(i));
  }
}
