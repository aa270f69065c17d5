import type { Inventory } from '../../src/model/resource.js';
import { loadPolicies } from '../../src/policy/load.js';
import { type AwsCollection, collectAws } from '../../src/sources/aws/collect.js';
import { ALL, type Demand, demandFromPolicies } from '../../src/sources/aws/demand.js';
import type { Collector } from '../../src/sources/aws/types.js';
import { FAKE_CREDENTIALS } from './moto.js';

export interface CollectWithOptions {
  regions: string[];
  /** Collect in this moto account (reached by AssumeRole) instead of moto's default 123456789012. */
  account?: string;
  /** Collect every enrichment (as `warden collect` does) instead of what the built-in policies read. */
  needsAll?: boolean;
  /** An explicit demand; wins over needsAll. */
  demand?: Demand;
  /** Retries per call (default 8, as the CLI). */
  maxAttempts?: number;
}

/** Runs collectors through the real framework against moto and returns the whole collection. */
export async function collectFull(
  endpoint: string,
  collectors: readonly Collector[],
  opts: CollectWithOptions,
): Promise<AwsCollection> {
  const demand =
    opts.demand ?? (opts.needsAll ? ALL : demandFromPolicies(loadPolicies({ builtIn: true }).compiled));
  return collectAws({
    endpoint,
    credentials: FAKE_CREDENTIALS,
    regions: opts.regions,
    homeRegion: 'us-east-1',
    ...(opts.account ? { assumeRoles: [`arn:aws:iam::${opts.account}:role/WardenAudit`] } : {}),
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
    demand,
    collectors,
  });
}

/** The inventory only: collector tests are one-liners. */
export async function collectWith(
  endpoint: string,
  collectors: readonly Collector[],
  opts: CollectWithOptions,
): Promise<Inventory> {
  return (await collectFull(endpoint, collectors, opts)).inventory;
}
