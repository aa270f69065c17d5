import type { TouchedResource } from '../events/types.js';
import { graphFactsFor } from '../graph/facts/index.js';
import { linkResources } from '../graph/link.js';
import type { Inventory, Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import { evaluate } from '../policy/evaluate.js';
import type { PolicySet } from '../policy/load.js';
import { matchesTouched } from '../sources/aws/refresh.js';
import { type VersionedResource, versionOf } from '../store/resource-versions.js';
import { AffectedPolicies } from './affected.js';
import { diffFindings, type FindingChange } from './diff.js';

/** A re-read of the resources one event touched (absent from `fresh`: gone). */
export interface Replacement {
  account: string;
  touched: readonly TouchedResource[];
  fresh: readonly Resource[];
}

/** Rewrites fresh results before they are kept and diffed (stored suppressions turn failures into `exempt`). */
export type ResultFilter = (results: Result[], resources: readonly Resource[]) => Result[];

/** What one `apply` changed: the findings for the reader, and the rest for the store. */
export interface Applied {
  changes: FindingChange[];
  policies: number;
  /** The re-read resources, hashed as collected (before the link stage enriched them). */
  versions: VersionedResource[];
  /** Resources the re-reads found gone (their last known state). */
  gone: Resource[];
  /** Results of the re-evaluated policies that are new or differ in any way, and fingerprints no longer produced. */
  results: { upsert: Result[]; removed: string[] };
}

/** Everything a stored result holds (src/store/scans.ts `results`). */
function resultShape(r: Result): string {
  return JSON.stringify([r.status, r.severity, r.message, r.evidence, r.reason ?? null, r.path ?? null]);
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
  /** What the last `apply` replaced, so a message whose effect could not be stored is applied again on redelivery. */
  private undo: { resources: Resource[]; results: Map<string, Result[]> } | undefined;

  constructor(
    private readonly inventory: Inventory,
    private readonly policies: PolicySet,
    initial: readonly Result[],
    private readonly filter: ResultFilter = (results) => results,
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
  apply(replacements: readonly Replacement[], now = new Date()): Applied {
    this.undo = { resources: this.resources, results: new Map(this.results) };
    const touched = replacements.flatMap((r) => r.touched);
    if (touched.length === 0)
      return { changes: [], policies: 0, versions: [], gone: [], results: { upsert: [], removed: [] } };
    let next = this.resources;
    const removed = new Map<string, Resource>();
    const versions = new Map<string, VersionedResource>();
    for (const rep of replacements) {
      const fresh = new Set(rep.fresh.map((r) => r.id));
      next = next.filter((r) => {
        const keep = !fresh.has(r.id) && !rep.touched.some((t) => matchesTouched(r, t, rep.account));
        if (!keep) removed.set(r.id, r);
        return keep;
      });
      // Hashed now: linking below copies related resources' data into them.
      for (const r of rep.fresh) versions.set(r.id, versionOf(r));
      next.push(...rep.fresh);
    }
    const gone = [...removed.values()].filter((r) => !versions.has(r.id));
    // A new array: the graph facts are cached per resource list, so this rebuilds the graph.
    this.resources = next;
    linkResources(next);
    graphFactsFor(next);
    const ids = this.affected.for(touched);
    const compiled = this.policies.compiled.filter((p) => ids.has(p.id));
    const after = this.filter(evaluate(compiled, this.currentInventory(), { now }), next);
    const byPolicy = new Map<string, Result[]>(compiled.map((p) => [p.id, []]));
    for (const r of after) byPolicy.get(r.policy)?.push(r);
    const changes: FindingChange[] = [];
    const upsert: Result[] = [];
    const dropped: string[] = [];
    for (const [id, results] of byPolicy) {
      const before = this.results.get(id) ?? [];
      changes.push(...diffFindings(before, results));
      const old = new Map(before.map((r) => [r.fingerprint, resultShape(r)]));
      for (const r of results) {
        if (old.get(r.fingerprint) !== resultShape(r)) upsert.push(r);
        old.delete(r.fingerprint);
      }
      dropped.push(...old.keys());
      this.results.set(id, results);
    }
    return {
      changes,
      policies: compiled.length,
      versions: [...versions.values()],
      gone,
      results: { upsert, removed: dropped },
    };
  }

  /**
   * Forgets the last `apply` (its effect could not be written): the redelivered message then finds
   * the same changes instead of an already-updated state.
   */
  rollback(): void {
    if (!this.undo) return;
    this.resources = this.undo.resources;
    this.results.clear();
    for (const [id, results] of this.undo.results) this.results.set(id, results);
    this.undo = undefined;
  }

  /** A full rescan's results replace everything (the `--full-every` safety net); returns the diff. */
  replaceAll(inventory: Inventory, results: readonly Result[]): FindingChange[] {
    this.undo = undefined;
    const before = this.allResults();
    this.resources = [...inventory.resources];
    this.results.clear();
    for (const p of this.policies.compiled) this.results.set(p.id, []);
    for (const r of results) this.results.get(r.policy)?.push(r);
    return diffFindings(before, results);
  }
}
