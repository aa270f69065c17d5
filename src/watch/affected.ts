import { policiesByType } from '../events/affected.js';
import type { TouchedResource } from '../events/types.js';
import type { PolicyDefinition } from '../policy/definition.js';
import { isObj } from '../util/narrow.js';

/** Filters that read across resources: their verdict on one resource can change when another one does. */
const GRAPH_FILTERS = new Set(['fact', 'path']);

function readsGraph(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsGraph);
  if (!isObj(node)) return false;
  if (typeof node.type === 'string' && GRAPH_FILTERS.has(node.type)) return true;
  return Object.values(node).some(readsGraph);
}

/**
 * Picks the policies a set of changes can affect: those on the touched types, plus every policy that
 * reads the relationship graph (a security group change can expose an instance; RunInstances with a
 * shared key changes the verdict on the *other* instance). Graph policies are few, so re-running all
 * of them is cheaper than working out exactly which neighbourhoods moved.
 */
export class AffectedPolicies {
  private readonly byType: Map<string, string[]>;
  private readonly graph: string[];

  constructor(policies: readonly Pick<PolicyDefinition, 'id' | 'resourceTypes' | 'filters'>[]) {
    this.byType = policiesByType(policies);
    this.graph = policies.filter((p) => readsGraph(p.filters)).map((p) => p.id);
  }

  for(touched: readonly TouchedResource[]): Set<string> {
    const out = new Set<string>();
    for (const t of touched) for (const id of this.byType.get(t.type) ?? []) out.add(id);
    if (out.size > 0 || touched.length > 0) for (const id of this.graph) out.add(id);
    return out;
  }
}
