import { type GraphFacts, graphFactsFor } from '../graph/facts/index.js';
import { InventoryIndex } from '../model/inventory-index.js';
import type { Resource } from '../model/resource.js';
import { pathsOverlap, plainPath } from '../util/path.js';
import type { Verdict } from './verdict.js';

/**
 * What a filter may ask about the resource under evaluation beyond its config: whether a path's
 * value is known (IaC) and readable (live). Built once per resource, shared by all policies.
 */
export class EvalContext {
  // Normalised on first use: most resources are never asked about an undecided path.
  private unknownCache: string[] | undefined;
  private errorCache: { path: string; message: string }[] | undefined;

  constructor(
    readonly resource: Resource,
    readonly now: Date,
    /** Every resource of the scan, for filters that look beyond the resource (account-wide, graph). */
    readonly inventory: InventoryIndex = InventoryIndex.EMPTY,
  ) {}

  /** The relationship graph and derived facts of the scan (built by scan.ts, or here on first use). */
  get graph(): GraphFacts {
    return graphFactsFor(this.inventory.resources);
  }

  /** A context for another resource of the same scan, for conditions on the nodes a path reaches. */
  at(resource: Resource): EvalContext {
    return new EvalContext(resource, this.now, this.inventory);
  }

  private get unknownPaths(): string[] {
    this.unknownCache ??= (this.resource.unknown ?? []).map(plainPath);
    return this.unknownCache;
  }

  private get errorPaths(): { path: string; message: string }[] {
    this.errorCache ??= (this.resource.errors ?? []).map((e) => ({
      path: plainPath(e.path),
      message: `${e.code}: ${e.message}`,
    }));
    return this.errorCache;
  }

  /**
   * The undecided verdict for these plain paths, if any of them is unreadable (error wins) or
   * not known until apply; undefined when all are readable and known.
   */
  undecided(paths: readonly string[], containerOnly = false): Verdict | undefined {
    if (!this.resource.unknown?.length && !this.resource.errors?.length) return undefined;
    // containerOnly: the caller looks at the value's shape (present, empty, size), so a value missing
    // deeper inside it does not matter; only the path itself or one above it being undecided does.
    const hits = (recorded: string, p: string) =>
      containerOnly ? isAtOrAbove(recorded, p) : pathsOverlap(recorded, p);
    if (this.errorPaths.length > 0) {
      for (const p of paths) {
        const hit = this.errorPaths.find((e) => hits(e.path, p));
        if (hit)
          return {
            truth: 'error',
            evidence: [{ path: hit.path }],
            reason: `could not read ${hit.path} (${hit.message})`,
          };
      }
    }
    if (this.unknownPaths.length > 0) {
      for (const p of paths) {
        const hit = this.unknownPaths.find((u) => hits(u, p));
        if (hit)
          return { truth: 'unknown', evidence: [{ path: hit }], reason: `${hit} is known only after apply` };
      }
    }
    return undefined;
  }
}

/** True when `recorded` is `path` or one of its ancestors. */
function isAtOrAbove(recorded: string, path: string): boolean {
  return recorded === path || recorded === '' || (path.startsWith(recorded) && path[recorded.length] === '.');
}
