import { emptyInventory, type Inventory } from '../../model/resource.js';
import { toCallError } from './call-error.js';
import { CallStats, type CallStatsJson } from './call-stats.js';
import { ClientFactory } from './clients.js';
import type { Demand } from './demand.js';
import { Limiter, mapLimit } from './limiter.js';
import {
  type AccessOptions,
  homeRegionOf,
  type ResolvedTarget,
  resolveTargets,
  type TargetFailure,
} from './targets.js';
import type { AwsCallError, Collector, CollectorContext } from './types.js';

/**
 * Orchestrates a live collection: accounts × regions × collectors with bounded concurrency. Nothing
 * here throws for an AWS-side problem: an unreachable account, a disabled region or a denied list
 * call is recorded and the rest of the scan goes on.
 */
export interface AwsCollectOptions extends AccessOptions {
  /** `--endpoint-url`. */
  endpoint?: string;
  demand: Demand;
  collectors: readonly Collector[];
  maxAttempts?: number;
  accountConcurrency?: number;
  regionConcurrency?: number;
  now?: Date;
  /**
   * Accounts already resolved (watch mode re-reads many times; resolving again would cost STS calls
   * per event). Regions narrowed by the caller are respected.
   */
  resolved?: { targets: ResolvedTarget[]; failures: TargetFailure[] };
  /** Called after each (account, region) finishes; the CLI draws its TTY progress from it. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface RegionReport {
  region: string;
  durationMs: number;
  resources: number;
}

export interface AccountReport {
  accountId: string;
  via: string;
  regions: RegionReport[];
  skippedRegions: string[];
  durationMs: number;
}

export interface UnreachableTarget {
  via: string;
  account?: string;
  code: string;
  message: string;
  iamAction?: string;
}

export interface CollectionFailure {
  account: string;
  region: string;
  service: string;
  operation: string;
  code: string;
  message: string;
  iamAction?: string;
  /** The type that could not be inventoried, when the collector said which. */
  resourceType?: string;
}

export interface AwsCollection {
  inventory: Inventory;
  accounts: AccountReport[];
  unreachable: UnreachableTarget[];
  failures: CollectionFailure[];
  stats: CallStatsJson;
}

/** Per-service concurrency for per-resource calls, per account and region (AWS's limits are per region). */
const SERVICE_CONCURRENCY: Record<string, number> = { iam: 4, s3: 16, ec2: 8 };
const DEFAULT_CONCURRENCY = 8;

function failureOf(account: string, region: string, err: AwsCallError): CollectionFailure {
  return {
    account,
    region,
    service: err.service,
    operation: err.operation,
    code: err.code,
    message: err.message,
    ...(err.iamAction ? { iamAction: err.iamAction } : {}),
    ...(err.resourceType ? { resourceType: err.resourceType } : {}),
  };
}

function settingsOf(opts: Pick<AwsCollectOptions, 'endpoint' | 'maxAttempts'>) {
  return {
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    maxAttempts: opts.maxAttempts ?? 8,
  };
}

/** The accounts and regions a collection would read, resolved once (see `resolved`). */
export async function resolveAwsTargets(
  opts: AccessOptions & Pick<AwsCollectOptions, 'endpoint' | 'maxAttempts'>,
): Promise<{ targets: ResolvedTarget[]; failures: TargetFailure[] }> {
  return resolveTargets(opts, settingsOf(opts), new CallStats());
}

export async function collectAws(opts: AwsCollectOptions): Promise<AwsCollection> {
  const stats = new CallStats();
  const settings = settingsOf(opts);
  const { targets, failures: targetFailures } =
    opts.resolved ?? (await resolveTargets(opts, settings, stats));
  const inventory = emptyInventory();
  const failures: CollectionFailure[] = [];
  const accounts: AccountReport[] = [];
  const now = opts.now ?? new Date();
  const home = homeRegionOf(opts);
  const regional = opts.collectors.filter((c) => c.scope === 'regional');
  const global = opts.collectors.filter((c) => c.scope === 'global');
  const total = targets.reduce((n, t) => n + t.regions.length + (global.length > 0 ? 1 : 0), 0);
  let done = 0;

  const runTarget = async (target: ResolvedTarget): Promise<void> => {
    const started = performance.now();
    const factory = new ClientFactory(target.accountId, target.credentials, settings, stats);
    const limiters = new Map<string, Limiter>();
    const report: AccountReport = {
      accountId: target.accountId,
      via: target.via,
      regions: [],
      skippedRegions: target.skippedRegions,
      durationMs: 0,
    };
    const contextFor = (region: string): CollectorContext => ({
      account: target.accountId,
      region,
      partition: target.partition,
      now,
      client: (ctor, r) => factory.get(ctor, r ?? (region === 'global' ? home : region)),
      limit: (service, fn) => {
        const key = `${region}|${service}`;
        let l = limiters.get(key);
        if (!l) {
          l = new Limiter(SERVICE_CONCURRENCY[service] ?? DEFAULT_CONCURRENCY);
          limiters.set(key, l);
        }
        return l.run(fn);
      },
      needs: (type, path) => opts.demand.needs(type, path),
      toCallError,
    });
    const runRegion = async (region: string, collectors: Collector[]): Promise<void> => {
      const t0 = performance.now();
      const ctx = contextFor(region);
      let count = 0;
      await Promise.all(
        collectors.map(async (c) => {
          try {
            const out = await c.collect(ctx);
            inventory.resources.push(...out.resources);
            count += out.resources.length;
            for (const f of out.failures) failures.push(failureOf(target.accountId, region, f));
          } catch (err) {
            // A collector that throws loses only its own types; the error is reported like a denied call.
            const e = toCallError(err, c.service, 'collect');
            e.resourceType ??= c.types.join(',');
            failures.push(failureOf(target.accountId, region, e));
          }
        }),
      );
      report.regions.push({ region, durationMs: Math.round(performance.now() - t0), resources: count });
      done++;
      opts.onProgress?.(done, total, `${target.accountId}/${region}`);
    };
    try {
      if (global.length > 0) await runRegion('global', global);
      await mapLimit(target.regions, opts.regionConcurrency ?? 4, (region) => runRegion(region, regional));
    } finally {
      factory.destroy();
    }
    report.regions.sort((a, b) => a.region.localeCompare(b.region));
    report.durationMs = Math.round(performance.now() - started);
    accounts.push(report);
  };

  await mapLimit(targets, opts.accountConcurrency ?? 2, runTarget);
  accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  // Stable output whatever the completion order: by account, region, type, id.
  inventory.resources.sort(
    (a, b) =>
      a.account.localeCompare(b.account) ||
      a.region.localeCompare(b.region) ||
      a.type.localeCompare(b.type) ||
      a.id.localeCompare(b.id),
  );
  return {
    inventory,
    accounts,
    unreachable: targetFailures.map((f) => ({
      via: f.via,
      ...(f.account ? { account: f.account } : {}),
      code: f.error.code,
      message: f.error.message,
      ...(f.error.iamAction ? { iamAction: f.error.iamAction } : {}),
    })),
    failures: failures.sort(
      (a, b) =>
        a.account.localeCompare(b.account) ||
        a.region.localeCompare(b.region) ||
        a.operation.localeCompare(b.operation),
    ),
    stats: stats.toJSON(),
  };
}
