import type { Kysely } from 'kysely';
import type { Database, FindingStatus } from './schema.js';

export interface FindingFilter {
  status?: FindingStatus[];
  severity?: string[];
  policy?: string[];
  account?: string[];
  /** Every pair must match the resource's tags when it was last seen failing. */
  tags?: Record<string, string>;
  /** ISO time: first seen at or after. */
  since?: string;
}

export interface StoredFinding {
  identity: string;
  fingerprint: string;
  policy: string;
  resource: { id: string; type: string; name: string; account: string; region: string };
  severity: string;
  status: FindingStatus;
  message: string;
  tags: Record<string, string>;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  /** For a graph finding: the ids along its path, the resource first. */
  path?: string[];
  /** Set when an active suppression covers the finding: its description (reason, owner, expiry). */
  exempt?: string;
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export async function queryFindings(
  db: Kysely<Database>,
  filter: FindingFilter = {},
): Promise<StoredFinding[]> {
  let q = db.selectFrom('findings').selectAll();
  if (filter.status?.length) q = q.where('status', 'in', filter.status);
  if (filter.severity?.length) q = q.where('severity', 'in', filter.severity);
  if (filter.policy?.length) q = q.where('policy', 'in', filter.policy);
  if (filter.account?.length) q = q.where('account', 'in', filter.account);
  if (filter.since) q = q.where('first_seen', '>=', filter.since);
  const rows = await q.orderBy('policy').orderBy('resource_id').execute();
  const wanted = Object.entries(filter.tags ?? {});
  // Tags are JSON text (portable across both dialects), so the tag filter runs here, not in SQL.
  return rows
    .map(
      (r): StoredFinding => ({
        identity: r.identity,
        fingerprint: r.fingerprint,
        policy: r.policy,
        resource: {
          id: r.resource_id,
          type: r.resource_type,
          name: r.resource_name,
          account: r.account,
          region: r.region,
        },
        severity: r.severity,
        status: r.status,
        message: r.message,
        tags: JSON.parse(r.tags) as Record<string, string>,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        resolvedAt: r.resolved_at,
        ...(r.path !== null ? { path: JSON.parse(r.path) as string[] } : {}),
      }),
    )
    .filter((f) => wanted.every(([k, v]) => f.tags[k] === v))
    .sort(
      (a, b) =>
        (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
        a.policy.localeCompare(b.policy) ||
        a.resource.id.localeCompare(b.resource.id),
    );
}
