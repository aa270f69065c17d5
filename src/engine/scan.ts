import { graphFactsFor } from '../graph/facts/index.js';
import { linkResources } from '../graph/link.js';
import type { Inventory } from '../model/resource.js';
import { countStatuses, type Result, type StatusCounts } from '../model/result.js';
import type { PolicyDefinition } from '../policy/definition.js';
import { evaluate, isLiveSource } from '../policy/evaluate.js';
import type { PolicySet } from '../policy/load.js';

export interface ScanReport {
  results: Result[];
  summary: StatusCounts;
  resources: number;
  /** How many of them came from a running account (live, snapshot, event): live-only policies need some. */
  liveResources?: number;
  unsupported: Record<string, number>;
  inputs: string[];
  policies: PolicyDefinition[];
  durationMs: number;
}

/**
 * The pure middle of the pipeline: link the inventory, build the relationship graph (its facts are
 * computed on demand while policies run), evaluate the policy set, summarise.
 */
export function scanInventory(inventory: Inventory, policies: PolicySet, now?: Date): ScanReport {
  const started = performance.now();
  linkResources(inventory.resources);
  graphFactsFor(inventory.resources);
  const results = evaluate(policies.compiled, inventory, now ? { now } : {});
  return {
    results,
    summary: countStatuses(results),
    resources: inventory.resources.length,
    liveResources: inventory.resources.filter(isLiveSource).length,
    unsupported: inventory.unsupported,
    inputs: inventory.inputs,
    policies: policies.definitions,
    durationMs: performance.now() - started,
  };
}
