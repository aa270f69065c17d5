import type { Kysely } from 'kysely';
import {
  DEAD_SENTINEL,
  type NewOutboxItem,
  type OutboxItem,
  type OutboxPayload,
  type OutboxStore,
} from '../notify/outbox.js';
import { chunks } from './batch.js';
import type { Dialect } from './open.js';
import type { Database } from './schema.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The persistent OutboxStore over the store's `outbox` table (docs/notifications.md "Outbox"). Times
 * are ISO text, which sorts like time, so "due" is a plain string comparison on both dialects.
 */
export class KyselyOutbox implements OutboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async enqueue(items: readonly NewOutboxItem[], now: number) {
    let enqueued = 0;
    const at = iso(now);
    for (const part of chunks(items, 200)) {
      const res = await this.db
        .insertInto('outbox')
        .values(
          part.map((i) => ({
            channel: i.channel,
            dedup_key: i.dedupKey,
            payload: JSON.stringify(i.payload),
            attempts: 0,
            next_attempt_at: at,
            sent_at: null,
            last_error: null,
            created_at: at,
          })),
        )
        .onConflict((oc) => oc.columns(['channel', 'dedup_key']).doNothing())
        .executeTakeFirst();
      enqueued += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
    return { enqueued, duplicates: items.length - enqueued };
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    return this.db.transaction().execute(async (tx) => {
      let q = tx
        .selectFrom('outbox')
        .selectAll()
        .where('sent_at', 'is', null)
        .where('next_attempt_at', '<=', iso(now))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit);
      // Two workers on PostgreSQL must not lease the same rows; SQLite serialises writers anyway.
      if (this.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return [];
      const until = iso(now + leaseMs);
      await tx
        .updateTable('outbox')
        .set({ next_attempt_at: until })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({
        id: String(r.id),
        channel: r.channel,
        dedupKey: r.dedup_key,
        payload: JSON.parse(r.payload) as OutboxPayload,
        attempts: Number(r.attempts),
        nextAttemptAt: Date.parse(until),
        sentAt: null,
        lastError: r.last_error,
      }));
    });
  }

  async markSent(ids: readonly string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set({ sent_at: iso(now), next_attempt_at: DEAD_SENTINEL })
      .where('id', 'in', ids.map(Number))
      .execute();
  }

  async markFailed(ids: readonly string[], error: string, nextAttemptAt: number | null): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: error.slice(0, 2000),
        next_attempt_at: nextAttemptAt === null ? DEAD_SENTINEL : iso(nextAttemptAt),
      }))
      .where('id', 'in', ids.map(Number))
      .execute();
  }

  async release(ids: readonly string[], nextAttemptAt: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set({ next_attempt_at: iso(nextAttemptAt) })
      .where('id', 'in', ids.map(Number))
      .execute();
  }

  /** Every item in id order, for status output and tests. */
  async all(): Promise<OutboxItem[]> {
    const rows = await this.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: String(r.id),
      channel: r.channel,
      dedupKey: r.dedup_key,
      payload: JSON.parse(r.payload) as OutboxPayload,
      attempts: Number(r.attempts),
      nextAttemptAt:
        r.sent_at !== null || r.next_attempt_at === DEAD_SENTINEL ? null : Date.parse(r.next_attempt_at),
      sentAt: r.sent_at === null ? null : Date.parse(r.sent_at),
      lastError: r.last_error,
    }));
  }
}
