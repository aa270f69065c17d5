import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { toCallError } from './call-error.js';
import type { CallStats } from './call-stats.js';
import { countingPlugin, instrumentClient } from './call-stats.js';
import { baseClientConfig, type ClientSettings, type Credentials } from './clients.js';
import type { AwsCallError, AwsTarget } from './types.js';

/** How the user asked to reach the accounts (CLI `--profile`, `--assume-role`, `--org-role`, `--regions`). */
export interface AccessOptions {
  profile?: string;
  assumeRoles?: string[];
  orgRole?: string;
  regions?: string[];
  /** Region for the account-level calls (STS, Organizations, DescribeRegions). */
  homeRegion?: string;
  /** Fixed base credentials instead of the default chain (tests; embedding). */
  credentials?: Credentials;
}

export interface ResolvedTarget extends AwsTarget {
  credentials: Credentials | undefined;
  partition: string;
  /** Regions asked for but not enabled in the account (opt-in regions not opted in). */
  skippedRegions: string[];
}

/** A target that could not be reached (role not assumable, no credentials): reported, the scan goes on. */
export interface TargetFailure {
  via: string;
  account?: string;
  error: AwsCallError;
}

export function homeRegionOf(opts: AccessOptions): string {
  return opts.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

function client<C>(
  ctor: new (config: Record<string, unknown>) => C,
  region: string,
  credentials: Credentials | undefined,
  settings: ClientSettings,
  stats: CallStats,
): C {
  const c = new ctor(baseClientConfig(region, credentials, settings));
  instrumentClient(c as unknown as Parameters<typeof instrumentClient>[0], stats);
  return c;
}

function baseCredentials(opts: AccessOptions): Credentials {
  if (opts.credentials) return opts.credentials;
  return fromNodeProviderChain(opts.profile ? { profile: opts.profile } : {});
}

/**
 * Shares one set of temporary credentials between every client of an account (the SDK memoizes per
 * client, which would mean one AssumeRole per service and region), refreshed 5 minutes before expiry.
 * A failed attempt is not cached, so a later call tries again.
 */
export function shareCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let cached: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return () => {
    if (cached && Date.now() < expiresAt - 300_000) return cached;
    expiresAt = Number.POSITIVE_INFINITY;
    const pending: Promise<AwsCredentialIdentity> = provider().then(
      (c) => {
        expiresAt = c.expiration ? c.expiration.getTime() : Number.POSITIVE_INFINITY;
        return c;
      },
      (err: unknown) => {
        if (cached === pending) cached = undefined;
        throw err;
      },
    );
    cached = pending;
    return pending;
  };
}

function assumed(
  roleArn: string,
  master: Credentials,
  region: string,
  settings: ClientSettings,
  stats: CallStats,
): Credentials {
  return shareCredentials(
    fromTemporaryCredentials({
      // AssumeRole calls count in the summary like every other call.
      clientPlugins: [countingPlugin('sts', stats) as never],
      params: { RoleArn: roleArn, RoleSessionName: 'warden-scan', DurationSeconds: 3600 },
      masterCredentials: master as never,
      clientConfig: {
        region,
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      },
    }),
  );
}

async function identify(
  via: string,
  credentials: Credentials,
  region: string,
  settings: ClientSettings,
  stats: CallStats,
): Promise<{ accountId: string; partition: string }> {
  const sts = client(STSClient, region, credentials, settings, stats);
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    const arn = out.Arn ?? '';
    const accountId = out.Account ?? '';
    if (!/^\d{12}$/.test(accountId))
      throw new Error(`unexpected account id from GetCallerIdentity for ${via}`);
    return { accountId, partition: /^arn:([a-z-]+):/.exec(arn)?.[1] ?? 'aws' };
  } finally {
    sts.destroy();
  }
}

/** Enabled regions of the account; the requested ones that are not enabled are returned as skipped. */
/** Regions of another partition (GovCloud, China) are never reachable with this partition's credentials. */
function inPartition(region: string, partition: string): boolean {
  if (partition === 'aws-us-gov') return region.startsWith('us-gov-');
  if (partition === 'aws-cn') return region.startsWith('cn-');
  return !region.startsWith('us-gov-') && !region.startsWith('cn-');
}

