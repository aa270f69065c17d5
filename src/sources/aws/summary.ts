import type { Resource } from '../../model/resource.js';
import type { CallStatsJson } from './call-stats.js';
import type { AccountReport, CollectionFailure, UnreachableTarget } from './collect.js';

/** What a live collection (or a snapshot of one) tells the user beside the results. */
export interface CollectionSummaryInput {
  accounts: AccountReport[];
  unreachable: UnreachableTarget[];
  failures: CollectionFailure[];
  stats: CallStatsJson;
  resources: readonly Resource[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Denied enrichment calls, from the resources' errors: `action → count`. */
function deniedEnrichment(resources: readonly Resource[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of resources) {
    for (const e of r.errors ?? []) {
      const action = /\(missing ([^)\s]+)\)/.exec(e.message)?.[1];
      if (!action) continue;
      const key = `${r.account} ${r.region} ${action} (${r.type} ${e.path})`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * The stderr summary of a live collection: time per account and region, API calls by service and
 * operation with throttles and retries, then everything that could not be read, denied calls first
 * with the IAM action that is missing.
 */
export function formatCollectionSummary(s: CollectionSummaryInput): string {
  const lines: string[] = [];
  const t = s.stats.totals;
  const regions = s.accounts.reduce((n, a) => n + a.regions.filter((r) => r.region !== 'global').length, 0);
  lines.push(
    `aws: ${s.accounts.length} account(s), ${regions} region scan(s), ${s.resources.length} resources; ` +
      `${t.calls} API calls, ${t.retries} retries, ${t.throttles} throttled`,
  );
  for (const a of s.accounts) {
    const per = a.regions.map((r) => `${r.region} ${seconds(r.durationMs)} (${r.resources})`).join(', ');
    lines.push(`  account ${a.accountId} via ${a.via}: ${seconds(a.durationMs)} — ${per}`);
    if (a.skippedRegions.length > 0)
      lines.push(`    regions not enabled, skipped: ${a.skippedRegions.join(', ')}`);
  }
  for (const u of s.unreachable) {
    lines.push(
      `  unreachable: ${u.via}: ${u.code}: ${u.message}${u.iamAction ? ` (missing ${u.iamAction})` : ''}`,
    );
  }
  lines.push('  API calls by operation (calls / attempts / throttled):');
  for (const o of s.stats.operations) {
    lines.push(`    ${o.service} ${o.operation}: ${o.calls} / ${o.attempts} / ${o.throttles}`);
  }
  const denied = s.failures.filter((f) => f.iamAction);
  const enrichment = deniedEnrichment(s.resources);
  if (denied.length > 0 || enrichment.size > 0) {
    lines.push('  denied calls (missing IAM permission):');
    for (const f of denied) {
      const what = f.resourceType ? ` — ${f.resourceType} not inventoried` : '';
      lines.push(`    ${f.account} ${f.region} ${f.iamAction}${what}`);
    }
    for (const [key, n] of enrichment) lines.push(`    ${key}${n > 1 ? ` ×${n}` : ''}`);
  }
  const other = s.failures.filter((f) => !f.iamAction);
  if (other.length > 0) {
    lines.push('  failed calls:');
    for (const f of other) {
      const what = f.resourceType ? ` — ${f.resourceType} not inventoried` : '';
      lines.push(`    ${f.account} ${f.region} ${f.service}:${f.operation} ${f.code}: ${f.message}${what}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
