import type { Transaction } from 'kysely';
import type { Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import { chunks } from './batch.js';
import type { Database, FindingStatus } from './schema.js';

/**
 * Finding lifecycle, keyed by the stable fingerprint (policy id + resource id):
 * - a failing result opens a finding, or reopens a resolved one (first_seen is kept);
 * - a passing or exempt result resolves it;
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
  const failing = results.filter((r) => r.status === 'fail');
  const passing = results.filter((r) => r.status === 'pass' || r.status === 'exempt');
  const undecided = results.filter((r) => r.status === 'error' || r.status === 'unknown');

  const existing = new Map<string, FindingStatus>();
  for (const part of chunks(
    failing.map((r) => r.fingerprint),
    1000,
  )) {
    const rows = await tx
      .selectFrom('findings')
      .select(['fingerprint', 'status'])
      .where('fingerprint', 'in', part)
      .execute();
    for (const row of rows) existing.set(row.fingerprint, row.status);
  }

  const fresh = [];
  const reopen: string[] = [];
  const still: string[] = [];
  const seen = new Set<string>();
  for (const r of failing) {
    if (seen.has(r.fingerprint)) continue;
    seen.add(r.fingerprint);
    const status = existing.get(r.fingerprint);
    if (status === undefined) {
      fresh.push({
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
      });
    } else if (status === 'resolved') reopen.push(r.fingerprint);
    else still.push(r.fingerprint);
  }
  for (const part of chunks(fresh)) await tx.insertInto('findings').values(part).execute();
  for (const part of chunks(reopen, 1000)) {
    await tx
      .updateTable('findings')
      .set({ status: 'reopened', resolved_at: null, last_seen: at, last_scan_id: scanId, scope })
      .where('fingerprint', 'in', part)
      .execute();
  }
  for (const part of chunks(still, 1000)) {
    await tx
      .updateTable('findings')
      .set({ last_seen: at, last_scan_id: scanId, scope })
      .where('fingerprint', 'in', part)
      .execute();
  }
  for (const part of chunks(
    passing.map((r) => r.fingerprint),
    1000,
  )) {
    await tx
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: at, last_scan_id: scanId })
      .where('fingerprint', 'in', part)
      .where('status', '!=', 'resolved')
      .execute();
  }
  for (const part of chunks(
    undecided.map((r) => r.fingerprint),
    1000,
  )) {
    await tx.updateTable('findings').set({ last_scan_id: scanId }).where('fingerprint', 'in', part).execute();
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
