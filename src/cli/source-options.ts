import { type Command, InvalidArgumentError } from 'commander';
import type { Inventory } from '../model/resource.js';
import { mergeInventories } from '../model/resource.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { AwsCollection } from '../sources/aws/collect.js';
import type { CollectionSummaryInput } from '../sources/aws/summary.js';
import { formatCollectionSummary } from '../sources/aws/summary.js';
import { loadInputs } from '../sources/index.js';
import { isSnapshotPath, snapshotInventory } from '../sources/snapshot/index.js';
import { InputError } from '../util/errors.js';
import { collect } from './options.js';

/**
 * The source options every command that reads resources shares (`scan`, `collect`, later `report`,
 * `graph`, `drift`, `remediate`): IaC paths, live AWS (`--aws` and how to reach the accounts) and
 * inventory snapshots.
 */
export interface SourceOptions {
  aws?: boolean;
  profile?: string;
  regions?: string[];
  assumeRole?: string[];
  orgRole?: string;
  endpointUrl?: string;
  /** `true`, or the name of a Config aggregator. */
  viaConfig?: boolean | string;
  snapshot?: string[];
}

function parseRegions(value: string): string[] {
  const regions = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const r of regions) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) throw new InvalidArgumentError(`not an AWS region: "${r}"`);
  }
  if (regions.length === 0) throw new InvalidArgumentError('expected a comma-separated list of regions');
  return regions;
}

function parseRoleArn(value: string, previous: string[] = []): string[] {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(value)) {
    throw new InvalidArgumentError(`not an IAM role ARN: "${value}"`);
  }
  return collect(value, previous);
}

function parseRoleName(value: string): string {
  if (!/^[\w+=,.@-]{1,64}$/.test(value)) throw new InvalidArgumentError(`not an IAM role name: "${value}"`);
  return value;
}

function parseEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('expected an http(s) URL');
  return value;
}

export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--aws', 'read live AWS accounts (default credential chain unless told otherwise)')
    .option('--profile <name>', 'AWS shared-config profile to start from')
    .option(
      '--regions <list>',
      'comma-separated regions (default: every region enabled in the account)',
      parseRegions,
    )
    .option(
      '--assume-role <arn>',
      'scan the account of this role (repeatable: one account each)',
      parseRoleArn,
    )
    .option(
      '--org-role <name>',
      'scan every account of the AWS Organization through this role name',
      parseRoleName,
    )
    .option('--endpoint-url <url>', 'AWS API endpoint override (AWS_ENDPOINT_URL also works)', parseEndpoint)
    .option(
      '--via-config [aggregator]',
      'read EC2/VPC resources from AWS Config (SelectResourceConfig), or from this aggregator for a whole organization',
    )
    .option(
      '--snapshot <file>',
      'read an inventory snapshot written by `warden collect` (repeatable)',
      collect,
    );
}

/** What the loaded sources were, for the summary; `live` when any live or snapshot collection ran. */
export interface LoadedSources {
  inventory: Inventory;
  collection?: CollectionSummaryInput;
}

export function wantsLive(opts: SourceOptions): boolean {
  return !!(
    opts.aws ||
    opts.profile ||
    opts.regions ||
    opts.assumeRole ||
    opts.orgRole ||
    opts.endpointUrl ||
    opts.viaConfig
  );
}

/** `undefined` to collect everything (collect, drift), or the policies whose paths drive enrichment. */
export interface LoadSourcesContext {
  policies?: readonly CompiledPolicy[];
  now?: Date;
}

