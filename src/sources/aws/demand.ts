import { GRAPH_ENRICHMENTS, GRAPH_READS } from '../../graph/reads.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import { pathsOverlap } from '../../util/path.js';

/**
 * Which config paths of which types the loaded policies read: a per-resource enrichment call is made
 * only when its path overlaps one of them. `all` (the `collect` command, drift, snapshots) reads
 * everything.
 */
export interface Demand {
  needs(type: string, path: string): boolean;
}

export const ALL: Demand = { needs: () => true };

export function demandFromPolicies(policies: readonly CompiledPolicy[]): Demand {
  const byType = new Map<string, Set<string>>();
  for (const p of policies) {
    for (const type of p.resourceTypes) {
      const set = byType.get(type) ?? new Set<string>();
      for (const path of p.paths) set.add(path);
      byType.set(type, set);
    }
    if (p.paths.includes(GRAPH_READS)) {
      for (const [type, paths] of Object.entries(GRAPH_ENRICHMENTS)) {
        const set = byType.get(type) ?? new Set<string>();
        for (const path of paths) set.add(path);
        byType.set(type, set);
      }
    }
  }
  return {
    needs(type, path) {
      const paths = byType.get(type);
      if (!paths) return false;
      for (const p of paths) if (pathsOverlap(p, path)) return true;
      return false;
    },
  };
}

/** A demand from explicit `type → paths` lists (tests, and callers that know their needs). */
export function demandFromPaths(paths: Record<string, string[]>): Demand {
  return {
    needs: (type, path) => (paths[type] ?? []).some((p) => pathsOverlap(p, path)),
  };
}
