import type { Kysely } from 'kysely';
import type { Suppression } from '../suppress/types.js';
import { enqueue } from './outbox.js';
import type { Database, SuppressionsTable } from './schema.js';

type Row = Omit<SuppressionsTable, 'id'> & { id: number };

function fromRow(r: Row): Suppression {
  return {
    id: Number(r.id),
    ...(r.fingerprint !== null ? { fingerprint: r.fingerprint } : {}),
    ...(r.policy !== null ? { policy: r.policy } : {}),
    ...(r.resource !== null ? { resource: r.resource } : {}),
    ...(r.tag_key !== null ? { tag: { key: r.tag_key, value: r.tag_value ?? '' } } : {}),
    reason: r.reason,
    ...(r.owner !== null ? { owner: r.owner } : {}),
    ...(r.expires !== null ? { expires: r.expires } : {}),
    createdAt: r.created_at,
    createdBy: r.created_by,
    ...(r.expired_at !== null ? { expiredAt: r.expired_at } : {}),
  };
}

export async function addSuppression(
  db: Kysely<Database>,
  s: Omit<Suppression, 'id' | 'expiredAt'>,
): Promise<number> {
  const row = await db
    .insertInto('suppressions')
    .values({
      fingerprint: s.fingerprint ?? null,
      policy: s.policy ?? null,
      resource: s.resource ?? null,
      tag_key: s.tag?.key ?? null,
      tag_value: s.tag?.value ?? null,
      reason: s.reason,
      owner: s.owner ?? null,
      expires: s.expires ?? null,
      created_at: s.createdAt,
      created_by: s.createdBy,
      expired_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listSuppressions(db: Kysely<Database>): Promise<Suppression[]> {
  const rows = await db.selectFrom('suppressions').selectAll().orderBy('id').execute();
  return rows.map((r) => fromRow(r as Row));
}

export async function removeSuppression(db: Kysely<Database>, id: number): Promise<boolean> {
  const r = await db.deleteFrom('suppressions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The outbox channel expiry notices go to; a notification worker routes it like any message. */
export const EXPIRY_CHANNEL = 'suppressions';

/**
 * Marks suppressions whose expiry has passed and queues one notification each (dedup key
 * `suppression:<id>:expired`, so running this twice queues nothing new). The findings they covered
 * fail again, and so reopen, at the next scan.
 */
export async function expireSuppressions(db: Kysely<Database>, now: Date): Promise<Suppression[]> {
  const at = now.toISOString();
  const due = await db
    .selectFrom('suppressions')
    .selectAll()
    .where('expires', 'is not', null)
    .where('expires', '<=', at)
    .where('expired_at', 'is', null)
    .orderBy('id')
    .execute();
  const expired: Suppression[] = [];
  for (const row of due) {
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('suppressions').set({ expired_at: at }).where('id', '=', row.id).execute();
      const s = fromRow({ ...(row as Row), expired_at: at });
      await enqueue(tx, {
        channel: EXPIRY_CHANNEL,
        dedupKey: `suppression:${s.id}:expired`,
        payload: { kind: 'suppression-expired', suppression: s },
      });
      expired.push(s);
    });
  }
  return expired;
}
