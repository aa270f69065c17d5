import type { Kysely } from 'kysely';
import { nowIso } from './batch.js';
import type { Database } from './schema.js';

/** One row per `warden drift` run: the aggregated report, and what enforcement did with it. */
export async function recordDriftRun(
  db: Kysely<Database>,
  run: {
    baselineId: number;
    added: number;
    removed: number;
    changed: number;
    enforcement: string;
    report: unknown;
  },
): Promise<number> {
  const row = await db
    .insertInto('drift_runs')
    .values({
      baseline_id: run.baselineId,
      at: nowIso(),
      added: run.added,
      removed: run.removed,
      changed: run.changed,
      enforcement: run.enforcement,
      report: JSON.stringify(run.report),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listDriftRuns(db: Kysely<Database>): Promise<
  {
    id: number;
    baselineId: number;
    at: string;
    changed: number;
    added: number;
    removed: number;
    enforcement: string;
  }[]
> {
  const rows = await db
    .selectFrom('drift_runs')
    .select(['id', 'baseline_id', 'at', 'added', 'removed', 'changed', 'enforcement'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    baselineId: Number(r.baseline_id),
    at: r.at,
    added: Number(r.added),
    removed: Number(r.removed),
    changed: Number(r.changed),
    enforcement: r.enforcement,
  }));
}
