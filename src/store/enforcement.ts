import type { Kysely } from 'kysely';
import { nowIso } from './batch.js';
import type { Database } from './schema.js';

export interface EnforcementState {
  paused: boolean;
  reason: string | null;
  until: string | null;
  by: string | null;
  updatedAt: string | null;
}

const SCOPE = 'default';

/** Paused until a time that has passed counts as active again: a forgotten resume cannot last. */
export async function enforcementState(db: Kysely<Database>, now = new Date()): Promise<EnforcementState> {
  const row = await db.selectFrom('enforcement').selectAll().where('scope', '=', SCOPE).executeTakeFirst();
  if (!row) return { paused: false, reason: null, until: null, by: null, updatedAt: null };
  const expired = row.until !== null && row.until <= now.toISOString();
  return {
    paused: row.paused === 1 && !expired,
    reason: row.reason,
    until: row.until,
    by: row.by,
    updatedAt: row.updated_at,
  };
}

async function write(db: Kysely<Database>, values: Omit<Database['enforcement'], 'scope'>): Promise<void> {
  await db
    .insertInto('enforcement')
    .values({ scope: SCOPE, ...values })
    .onConflict((oc) => oc.column('scope').doUpdateSet(values))
    .execute();
}

export async function pauseEnforcement(
  db: Kysely<Database>,
  input: { reason: string; until?: string; by: string },
): Promise<void> {
  await write(db, {
    paused: 1,
    reason: input.reason,
    until: input.until ?? null,
    by: input.by,
    updated_at: nowIso(),
  });
}

export async function resumeEnforcement(db: Kysely<Database>, by: string): Promise<void> {
  await write(db, { paused: 0, reason: null, until: null, by, updated_at: nowIso() });
}
