import type { PolicyDefinition } from '../policy/definition.js';
import type { ChangeEvent } from './types.js';

/**
 * The policies an event can change the verdict of: those whose resource types include a touched
 * type. Graph neighbours (an instance's role, a key pair's other instances) are added by the
 * graph stage, which knows the edges.
 */
export function policiesByType(
  policies: readonly Pick<PolicyDefinition, 'id' | 'resourceTypes'>[],
): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const p of policies) {
    for (const t of p.resourceTypes) {
      const ids = byType.get(t) ?? [];
      ids.push(p.id);
      byType.set(t, ids);
    }
  }
  return byType;
}

export function affectedPolicies(
  event: ChangeEvent,
  byType: ReadonlyMap<string, readonly string[]>,
): string[] {
  const out = new Set<string>();
  for (const t of event.touched) for (const id of byType.get(t.type) ?? []) out.add(id);
  return [...out].sort();
}
