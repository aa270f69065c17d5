import { type Command, InvalidArgumentError } from 'commander';
import {
  buildReport,
  type DriftReport,
  hasDrift,
  renderDriftJson,
  renderDriftMarkdown,
  renderDriftTable,
} from '../../drift/report.js';
import type { Store } from '../../store/open.js';
import { InputError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { collect } from '../options.js';
import { addSourceOptions, loadSourcesReported, type SourceOptions } from '../source-options.js';
import { DB_HELP, parseId, whoAmI, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';

type DriftFormat = 'json' | 'markdown' | 'table';

interface DriftOptions extends SourceOptions {
  baseline: string;
  baselineVersion?: number;
  format?: DriftFormat;
  output?: string;
  ignoreFile?: string[];
  enforce?: boolean;
  apply?: boolean;
  softFail?: boolean;
  db?: string;
  notify?: string;
}

function parseDriftFormat(v: string): DriftFormat {
  if (v !== 'json' && v !== 'markdown' && v !== 'table')
    throw new InvalidArgumentError('expected json, markdown or table');
  return v;
}

function render(report: DriftReport, format: DriftFormat): string {
  if (format === 'json') return renderDriftJson(report);
  if (format === 'markdown') return renderDriftMarkdown(report);
  return renderDriftTable(report);
}

async function runDrift(paths: string[], opts: DriftOptions): Promise<number> {
  if (opts.apply && !opts.enforce) throw new InputError('--apply needs --enforce');
  // The rule files are YAML: loaded with the parser only when drift runs.
  const [{ diffInventories }, { loadDriftRules }] = await Promise.all([
    import('../../drift/diff.js'),
    import('../../drift/rules.js'),
  ]);
  const rules = loadDriftRules(opts.ignoreFile ?? []);
  return withStore(opts.db, async (store) => {
    const { loadBaseline } = await import('../../store/baselines.js');
    const baseline = await loadBaseline(store.db, opts.baseline, opts.baselineVersion);
    if (!baseline)
      throw new InputError(
        `no baseline named "${opts.baseline}"${opts.baselineVersion ? ` v${opts.baselineVersion}` : ''}: create one with \`warden baseline create --name ${opts.baseline}\``,
        store.location,
      );
    // Drift compares every field, so everything is read (no policy decides what to collect).
    const { inventory: current } = await loadSourcesReported(paths, opts);
    const result = diffInventories(baseline.resources, current.resources, rules);
    const report = buildReport(result, {
      baseline: {
        name: baseline.name,
        version: baseline.version,
        createdAt: baseline.createdAt,
        resources: baseline.resourceCount,
      },
      current: { inputs: current.inputs, resources: current.resources.length },
    });
    let failedReverts = 0;
    if (opts.enforce) {
      const { enforceDrift } = await import('../../enforce/enforce.js');
      const { enforcementState } = await import('../../store/enforcement.js');
      const { AwsExecutor, describeAwsError } = await import('../../enforce/execute.js');
      const executor = opts.apply ? new AwsExecutor() : undefined;
      try {
        report.enforcement = await enforceDrift(
          result,
          new Map(baseline.resources.map((r) => [r.id, r])),
          new Map(current.resources.map((r) => [r.id, r])),
          {
            apply: opts.apply === true,
            state: await enforcementState(store.db),
            who: whoAmI(),
            db: store.db,
            ...(executor ? { sender: executor } : {}),
            describeError: describeAwsError,
          },
        );
      } finally {
        executor?.close();
      }
      failedReverts = report.enforcement.reverts.filter((r) => r.status === 'failed').length;
    }
    const { recordDriftRun } = await import('../../store/drift-runs.js');
    await recordDriftRun(store.db, {
      baselineId: baseline.id,
      added: report.summary.added,
      removed: report.summary.removed,
      changed: report.summary.changed,
      enforcement: report.enforcement
        ? report.enforcement.mode === 'apply'
          ? 'applied'
          : report.enforcement.mode
        : 'report',
      report,
    });
    if (opts.notify && hasDrift(report)) await notifyDrift(report, opts.notify, store);
    const format = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
    writeOutput(render(report, format), opts.output);
    if (opts.output) {
      const s = report.summary;
      process.stderr.write(
        `warden: drift against ${baseline.name} v${baseline.version}: ${s.changed} changed, ${s.added} added, ${s.removed} removed → ${opts.output}\n`,
      );
    }
    if (failedReverts > 0) return EXIT.findings;
    return hasDrift(report) && !opts.softFail ? EXIT.findings : EXIT.ok;
  });
}

/**
 * Queues the run's one aggregated drift message in the store's outbox and makes one delivery round.
 * What a receiver refuses stays queued (with its back-off) for the next run or `warden watch`.
 */
async function notifyDrift(report: DriftReport, configFile: string, store: Store): Promise<void> {
  const [{ loadNotifyConfig, channelsFrom, enqueueRun, OutboxWorker }, { KyselyOutbox }, { driftNote }] =
    await Promise.all([
      import('../../notify/index.js'),
      import('../../store/kysely-outbox.js'),
      import('../../drift/notify.js'),
    ]);
  const config = loadNotifyConfig(configFile);
  const outbox = new KyselyOutbox(store.db, store.dialect);
  const run = { id: `drift-${report.generatedAt}`, kind: 'drift' as const };
  const queued = await enqueueRun(outbox, config, run, [driftNote(report)], Date.now());
  const worker = new OutboxWorker({
    store: outbox,
    channels: channelsFrom(config),
    onAttempt: (e) => {
      if (!e.ok)
        process.stderr.write(`warden: notify ${e.channel}: ${e.error ?? 'failed'} (queued for retry)\n`);
    },
  });
  await worker.runOnce();
  if (queued.unrouted > 0) process.stderr.write('warden: no notification route matched the drift message\n');
}

export function addDriftCommand(program: Command, setExit: (code: number) => void): void {
  addSourceOptions(
    program
      .command('drift')
      .description('compare the current configuration with a baseline; exit 1 when something drifted')
      .argument('[paths...]', 'inputs or `warden collect` snapshots holding the current configuration'),
  )
    .option('--baseline <name>', 'baseline name', 'default')
    .option('--baseline-version <n>', 'compare with this version (default: the newest)', parseId)
    .option(
      '-f, --format <format>',
      'json, markdown or table (default: table on a terminal, else json)',
      parseDriftFormat,
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--ignore-file <file>', 'more paths to ignore or keep ordered (YAML, repeatable)', collect)
    .option('--enforce', 'plan the AWS calls that revert drift on supported types (dry run)')
    .option('--apply', 'with --enforce: make the calls, recording each in the audit log')
    .option('--soft-fail', 'exit 0 even when something drifted')
    .option('--db <url>', DB_HELP)
    .option(
      '--notify <config>',
      'send one aggregated drift message through these channels (queued in the outbox)',
    )
    .action(async (paths: string[], opts: DriftOptions) => setExit(await runDrift(paths, opts)));
}
