import type { Kysely } from 'kysely';
import { nowIso } from './batch.js';
import type { Database } from './schema.js';

/**
 * The notification outbox (docs/DESIGN.md §8): messages are written in the same store as the scan
 * and sent later with retries. Senders are not part of this module.
 */
export interface OutboxMessage {
  id: number;
  channel: string;
  dedupKey: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: string;
  sentAt: string | null;
  lastError: string | null;
}

/** Queues a message; one already queued with the same (channel, dedup key) is kept, not repeated. */
export async function enqueue(
  db: Kysely<Database>,
  msg: { channel: string; dedupKey: string; payload: unknown; notBefore?: string },
): Promise<boolean> {
  const at = nowIso();
  const res = await db
    .insertInto('outbox')
    .values({
      channel: msg.channel,
      dedup_key: msg.dedupKey,
      payload: JSON.stringify(msg.payload),
      attempts: 0,
      next_attempt_at: msg.notBefore ?? at,
      sent_at: null,
      last_error: null,
      created_at: at,
    })
    .onConflict((oc) => oc.columns(['channel', 'dedup_key']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Unsent messages whose next attempt is due, oldest first. */
export async function dueMessages(
  db: Kysely<Database>,
  now = new Date(),
  limit = 100,
): Promise<OutboxMessage[]> {
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    channel: r.channel,
    dedupKey: r.dedup_key,
    payload: JSON.parse(r.payload) as unknown,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    lastError: r.last_error,
  }));
}

export async function markSent(db: Kysely<Database>, id: number): Promise<void> {
  await db.updateTable('outbox').set({ sent_at: nowIso(), last_error: null }).where('id', '=', id).execute();
}

/** Records a failed attempt and when to try again (the caller chooses the backoff). */
export async function markFailed(
  db: Kysely<Database>,
  id: number,
  error: string,
  retryAt: string,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 2000),
      next_attempt_at: retryAt,
    }))
    .where('id', '=', id)
    .execute();
}
