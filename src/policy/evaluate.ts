import { hash } from 'node:crypto';
import { InventoryIndex } from '../model/inventory-index.js';
import type { Inventory, Resource } from '../model/resource.js';
import type { Evidence, Result, ResultStatus } from '../model/result.js';
import type { CompiledPolicy } from './compile.js';
import { EvalContext } from './context.js';

export interface EvaluateOptions {
  /** Reference time for age/expiration filters; fixed in tests. */
  now?: Date;
}

/** Stable identity of a (policy, resource) problem across scans and sources. */
export function fingerprint(policyId: string, resourceId: string): string {
  // One-shot hash: a quarter of createHash's cost, and a large plan has tens of thousands of results.
  return hash('sha256', `${policyId}\n${resourceId}`, 'hex').slice(0, 32);
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
  const results: Result[] = [];
  for (const policy of policies) {
    const def = policy.definition;
    for (const type of policy.resourceTypes) {
      for (const resource of index.ofType(type)) {
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
          resource: {
            id: resource.id,
            type: resource.type,
            provider: resource.provider,
            account: resource.account,
            region: resource.region,
            name: resource.name,
          },
          status,
          severity: def.severity,
          message: message(policy, status, v.evidence, reason),
          evidence: status === 'pass' ? [] : v.evidence,
          source: resource.source,
          fingerprint: fingerprint(policy.id, resource.id),
          frameworks: def.frameworks,
        };
        if (reason !== undefined) result.reason = reason;
        results.push(result);
      }
    }
  }
  return results;
}
