import type { TouchedResource } from '../../events/types.js';
import type { Resource } from '../../model/resource.js';
import type { CallStatsJson } from './call-stats.js';
import { type AwsCollectOptions, collectAws } from './collect.js';
import type { ResolvedTarget, TargetFailure } from './targets.js';
import type { Collector, CollectorOutput, RefreshTarget } from './types.js';

/** What a re-read found: per touched resource, its new state (none: it is gone) or why it is unknown. */
export interface RefreshOutcome {
  /** Fresh resources matching the touched ones. */
  resources: Resource[];
  /** Touched resources whose re-read failed: keep the old state, they are not known to be gone. */
  failed: { touched: TouchedResource; code: string; message: string }[];
  /** Touched types no collector produces (nothing to re-read; reported, never guessed). */
  unsupported: TouchedResource[];
  stats: CallStatsJson;
}

/** Does a resource answer to a touched entry (same type, and same ARN or native name; no id: all). */
export function matchesTouched(r: Resource, t: TouchedResource, account: string): boolean {
  if (r.type !== t.type || (account !== '' && r.account !== account)) return false;
  const global = t.region === '' || t.region === 'global';
  if (!global && r.region !== t.region) return false;
  if (t.id === undefined && t.name === undefined) return true;
  if (t.id !== undefined && r.id === t.id) return true;
  const n = t.name;
  return n !== undefined && (r.name === n || r.id.endsWith(`/${n}`) || r.id.endsWith(`:${n}`));
}

/** The resource as the caller (the watch state) holds it now, for field-scoped re-reads. */
export type PreviousState = (t: TouchedResource) => Resource | undefined;

function targetOf(t: TouchedResource, previous: PreviousState | undefined): RefreshTarget {
  const before = t.fields && t.fields.length > 0 ? previous?.(t) : undefined;
  return {
    type: t.type,
    ...(t.id ? { id: t.id } : {}),
    ...(t.name ? { name: t.name } : {}),
    ...(before && t.fields ? { scoped: { fields: t.fields, previous: before } } : {}),
  };
}

/**
 * Wraps a collector so it reads only the touched resources: its targeted `refresh` when it has one,
 * else its whole list call, filtered to the touched ids.
 */
function narrowed(
  c: Collector,
  touched: readonly TouchedResource[],
  account: string,
  previous: PreviousState | undefined,
): Collector {
  return {
    ...c,
    async collect(ctx): Promise<CollectorOutput> {
      const mine = touched.filter((t) => c.scope === 'global' || t.region === ctx.region);
      if (mine.length === 0) return { resources: [], failures: [] };
      const out =
        (await c.refresh?.(
          ctx,
          mine.map((t) => targetOf(t, previous)),
        )) ?? (await c.collect(ctx));
      return {
        resources: out.resources.filter((r) => mine.some((t) => matchesTouched(r, t, account))),
        failures: out.failures,
      };
    },
  };
}

/**
 * Re-reads the resources one change event touched in one account: only the collectors of the touched
 * types run, only in the touched regions, reusing already resolved credentials.
 */
export async function refreshAws(
  opts: Omit<AwsCollectOptions, 'collectors' | 'resolved' | 'onProgress'> & {
    collectors: readonly Collector[];
    resolved: { targets: ResolvedTarget[]; failures: TargetFailure[] };
  },
  account: string,
  touched: readonly TouchedResource[],
  /** The current state of a touched resource: lets events that name their fields re-read only those. */
  previous?: PreviousState,
): Promise<RefreshOutcome> {
  const collectors: Collector[] = [];
  const unsupported: TouchedResource[] = [];
  for (const t of touched) if (!opts.collectors.some((c) => c.types.includes(t.type))) unsupported.push(t);
  for (const c of opts.collectors) {
    const mine = touched.filter((t) => c.types.includes(t.type));
    if (mine.length > 0) collectors.push(narrowed(c, mine, account, previous));
  }
  const regions = new Set(
    touched.filter((t) => t.region !== '' && t.region !== 'global').map((t) => t.region),
  );
  const targets = opts.resolved.targets
    .filter((t) => account === '' || t.accountId === account)
    .map((t) => ({ ...t, regions: t.regions.filter((r) => regions.has(r)) }));
  const empty = { resources: [], failed: [], unsupported, stats: { operations: [], totals: zeroTotals() } };
  if (collectors.length === 0 || targets.length === 0) return empty;
  const run = await collectAws({
    ...opts,
    collectors,
    resolved: { targets, failures: [] },
  });
  const failed: RefreshOutcome['failed'] = [];
  for (const f of run.failures) {
    for (const t of touched) {
      const typeHit = f.resourceType === undefined || f.resourceType.split(',').includes(t.type);
      const regionHit =
        t.region === '' || t.region === 'global' || f.region === t.region || f.region === 'global';
      if (typeHit && regionHit) failed.push({ touched: t, code: f.code, message: f.message });
    }
  }
  return { resources: run.inventory.resources, failed, unsupported, stats: run.stats };
}

function zeroTotals(): CallStatsJson['totals'] {
  return { calls: 0, attempts: 0, retries: 0, throttles: 0, errors: 0 };
}
