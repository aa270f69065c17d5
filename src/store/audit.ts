import type { Kysely } from 'kysely';
import { nowIso } from './batch.js';
import type { Database } from './schema.js';

export interface AuditEntry {
  id: number;
  who: string;
  action: string;
  resource: string;
  calls: unknown;
  result: string;
  at: string;
}

/**
 * Written before an action runs (result `pending`) and completed after, so an action that crashes
 * midway still leaves a trace.
 */
export async function auditBegin(
  db: Kysely<Database>,
  entry: { who: string; action: string; resource: string; calls: unknown },
): Promise<number> {
  const row = await db
    .insertInto('audit_log')
    .values({ ...entry, calls: JSON.stringify(entry.calls), result: 'pending', at: nowIso() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function auditEnd(db: Kysely<Database>, id: number, result: string): Promise<void> {
  await db
    .updateTable('audit_log')
    .set({ result: result.slice(0, 2000) })
    .where('id', '=', id)
    .execute();
}

export async function auditEntries(db: Kysely<Database>, limit = 100): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    who: r.who,
    action: r.action,
    resource: r.resource,
    calls: JSON.parse(r.calls) as unknown,
    result: r.result,
    at: r.at,
  }));
}
