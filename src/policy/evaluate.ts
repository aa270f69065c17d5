import { hash } from 'node:crypto';
import { InventoryIndex } from '../model/inventory-index.js';
import type { Inventory, Resource } from '../model/resource.js';
import type { Evidence, Result, ResultStatus } from '../model/result.js';
import type { CompiledPolicy } from './compile.js';
import { EvalContext } from './context.js';
import type { MatchedPath } from './verdict.js';

export interface EvaluateOptions {
  /** Reference time for age/expiration filters; fixed in tests. */
  now?: Date;
}

/** Policies tagged `live-only` read what exists only in a running account (credential report, account summary). */
export const LIVE_ONLY = 'live-only';
const LIVE_SOURCES: ReadonlySet<string> = new Set(['live', 'snapshot', 'event']);

/** Whether a resource was read from a running account (directly, from a snapshot, or by an event). */
export function isLiveSource(resource: Resource): boolean {
  return LIVE_SOURCES.has(resource.source.kind);
}

/**
 * Stable identity of a (policy, resource) problem across scans and sources. A finding of a `path`
 * policy is one per matched path: its identity covers every id along the path (resource first), so
 * for a single resource it is the same hash as before.
 */
export function fingerprint(policyId: string, resourceId: string, ...pathIds: string[]): string {
  // One-shot hash: a quarter of createHash's cost, and a large plan has tens of thousands of results.
  return hash('sha256', [policyId, resourceId, ...pathIds].join('\n'), 'hex').slice(0, 32);
}

function message(
  policy: CompiledPolicy,
  status: ResultStatus,
  evidence: Evidence[],
  reason?: string,
): string {
  const title = policy.definition.title;
  switch (status) {
    case 'fail': {
      const notes = evidence.map((e) => e.note).filter((n): n is string => !!n);
      return notes.length > 0
        ? `${title}: ${notes.slice(0, 3).join('; ')}${notes.length > 3 ? ` (+${notes.length - 3} more)` : ''}`
        : title;
    }
    case 'pass':
      return `passed ${policy.id}`;
    case 'exempt':
      return `exempt: ${reason ?? ''}`;
    default:
      return `${status}: ${reason ?? title}`;
  }
}

/** One result per matched path, each naming the path and with its own fingerprint. */
function perPath(base: Result, policy: CompiledPolicy, paths: readonly MatchedPath[]): Result[] {
  const shared = base.evidence.filter((e) => !paths[0]!.evidence.includes(e));
  return paths.map((p) => {
    const evidence = [...p.evidence, ...shared];
    return {
      ...base,
      message: `${policy.definition.title}: ${p.summary}`,
      evidence,
      fingerprint: fingerprint(policy.id, base.resource.id, ...p.ids.slice(1)),
      path: p.ids,
    };
  });
}

function summaryOf(summaries: Map<Resource, Result['resource']>, resource: Resource): Result['resource'] {
  let summary = summaries.get(resource);
  if (!summary) {
    summary = {
      id: resource.id,
      type: resource.type,
      provider: resource.provider,
      account: resource.account,
      region: resource.region,
      name: resource.name,
    };
    summaries.set(resource, summary);
  }
  return summary;
}

/**
 * Runs every policy on the resources of its types. Pure: the same inventory and policies give the
 * same results, in policy order then resource order.
 */
export function evaluate(
  policies: readonly CompiledPolicy[],
  inventory: Inventory,
  options: EvaluateOptions = {},
): Result[] {
  const now = options.now ?? new Date();
  const index = new InventoryIndex(inventory.resources);
  const contexts = new Map<Resource, EvalContext>();
  // One summary of a resource for all its results (results are never mutated after evaluation).
  const summaries = new Map<Resource, Result['resource']>();
  const results: Result[] = [];
  for (const policy of policies) {
    const def = policy.definition;
    const liveOnly = def.tags.includes(LIVE_ONLY);
    const passed = message(policy, 'pass', [], undefined);
    for (const type of policy.resourceTypes) {
      for (const resource of index.ofType(type)) {
        // IaC has no credential report: a live-only policy would "pass" there on missing data.
        if (liveOnly && !isLiveSource(resource)) continue;
        let ctx = contexts.get(resource);
        if (!ctx) {
          ctx = new EvalContext(resource, now, index);
          contexts.set(resource, ctx);
        }
        const v = policy.filter.evaluate(resource, ctx);
        let status: ResultStatus = v.truth === true ? 'fail' : v.truth === false ? 'pass' : v.truth;
        let reason = v.reason;
        const skip = resource.skips?.find((s) => s.policy === policy.id);
        const exception = skip ? undefined : policy.exceptions.find((e) => e.matches(resource));
        if (skip) {
          status = 'exempt';
          reason = `inline skip: ${skip.reason}`;
        } else if (exception) {
          status = 'exempt';
          reason = exception.reason;
        }
        const result: Result = {
          policy: policy.id,
          resource: summaryOf(summaries, resource),
          status,
          severity: def.severity,
          message: status === 'pass' ? passed : message(policy, status, v.evidence, reason),
          evidence: status === 'pass' ? [] : v.evidence,
          source: resource.source,
          fingerprint: fingerprint(policy.id, resource.id),
          frameworks: def.frameworks,
        };
        if (reason !== undefined) result.reason = reason;
        if (status === 'fail' && v.paths && v.paths.length > 0) {
          results.push(...perPath(result, policy, v.paths));
        } else results.push(result);
      }
    }
  }
  return results;
}
