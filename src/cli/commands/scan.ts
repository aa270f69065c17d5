import type { Command } from 'commander';
import { scanInventory } from '../../engine/scan.js';
import { SEVERITY_RANK, type Severity } from '../../model/result.js';
import { type Format, render } from '../../output/index.js';
import { loadPolicySet } from '../../policy/load-set.js';
import { BUILTIN_PACKS } from '../../policy/packs.js';
import { clockNow } from '../../util/clock.js';
import { EXIT } from '../exit-codes.js';
import { addResultOutputOptions, collect, parseParams } from '../options.js';
import {
  addSourceOptions,
  hasCollectionGaps,
  loadSourcesReported,
  type SourceOptions,
} from '../source-options.js';
import { DB_HELP } from '../store-options.js';
import { storeScan, versionsOf } from '../store-scan.js';
import { applyStoredSuppressions } from '../suppressions.js';
import { writeOutput } from '../write-output.js';

interface ScanOptions extends SourceOptions {
  format?: Format;
  output?: string;
  failOn: Severity;
  softFail?: boolean;
  policies?: string[];
  builtin: boolean;
  pack?: string[];
  policy?: string[];
  param?: string[];
  showPassed?: boolean;
  store: boolean;
  db?: string;
}

/**
 * Exit code of a scan: 1 when a failing (or unreadable: `error`) result reaches `--fail-on`. Unknown
 * results (values known only after apply) do not fail the gate; they are listed for review.
 */
export function exitCodeFor(
  results: { status: string; severity: Severity }[],
  failOn: Severity,
  softFail: boolean,
): number {
  if (softFail) return EXIT.ok;
  const threshold = SEVERITY_RANK[failOn];
  const blocking = results.some(
    (r) => (r.status === 'fail' || r.status === 'error') && SEVERITY_RANK[r.severity] >= threshold,
  );
  return blocking ? EXIT.findings : EXIT.ok;
}

async function runScan(paths: string[], opts: ScanOptions): Promise<number> {
  const policies = await loadPolicySet({
    paths: opts.policies ?? [],
    builtIn: opts.builtin,
    ...(opts.pack ? { packs: [...new Set([...BUILTIN_PACKS, ...opts.pack])] } : {}),
    parameters: parseParams(opts.param),
    ...(opts.policy ? { only: opts.policy } : {}),
  });
  const startedAt = new Date();
  const loaded = await loadSourcesReported(paths, opts, { policies: policies.compiled });
  const { inventory, collection } = loaded;
  const versions = opts.store ? versionsOf(inventory.resources) : [];
  const report = scanInventory(inventory, policies);
  if (opts.store) await applyStoredSuppressions(opts.db, report, inventory, clockNow());
  // Stored before the report is written: a report on disk means the history has the scan too.
  if (opts.store) {
    const apiCalls = collection
      ? Object.fromEntries(collection.stats.operations.map((o) => [`${o.service}:${o.operation}`, o.calls]))
      : undefined;
    const id = await storeScan(opts.db, inventory, versions, report, startedAt, apiCalls);
    if (process.stderr.isTTY) process.stderr.write(`warden: stored as scan ${id}\n`);
  }
  const format = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
  const color = format === 'table' && !opts.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
  writeOutput(render(report, format, { color, showPassed: opts.showPassed ?? false }), opts.output);
  if (opts.output && format !== 'table') {
    const s = report.summary;
    process.stderr.write(
      `warden: ${report.resources} resources, ${s.fail} failed, ${s.pass} passed, ${s.error} error, ${s.unknown} unknown, ${s.exempt} exempt → ${opts.output}\n`,
    );
  }
  const code = exitCodeFor(report.results, opts.failOn, opts.softFail ?? false);
  // A type that could not be inventoried is unreadable, and unreadable never passes a gate.
  return hasCollectionGaps(loaded) && !opts.softFail ? Math.max(code, EXIT.findings) : code;
}

export function addScanCommands(program: Command, setExit: (code: number) => void): void {
  const configure = (cmd: Command) =>
    addResultOutputOptions(cmd, {
      failOn: 'exit 1 when a failing result has at least this severity',
      softFail: 'always exit 0 when the scan ran, whatever it found',
    })
      .option('-p, --policies <path>', 'policy file or directory to add (repeatable)', collect)
      .option('--no-builtin', 'do not load the built-in policy packs')
      .option('--pack <name>', 'also run a built-in pack: cis-aws-v3, tagging (repeatable)', collect)
      .option('--policy <id>', 'only run this policy (repeatable)', collect)
      .option(
        '--param <policy.name=value>',
        'set a policy parameter, e.g. aws-ec2-sg-admin-ports-open.allowedCidrs=203.0.113.0/24 (repeatable)',
        collect,
      )
      .option('--show-passed', 'list passing results in the table output')
      .option('--no-store', 'do not record the scan in the store')
      .option('--db <url>', DB_HELP);

  configure(
    addSourceOptions(
      program
        .command('scan')
        .description(
          'scan Terraform (HCL directories, plan or state JSON), CloudFormation templates, inventory snapshots and live AWS accounts',
        )
        .argument('[paths...]', 'files or directories; the kind of each is recognised from its content'),
    ),
  ).action(async (paths: string[], opts: ScanOptions) => setExit(await runScan(paths, opts)));

  configure(
    program
      .command('plan')
      .description('gate a Terraform plan (`terraform show -json plan.out > plan.json`) before apply')
      .argument('<plan>', 'plan JSON file'),
  ).action(async (plan: string, opts: ScanOptions) => setExit(await runScan([plan], opts)));
}
