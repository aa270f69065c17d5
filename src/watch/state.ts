import type { TouchedResource } from '../events/types.js';
import { graphFactsFor } from '../graph/facts/index.js';
import { linkResources } from '../graph/link.js';
import type { Inventory, Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import { evaluate } from '../policy/evaluate.js';
import type { PolicySet } from '../policy/load.js';
import { matchesTouched } from '../sources/aws/refresh.js';
import { AffectedPolicies } from './affected.js';
import { diffFindings, type FindingChange } from './diff.js';

/** A re-read of the resources one event touched (absent from `fresh`: gone). */
export interface Replacement {
  account: string;
  touched: readonly TouchedResource[];
  fresh: readonly Resource[];
}

/**
 * The watch loop's memory: the inventory and the results of every policy on it. Changes replace the
 * touched resources, then only the affected policies run again on the whole inventory and their
 * findings are diffed by fingerprint. Pure (no I/O), so the incremental logic is tested without AWS.
 */
export class LiveState {
  private resources: Resource[];
  private readonly results = new Map<string, Result[]>();
  private readonly affected: AffectedPolicies;

  constructor(
    private readonly inventory: Inventory,
    private readonly policies: PolicySet,
    initial: readonly Result[],
  ) {
    this.resources = [...inventory.resources];
    this.affected = new AffectedPolicies(policies.definitions);
    for (const p of policies.compiled) this.results.set(p.id, []);
    for (const r of initial) this.results.get(r.policy)?.push(r);
  }

  get size(): number {
    return this.resources.length;
  }

  allResults(): Result[] {
    return [...this.results.values()].flat();
  }

  currentInventory(): Inventory {
    return { ...this.inventory, resources: this.resources };
  }

  /** Applies re-reads, re-evaluates the affected policies and returns what changed. */
  apply(
    replacements: readonly Replacement[],
    now = new Date(),
  ): { changes: FindingChange[]; policies: number } {
    const touched = replacements.flatMap((r) => r.touched);
    if (touched.length === 0) return { changes: [], policies: 0 };
    let next = this.resources;
    for (const rep of replacements) {
      const fresh = new Set(rep.fresh.map((r) => r.id));
      next = next.filter(
        (r) => !fresh.has(r.id) && !rep.touched.some((t) => matchesTouched(r, t, rep.account)),
      );
      next.push(...rep.fresh);
    }
    // A new array: the graph facts are cached per resource list, so this rebuilds the graph.
    this.resources = next;
    linkResources(next);
    graphFactsFor(next);
    const ids = this.affected.for(touched);
    const compiled = this.policies.compiled.filter((p) => ids.has(p.id));
    const after = evaluate(compiled, this.currentInventory(), { now });
    const byPolicy = new Map<string, Result[]>(compiled.map((p) => [p.id, []]));
    for (const r of after) byPolicy.get(r.policy)?.push(r);
    const changes: FindingChange[] = [];
    for (const [id, results] of byPolicy) {
      changes.push(...diffFindings(this.results.get(id) ?? [], results));
      this.results.set(id, results);
    }
    return { changes, policies: compiled.length };
  }

  /** A full rescan's results replace everything (the `--full-every` safety net); returns the diff. */
  replaceAll(inventory: Inventory, results: readonly Result[]): FindingChange[] {
    const before = this.allResults();
    this.resources = [...inventory.resources];
    this.results.clear();
    for (const p of this.policies.compiled) this.results.set(p.id, []);
    for (const r of results) this.results.get(r.policy)?.push(r);
    return diffFindings(before, results);
  }
}
