import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Provider, SourceRef } from '../../model/resource.js';
import { RESULT_STATUSES, type Result, SEVERITIES } from '../../model/result.js';
import type { PolicyDefinition } from '../../policy/definition.js';
import { loadPolicySet } from '../../policy/load-set.js';
import { InputError } from '../../util/errors.js';
import { isObj, objectItems } from '../../util/narrow.js';
import { EXIT } from '../exit-codes.js';
import { collect } from '../options.js';

interface SendOptions {
  config: string;
  runId?: string;
  kind: 'scan' | 'drift' | 'detect';
  policies?: string[];
  builtin: boolean;
  wait: number;
}

/** The failing results of a JSON report (`--format json` of scan or detect), checked field by field. */
function readReport(file: string): Result[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code ? `cannot read: ${code}` : `not JSON: ${(err as Error).message}`, file);
  }
  if (!isObj(doc) || !Array.isArray(doc.results))
    throw new InputError('not a Warden JSON report (no results list)', file);
  return doc.results.map((r, i) => {
    const ok =
      isObj(r) &&
      typeof r.policy === 'string' &&
      typeof r.fingerprint === 'string' &&
      typeof r.message === 'string' &&
      (RESULT_STATUSES as readonly unknown[]).includes(r.status) &&
      (SEVERITIES as readonly unknown[]).includes(r.severity) &&
      isObj(r.resource) &&
      typeof r.resource.id === 'string';
    if (!ok)
      throw new InputError(
        `results[${i}] is not a result (policy, status, severity, resource, fingerprint)`,
        file,
      );
    const res = r.resource as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      policy: r.policy as string,
      status: r.status as Result['status'],
      severity: r.severity as Result['severity'],
      message: r.message as string,
      fingerprint: r.fingerprint as string,
      resource: {
        id: res.id as string,
        type: text(res.type),
        provider: (['aws', 'azure', 'gcp', 'openstack'].includes(text(res.provider))
          ? res.provider
          : 'aws') as Provider,
        account: text(res.account),
        region: text(res.region),
        name: text(res.name) || (res.id as string),
      },
      evidence: objectItems(r.evidence)
        .filter((e) => typeof e.path === 'string')
        .map((e) => ({
          path: e.path as string,
          value: e.value,
          ...(typeof e.note === 'string' ? { note: e.note } : {}),
        })),
      source:
        isObj(r.source) && typeof r.source.kind === 'string'
          ? (r.source as unknown as SourceRef)
          : { kind: 'live' },
      frameworks: isObj(r.frameworks)
        ? Object.fromEntries(
            Object.entries(r.frameworks)
              .filter(([, v]) => Array.isArray(v))
              .map(([k, v]) => [k, (v as unknown[]).map(String)]),
          )
        : {},
    };
  });
}

async function runSend(report: string, opts: SendOptions): Promise<number> {
  // Loaded on first use: the SDK clients and nodemailer are only needed here.
  const n = await import('../../notify/index.js');
  const d = await import('../../detectors/index.js');
  const config = n.loadNotifyConfig(opts.config);
  const results = readReport(report).filter((r) => r.status === 'fail');
  const defs = new Map<string, Pick<PolicyDefinition, 'title' | 'remediation'>>();
  for (const def of (await loadPolicySet({ paths: opts.policies ?? [], builtIn: opts.builtin })).definitions)
    defs.set(def.id, def);
  for (const def of d.DETECTOR_DEFINITIONS) defs.set(def.id, def);
  const notes = results.map((r) => n.noteFromResult(r, defs.get(r.policy)));
  const store = new n.MemoryOutbox();
  const run = { id: opts.runId ?? `${opts.kind}-${new Date().toISOString()}`, kind: opts.kind };
  const queued = await n.enqueueRun(store, config, run, notes, Date.now());
  const worker = new n.OutboxWorker({
    store,
    channels: n.channelsFrom(config),
    ...(config.rateLimits ? { ratePerMinute: config.rateLimits } : {}),
    // A one-shot command retries briefly; the watch loop's persistent outbox retries for hours.
    retry: { baseMs: 1000, maxMs: 10_000, maxAttempts: 5 },
  });
  const summary = await n.deliverNow(worker, store, opts.wait * 1000);
  process.stderr.write(
    `warden: ${results.length} findings, ${queued.enqueued} notifications, ${summary.sent} delivered, ${queued.unrouted} matched no route\n`,
  );
  for (const g of [...summary.dead, ...summary.pending])
    process.stderr.write(`error: ${g.channel}: ${g.count} not delivered: ${g.error}\n`);
  return summary.dead.length + summary.pending.length > 0 ? EXIT.undelivered : EXIT.ok;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 86_400)
    throw new InvalidArgumentError('expected whole seconds (0–86400)');
  return n;
}

export function addNotifyCommands(program: Command, setExit: (code: number) => void): void {
  const notify = program
    .command('notify')
    .description('check notification settings and send findings to the configured channels');
  notify
    .command('validate')
    .description('check a notification config (channels, routes, teams); secrets come from ${env:NAME}')
    .argument('<config>', 'notify.yaml')
    .action(async (file: string) => {
      const n = await import('../../notify/index.js');
      const config = n.loadNotifyConfig(file);
      const channels = Object.keys(config.channels).length;
      process.stdout.write(
        `ok: ${channels} channel${channels === 1 ? '' : 's'}, ${config.routes.length} route${config.routes.length === 1 ? '' : 's'}\n`,
      );
      setExit(EXIT.ok);
    });
  notify
    .command('send')
    .description(
      'send the failing results of a JSON report (scan or detect --format json) through the routes',
    )
    .argument('<report>', 'JSON report file')
    .requiredOption('-c, --config <file>', 'notification config (notify.yaml)')
    .option('--run-id <id>', 'run id shown in aggregated messages (default: kind and time)')
    .addOption(
      new Option('--kind <kind>', 'what produced the report')
        .choices(['scan', 'drift', 'detect'])
        .default('scan'),
    )
    .option(
      '-p, --policies <path>',
      'policy file or directory for titles and remediation (repeatable)',
      collect,
    )
    .option('--no-builtin', 'do not load the built-in policy packs')
    .option('--wait <seconds>', 'how long to retry unreachable receivers', seconds, 60)
    .action(async (report: string, opts: SendOptions) => setExit(await runSend(report, opts)));
}
