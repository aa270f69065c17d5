import type { Kysely } from 'kysely';
import type { ApprovalStatus, Database } from './schema.js';

export interface Approval<S = unknown> {
  id: number;
  policy: string;
  resource: string;
  steps: S[];
  status: ApprovalStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  result?: string;
}

/** Opens an approval unless one is already pending for the same (policy, resource). */
export async function openApproval(
  db: Kysely<Database>,
  a: { policy: string; resource: string; steps: unknown[]; requestedBy: string; requestedAt: string },
): Promise<{ id: number; created: boolean }> {
  const pending = await db
    .selectFrom('approvals')
    .select('id')
    .where('policy', '=', a.policy)
    .where('resource', '=', a.resource)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (pending) return { id: Number(pending.id), created: false };
  const row = await db
    .insertInto('approvals')
    .values({
      policy: a.policy,
      resource: a.resource,
      steps: JSON.stringify(a.steps),
      status: 'pending',
      requested_by: a.requestedBy,
      requested_at: a.requestedAt,
      decided_by: null,
      decided_at: null,
      result: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), created: true };
}

export async function listApprovals<S>(
  db: Kysely<Database>,
  status?: ApprovalStatus,
): Promise<Approval<S>[]> {
  let q = db.selectFrom('approvals').selectAll().orderBy('id');
  if (status) q = q.where('status', '=', status);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    policy: r.policy,
    resource: r.resource,
    steps: JSON.parse(r.steps) as S[],
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    ...(r.decided_by !== null ? { decidedBy: r.decided_by } : {}),
    ...(r.decided_at !== null ? { decidedAt: r.decided_at } : {}),
    ...(r.result !== null ? { result: r.result } : {}),
  }));
}

export async function getApproval<S>(db: Kysely<Database>, id: number): Promise<Approval<S> | undefined> {
  return (await listApprovals<S>(db)).find((a) => a.id === id);
}

/** Decides a pending approval; false when it was not pending (decided twice, or by someone else first). */
export async function decideApproval(
  db: Kysely<Database>,
  id: number,
  d: { status: Exclude<ApprovalStatus, 'pending'>; by: string; at: string; result?: string },
): Promise<boolean> {
  const r = await db
    .updateTable('approvals')
    .set({ status: d.status, decided_by: d.by, decided_at: d.at, result: d.result ?? null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function recordApprovalResult(
  db: Kysely<Database>,
  id: number,
  status: 'accepted' | 'failed',
  result: string,
): Promise<void> {
  await db
    .updateTable('approvals')
    .set({ status, result: result.slice(0, 2000) })
    .where('id', '=', id)
    .execute();
}