async function regionsOf(
  partition: string,
  requested: string[] | undefined,
  credentials: Credentials,
  region: string,
  settings: ClientSettings,
  stats: CallStats,
): Promise<{ regions: string[]; skipped: string[] }> {
  const ec2 = client(EC2Client, region, credentials, settings, stats);
  try {
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    const enabled = new Set(
      (out.Regions ?? [])
        .filter(
          (r) => r.RegionName && r.OptInStatus !== 'not-opted-in' && inPartition(r.RegionName, partition),
        )
        .map((r) => r.RegionName as string),
    );
    if (!requested) return { regions: [...enabled].sort(), skipped: [] };
    return {
      regions: requested.filter((r) => enabled.has(r)),
      skipped: requested.filter((r) => !enabled.has(r)),
    };
  } catch (err) {
    // Without DescribeRegions we trust the user's list; with neither we cannot guess.
    if (requested) return { regions: requested, skipped: [] };
    throw err;
  } finally {
    ec2.destroy();
  }
}

async function orgAccounts(
  master: Credentials,
  region: string,
  settings: ClientSettings,
  stats: CallStats,
): Promise<string[]> {
  const org = client(OrganizationsClient, region, master, settings, stats);
  try {
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: org }, {})) {
      for (const a of page.Accounts ?? []) if (a.Id && a.Status === 'ACTIVE') ids.push(a.Id);
    }
    return ids;
  } finally {
    org.destroy();
  }
}

/**
 * Resolves every account to scan: the default chain (or `--profile`) alone, or each `--assume-role`
 * ARN, or every active account of the organization through `--org-role`. Each target gets its
 * account id from STS and its enabled regions from EC2; one that fails is reported, not fatal.
 */
export async function resolveTargets(
  opts: AccessOptions,
  settings: ClientSettings,
  stats: CallStats,
): Promise<{ targets: ResolvedTarget[]; failures: TargetFailure[] }> {
  const home = homeRegionOf(opts);
  const master = baseCredentials(opts);
  const wanted: { via: string; credentials: Credentials }[] = [];
  const failures: TargetFailure[] = [];
  if (opts.orgRole) {
    let ids: string[] = [];
    try {
      ids = await orgAccounts(master, home, settings, stats);
    } catch (err) {
      failures.push({
        via: 'organizations',
        error: toCallError(err, 'organizations', ListAccountsCommand.name),
      });
    }
    const { partition } = await identify('default chain', master, home, settings, stats).catch(() => ({
      partition: 'aws',
    }));
    for (const id of ids) {
      const arn = `arn:${partition}:iam::${id}:role/${opts.orgRole}`;
      wanted.push({ via: `org-role ${arn}`, credentials: assumed(arn, master, home, settings, stats) });
    }
  }
  for (const arn of opts.assumeRoles ?? []) {
    wanted.push({ via: `assume-role ${arn}`, credentials: assumed(arn, master, home, settings, stats) });
  }
  if (wanted.length === 0) {
    wanted.push({ via: opts.profile ? `profile ${opts.profile}` : 'default chain', credentials: master });
  }
  const targets: ResolvedTarget[] = [];
  const seen = new Set<string>();
  for (const w of wanted) {
    try {
      const { accountId, partition } = await identify(w.via, w.credentials, home, settings, stats);
      if (seen.has(accountId)) continue;
      seen.add(accountId);
      const { regions, skipped } = await regionsOf(
        partition,
        opts.regions,
        w.credentials,
        home,
        settings,
        stats,
      );
      targets.push({
        accountId,
        via: w.via,
        regions,
        credentials: w.credentials,
        partition,
        skippedRegions: skipped,
      });
    } catch (err) {
      const accountId = /::(\d{12}):/.exec(w.via)?.[1];
      failures.push({
        via: w.via,
        ...(accountId ? { account: accountId } : {}),
        error: toCallError(
          err,
          'sts',
          w.via.startsWith('profile') || w.via === 'default chain' ? 'GetCallerIdentity' : 'AssumeRole',
        ),
      });
    }
  }
  return { targets, failures };
}
