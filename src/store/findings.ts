import type { Kysely, Transaction } from 'kysely';
import type { Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import { chunks } from './batch.js';
import { findingIdentity } from './identity.js';
import type { Database, FindingStatus } from './schema.js';

/** A result's graph path as stored (JSON text), or null when it names one resource. */
export function pathText(r: Pick<Result, 'path'>): string | null {
  return r.path && r.path.length > 0 ? JSON.stringify(r.path) : null;
}

/** The `results` row of a result in a scan (a stored scan, or a watch session's row). */
export function resultRow(scanId: number, r: Result) {
  return {
    scan_id: scanId,
    fingerprint: r.fingerprint,
    policy: r.policy,
    resource_id: r.resource.id,
    status: r.status,
    severity: r.severity,
    message: r.message,
    evidence: JSON.stringify(r.evidence),
    reason: r.reason ?? null,
    path: pathText(r),
  };
}

/**
 * Finding lifecycle, keyed by identity (src/store/identity.ts: the engine's fingerprint, or policy +
 * natural key so a plan's finding and the live resource's are one):
 * - a failing result opens a finding, or reopens a resolved one (first_seen is kept);
 * - a passing or exempt result resolves it, unless another result of the same scan still fails it;
 * - error and unknown results decide nothing: the finding keeps its status;
 * - a finding whose resource is gone from a later scan of the same scope (same inputs) resolves.
 */
export async function updateFindings(
  tx: Transaction<Database>,
  scanId: number,
  scope: string,
  results: readonly Result[],
  resources: ReadonlyMap<string, Resource>,
  at: string,
): Promise<void> {
  const identity = (r: Result) => findingIdentity(r.policy, r.fingerprint, resources.get(r.resource.id));
  const failing = new Map<string, Result>();
  const passing = new Set<string>();
  const undecided = new Set<string>();
  for (const r of results) {
    const id = identity(r);
    if (r.status === 'fail') failing.set(id, r);
    else if (r.status === 'pass' || r.status === 'exempt') passing.add(id);
    else undecided.add(id);
  }
  for (const id of failing.keys()) {
    passing.delete(id);
    undecided.delete(id);
  }

  const existing = new Map<string, { status: FindingStatus; resourceId: string }>();
  for (const part of chunks([...failing.keys()], 1000)) {
    const rows = await tx
      .selectFrom('findings')
      .select(['identity', 'status', 'resource_id'])
      .where('identity', 'in', part)
      .execute();
    for (const row of rows) existing.set(row.identity, { status: row.status, resourceId: row.resource_id });
  }

  const fresh = [];
  const reopen: string[] = [];
  const still: string[] = [];
  const moved: string[] = [];
  for (const [id, r] of failing) {
    const prev = existing.get(id);
    if (prev && prev.resourceId !== r.resource.id) moved.push(id);
    const status = prev?.status;
    if (status === undefined) {
      fresh.push({
        identity: id,
        fingerprint: r.fingerprint,
        policy: r.policy,
        resource_id: r.resource.id,
        resource_type: r.resource.type,
        resource_name: r.resource.name,
        account: r.resource.account,
        region: r.resource.region,
        severity: r.severity,
        status: 'open' as const,
        message: r.message,
        tags: JSON.stringify(resources.get(r.resource.id)?.tags ?? {}),
        scope,
        first_seen: at,
        last_seen: at,
        resolved_at: null,
        last_scan_id: scanId,
        path: pathText(r),
        opened_at: at,
      });
    } else if (status === 'resolved') reopen.push(id);
    else still.push(id);
  }
  for (const part of chunks(fresh)) await tx.insertInto('findings').values(part).execute();
  for (const part of chunks(reopen, 1000)) {
    await tx
      .updateTable('findings')
      .set({
        status: 'reopened',
        resolved_at: null,
        opened_at: at,
        last_seen: at,
        last_scan_id: scanId,
        scope,
      })
      .where('identity', 'in', part)
      .execute();
  }
  for (const part of chunks(still, 1000)) {
    await tx
      .updateTable('findings')
      .set({ last_seen: at, last_scan_id: scanId, scope })
      .where('identity', 'in', part)
      .execute();
  }
  // A graph finding shows the path of its latest failing result (few rows: only path policies).
  for (const [id, r] of failing) {
    if (!existing.has(id) || !r.path?.length) continue;
    await tx
      .updateTable('findings')
      .set({ path: pathText(r) })
      .where('identity', '=', id)
      .execute();
  }
  // The latest sighting names the resource: a plan's finding seen live now points at the live id.
  for (const id of moved) {
    const r = failing.get(id)!;
    await tx
      .updateTable('findings')
      .set({
        fingerprint: r.fingerprint,
        resource_id: r.resource.id,
        resource_name: r.resource.name,
        account: r.resource.account,
        region: r.resource.region,
        tags: JSON.stringify(resources.get(r.resource.id)?.tags ?? {}),
      })
      .where('identity', '=', id)
      .execute();
  }
  for (const part of chunks([...passing], 1000)) {
    await tx
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: at, last_scan_id: scanId })
      .where('identity', 'in', part)
      .where('status', '!=', 'resolved')
      .execute();
  }
  for (const part of chunks([...undecided], 1000)) {
    await tx.updateTable('findings').set({ last_scan_id: scanId }).where('identity', 'in', part).execute();
  }
  // Whatever this scan did not evaluate in its own scope has left it.
  await tx
    .updateTable('findings')
    .set({ status: 'resolved', resolved_at: at })
    .where('scope', '=', scope)
    .where('status', '!=', 'resolved')
    .where('last_scan_id', '!=', scanId)
    .execute();
}

/**
 * Resolves the open findings of `policy` on these resources after a remediation was verified (the
 * resource re-read and the policy passing). Only the named (policy, resource) pairs change: unlike a
 * scan, a remediation's re-read says nothing about other policies.
 */
export async function resolveRemediated(
  db: Kysely<Database>,
  policy: string,
  items: readonly { identity: string; resourceId: string }[],
  at: string,
): Promise<number> {
  let n = 0;
  for (const item of items) {
    const r = await db
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: at })
      .where('policy', '=', policy)
      .where((eb) => eb.or([eb('identity', '=', item.identity), eb('resource_id', '=', item.resourceId)]))
      .where('status', '!=', 'resolved')
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}