function progressReporter(): ((done: number, total: number, label: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total, label) => {
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}\x1b[K`,
    );
    if (done === total) process.stderr.write('\r\x1b[K');
  };
}

export async function collectLive(opts: SourceOptions, ctx: LoadSourcesContext): Promise<AwsCollection> {
  // The SDK warns about future Node versions on stderr; a scan's stderr is for its own summary.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [{ collectAws }, { COLLECTORS }, { ALL, demandFromPolicies }, ec2, viaConfig] = await Promise.all([
    import('../sources/aws/collect.js'),
    import('../sources/aws/collectors/index.js'),
    import('../sources/aws/demand.js'),
    import('../sources/aws/collectors/ec2/index.js'),
    import('../sources/aws/via-config/collector.js'),
  ]);
  // With --via-config, AWS Config answers for the types it records; the EC2 API still lists what
  // Config does not record (owned snapshots and AMIs, key pairs).
  const collectors = opts.viaConfig
    ? [
        ...COLLECTORS.filter((c) => c !== ec2.ec2Collector),
        ec2.makeEc2Collector(['aws.ec2.key-pair', 'aws.ec2.snapshot', 'aws.ec2.image']),
        viaConfig.makeConfigCollector(typeof opts.viaConfig === 'string' ? opts.viaConfig : undefined),
      ]
    : COLLECTORS;
  const onProgress = progressReporter();
  return collectAws({
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.regions ? { regions: opts.regions } : {}),
    ...(opts.assumeRole ? { assumeRoles: opts.assumeRole } : {}),
    ...(opts.orgRole ? { orgRole: opts.orgRole } : {}),
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    ...(ctx.now ? { now: ctx.now } : {}),
    ...(onProgress ? { onProgress } : {}),
    demand: ctx.policies ? demandFromPolicies(ctx.policies) : ALL,
    collectors,
  });
}

const NO_CALLS: CollectionSummaryInput['stats'] = {
  operations: [],
  totals: { calls: 0, attempts: 0, retries: 0, throttles: 0, errors: 0 },
};

function mergeSummaries(
  parts: CollectionSummaryInput[],
  resources: Inventory['resources'],
): CollectionSummaryInput {
  const ops = new Map<string, CollectionSummaryInput['stats']['operations'][number]>();
  for (const p of parts) {
    for (const o of p.stats.operations) {
      const k = `${o.service}:${o.operation}`;
      const e = ops.get(k);
      if (!e) ops.set(k, { ...o });
      else {
        e.calls += o.calls;
        e.attempts += o.attempts;
        e.throttles += o.throttles;
        e.errors += o.errors;
      }
    }
  }
  const sum = (f: (t: CollectionSummaryInput['stats']['totals']) => number) =>
    parts.reduce((n, p) => n + f(p.stats.totals), 0);
  return {
    accounts: parts.flatMap((p) => p.accounts),
    unreachable: parts.flatMap((p) => p.unreachable),
    failures: parts.flatMap((p) => p.failures),
    stats: {
      operations: [...ops.values()],
      totals: {
        calls: sum((t) => t.calls),
        attempts: sum((t) => t.attempts),
        retries: sum((t) => t.retries),
        throttles: sum((t) => t.throttles),
        errors: sum((t) => t.errors),
      },
    },
    resources: resources.filter((r) => r.source.kind === 'live' || r.source.kind === 'snapshot'),
  };
}

/**
 * Loads every source the options name into one inventory. IaC paths and snapshots are read first (a
 * bad file fails before any AWS call), then the live accounts.
 */
export async function loadSources(
  paths: readonly string[],
  opts: SourceOptions,
  ctx: LoadSourcesContext = {},
): Promise<LoadedSources> {
  const live = wantsLive(opts);
  const snapshotFiles = [...(opts.snapshot ?? []), ...paths.filter(isSnapshotPath)];
  const iacPaths = paths.filter((p) => !snapshotFiles.includes(p));
  if (iacPaths.length === 0 && snapshotFiles.length === 0 && !live) {
    throw new InputError(
      'no input: name a Terraform directory, plan/state JSON, CloudFormation template or snapshot, or use --aws',
    );
  }
  const parts: Inventory[] = [];
  const summaries: CollectionSummaryInput[] = [];
  if (iacPaths.length > 0) parts.push(await loadInputs(iacPaths));
  for (const file of snapshotFiles) {
    const snap = (await import('../sources/snapshot/read.js')).readSnapshotFile(file);
    const inv = snapshotInventory(snap, file);
    parts.push(inv);
    // A hand-written snapshot (test scenarios) says nothing about how it was collected: no summary.
    if (!snap.accounts && !snap.stats) continue;
    summaries.push({
      accounts: snap.accounts ?? [],
      unreachable: snap.stats?.unreachable ?? [],
      failures: snap.stats?.failures ?? [],
      stats: snap.stats?.api ?? NO_CALLS,
      resources: inv.resources,
    });
  }
  if (live) {
    const collection = await collectLive(opts, ctx);
    parts.push(collection.inventory);
    summaries.push({ ...collection, resources: collection.inventory.resources });
  }
  const inventory = mergeInventories(parts);
  return {
    inventory,
    ...(summaries.length > 0 ? { collection: mergeSummaries(summaries, inventory.resources) } : {}),
  };
}

/**
 * `loadSources` as every command runs it: the collection summary (accounts, calls, what could not be
 * read) goes to stderr, and live collection that reached no account at all is an input error.
 */
export async function loadSourcesReported(
  paths: readonly string[],
  opts: SourceOptions,
  ctx: LoadSourcesContext = {},
): Promise<LoadedSources> {
  const loaded = await loadSources(paths, opts, ctx);
  const { collection } = loaded;
  if (collection) {
    process.stderr.write(formatCollectionSummary(collection));
    if (collection.accounts.length === 0 && wantsLive(opts)) {
      const why = collection.unreachable[0];
      throw new InputError(
        `no AWS account could be read${why ? `: ${why.via}: ${why.code}: ${why.message}` : ''}`,
      );
    }
  }
  return loaded;
}

/** Whether collection left gaps (types not inventoried, accounts unreachable): those never pass a gate. */
export function hasCollectionGaps(loaded: LoadedSources): boolean {
  const c = loaded.collection;
  return !!c && (c.failures.length > 0 || c.unreachable.length > 0);
}
