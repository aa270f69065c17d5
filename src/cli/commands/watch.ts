import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { affectedPolicies, type ChangeEvent, parseEventText, policiesByType } from '../../events/index.js';
import { loadPolicySet } from '../../policy/load-set.js';
import type { Store } from '../../store/open.js';
import { InputError } from '../../util/errors.js';
import type { WatchFormat } from '../../watch/output.js';
import { EXIT } from '../exit-codes.js';
import { collect, parseParams } from '../options.js';
import { addSourceOptions, collectLive, type SourceOptions } from '../source-options.js';

interface WatchOptions extends SourceOptions {
  awsQueue?: string;
  deadLetterQueue?: string;
  eventsFile?: string[];
  format: WatchFormat;
  fullEvery?: number;
  notify?: string;
  db?: string;
  store: boolean;
  maxMessages?: number;
  maxReceives: number;
  visibilityTimeout: number;
  waitSeconds: number;
  metrics?: string;
  policies?: string[];
  builtin: boolean;
  policy?: string[];
  param?: string[];
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(value: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new InvalidArgumentError(`not a duration like 30m, 24h: "${value}"`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function parseWatchFormat(value: string): WatchFormat {
  if (value === 'jsonl' || value === 'json' || value === 'table') return value;
  throw new InvalidArgumentError('expected jsonl, json or table');
}

function parseQueueUrl(value: string): string {
  try {
    const u = new URL(value);
    if (
      (u.protocol === 'https:' || u.protocol === 'http:') &&
      u.pathname.split('/').filter(Boolean).length === 2
    )
      return value;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError(
    `not an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME): "${value}"`,
  );
}

/** Writes to stdout and resolves once the text is handed to the OS (the message is deleted after). */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(text, (err) => (err ? reject(err) : resolve())),
  );
}

/**
 * Azure and GCP events from files: Warden has no live collectors for those clouds yet, so it cannot
 * re-read the resource. It says which policies the change puts in doubt, and that the verdict waits
 * for the next scan of that cloud, rather than inventing a re-read.
 */
function eventsFromFiles(files: string[]): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(
        `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        file,
      );
    }
    const parsed = parseEventText(text, file);
    for (const o of parsed.outcomes) {
      if (o.kind === 'malformed') process.stderr.write(`warden: malformed event in ${o.where}: ${o.error}\n`);
      if (o.kind === 'change') out.push(o.event);
    }
  }
  return out;
}

async function runWatchCommand(opts: WatchOptions): Promise<number> {
  if (!opts.awsQueue && !opts.eventsFile)
    throw new InputError('watch needs --aws-queue URL (live AWS) or --events-file FILE');
  const policies = await loadPolicySet({
    paths: opts.policies ?? [],
    builtIn: opts.builtin,
    parameters: parseParams(opts.param),
    ...(opts.policy ? { only: opts.policy } : {}),
  });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!opts.awsQueue) {
    const byType = policiesByType(policies.definitions);
    const events = eventsFromFiles(opts.eventsFile ?? []);
    const lines = events.map((event) =>
      JSON.stringify({
        change: 'reevaluation-needed',
        event,
        policies: affectedPolicies(event, byType),
        missing:
          event.provider === 'aws'
            ? 'AWS events from files are not re-read; give --aws-queue for live re-reads'
            : `no live ${event.provider} collector: the resource cannot be re-read, its verdict waits for the next scan of that cloud`,
      }),
    );
    await writeStdout(lines.length > 0 ? `${lines.join('\n')}\n` : '');
    log(`warden: ${events.length} changes need re-evaluation; none could be re-read from these files`);
    return EXIT.ok;
  }
  if (opts.eventsFile) throw new InputError('--events-file and --aws-queue cannot be combined');
  const notify = opts.notify
    ? (await import('../../notify/config.js')).loadNotifyConfig(opts.notify)
    : undefined;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [{ runWatch }, { regionOfQueueUrl }, { COLLECTORS }, { demandFromPolicies }, { resolveAwsTargets }] =
    await Promise.all([
      import('../../watch/run-watch.js'),
      import('../../watch/sqs-queue.js'),
      import('../../sources/aws/collectors/index.js'),
      import('../../sources/aws/demand.js'),
      import('../../sources/aws/collect.js'),
    ]);
  const live: SourceOptions = { ...opts, aws: true };
  const access = {
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.regions ? { regions: opts.regions } : {}),
    ...(opts.assumeRole ? { assumeRoles: opts.assumeRole } : {}),
    ...(opts.orgRole ? { orgRole: opts.orgRole } : {}),
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
  };
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let store: Store | undefined;
  try {
    if (opts.store) {
      const { openStore, resolveDbUrl } = await import('../../store/open.js');
      store = await openStore(resolveDbUrl(opts.db));
    }
    await runWatch({
      queueUrl: opts.awsQueue,
      queueRegion:
        regionOfQueueUrl(opts.awsQueue) ??
        opts.regions?.[0] ??
        process.env.AWS_REGION ??
        process.env.AWS_DEFAULT_REGION ??
        'us-east-1',
      ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
      ...(opts.deadLetterQueue ? { deadLetterUrl: opts.deadLetterQueue } : {}),
      maxReceives: opts.maxReceives,
      visibilityTimeout: opts.visibilityTimeout,
      waitSeconds: opts.waitSeconds,
      ...(opts.maxMessages !== undefined ? { maxMessages: opts.maxMessages } : {}),
      ...(opts.fullEvery !== undefined ? { fullEveryMs: opts.fullEvery } : {}),
      format: opts.format,
      policies,
      collect: () => collectLive(live, { policies: policies.compiled }),
      refreshOptions: { ...access, demand: demandFromPolicies(policies.compiled), collectors: COLLECTORS },
      resolve: () => resolveAwsTargets(access),
      ...(notify ? { notify } : {}),
      ...(store ? { store } : {}),
      ...(opts.metrics ? { metricsFile: opts.metrics } : {}),
      write: writeStdout,
      log,
      signal: controller.signal,
    });
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as Error;
    throw new InputError(`watch failed: ${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    await store?.close();
  }
  return EXIT.ok;
}

export function addWatchCommand(program: Command, setExit: (code: number) => void): void {
  addSourceOptions(
    program
      .command('watch')
      .description(
        'real-time detection: initial scan, then re-read and re-evaluate what each CloudTrail change event touched',
      ),
  )
    .option(
      '--aws-queue <url>',
      'SQS queue fed by EventBridge (CloudTrail API calls) or S3 trail-file notifications',
      parseQueueUrl,
    )
    .option(
      '--dead-letter-queue <url>',
      'where poison and malformed messages go (default: logged and deleted)',
      parseQueueUrl,
    )
    .option(
      '--events-file <file>',
      'Azure Activity Log / GCP audit / CloudTrail events from a file (repeatable)',
      collect,
    )
    .option(
      '--format <format>',
      'jsonl, json (one array at exit) or table',
      parseWatchFormat,
      'jsonl' as WatchFormat,
    )
    .option('--full-every <duration>', 'full rescan as a safety net, e.g. 24h', parseDuration)
    .option('--notify <config>', 'notification config (channels and routes); queued in the store outbox')
    .option('--db <url>', 'store: SQLite file or postgres:// URL (default WARDEN_DB or .warden/warden.db)')
    .option('--no-store', 'do not record scans or the outbox in the store')
    .option(
      '--max-messages <n>',
      'stop after this many queue messages (tests, benchmarks)',
      intIn(1, 10_000_000),
    )
    .option('--max-receives <n>', 'deliveries before a failing message is moved aside', intIn(1, 1000), 5)
    .option('--visibility-timeout <s>', 'seconds a message is hidden while processed', intIn(1, 43_200), 60)
    .option('--wait-seconds <s>', 'SQS long-poll wait', intIn(0, 20), 20)
    .option('--metrics <file>', 'append per-message metrics (API calls, events) as JSON lines')
    .option('-p, --policies <path>', 'policy file or directory to add (repeatable)', collect)
    .option('--no-builtin', 'do not load the built-in policy packs')
    .option('--policy <id>', 'only run this policy (repeatable)', collect)
    .option('--param <policy.name=value>', 'set a policy parameter (repeatable)', collect)
    .action(async (opts: WatchOptions) => setExit(await runWatchCommand(opts)));
}
