import { type Command, InvalidArgumentError } from 'commander';
import { evaluateFramework } from '../../compliance/evaluate.js';
import type { Framework } from '../../compliance/framework.js';
import { scanInventory } from '../../engine/scan.js';
import type { Inventory } from '../../model/resource.js';
import { loadPolicySet } from '../../policy/load-set.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../../report/index.js';
import { clockNow } from '../../util/clock.js';
import { InputError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { collect, parseParams } from '../options.js';
import { addSourceOptions, loadSourcesReported, type SourceOptions, wantsLive } from '../source-options.js';
import { DB_HELP, parseId, withStore } from '../store-options.js';
import { applyStoredSuppressions, storeInUse } from '../suppressions.js';
import { writeOutput } from '../write-output.js';

/** Packs a report loads by default: the core set and the benchmark packs. Others come with --pack. */
export const REPORT_PACKS = ['core', 'cis-aws-v3'];

interface ReportOptions extends SourceOptions {
  framework?: string;
  frameworkFile?: string[];
  format: ReportFormat;
  output?: string;
  policies?: string[];
  pack?: string[];
  param?: string[];
  failUnder?: number;
  scan?: number;
  db?: string;
  store?: boolean;
}

function parsePercent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError('expected a percentage between 0 and 100');
  return n;
}

function parseReportFormat(value: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${REPORT_FORMATS.join(', ')}`);
  return value as ReportFormat;
}

/** Ids of the policies a framework draws on: its own lists plus policies that name it. */
export function frameworkPolicyIds(
  framework: Framework,
  definitions: { id: string; frameworks: Record<string, string[]> }[],
): Set<string> {
  const ids = new Set(framework.requirements.flatMap((r) => r.policies));
  for (const d of definitions) if ((d.frameworks[framework.id] ?? []).length > 0) ids.add(d.id);
  return ids;
}

/**
 * The resources a stored scan saw (its resource versions), to be evaluated with today's policies. Its
 * stored results are not reused: a scan records the results of the policies it ran (core by default)
 * but not which ran, so a benchmark's own controls would read as "not applicable".
 */
async function storedInventory(paths: string[], opts: ReportOptions, id: number): Promise<Inventory> {
  if (paths.length > 0 || (opts.snapshot ?? []).length > 0 || wantsLive(opts))
    throw new InputError('--scan reads its resources from the store: name no paths, --snapshot or --aws');
  return withStore(opts.db, async (store) => {
    const { getScan, scanResources } = await import('../../store/scans.js');
    const scan = await getScan(store.db, id);
    if (!scan) throw new InputError(`no stored scan with id ${id}`, store.location);
    return { resources: await scanResources(store.db, id), unsupported: {}, inputs: scan.inputs };
  });
}

async function runReport(paths: string[], opts: ReportOptions): Promise<number> {
  const framework = (await import('../../compliance/framework.js')).resolveFramework(
    opts.framework,
    opts.frameworkFile ?? [],
  );
  if (opts.format === 'pdf' && !opts.output && process.stdout.isTTY)
    throw new InputError('a PDF report needs -o FILE (or a pipe)');
  const all = await loadPolicySet({
    paths: opts.policies ?? [],
    packs: [...new Set([...REPORT_PACKS, ...(opts.pack ?? [])])],
    parameters: parseParams(opts.param),
  });
  // Only the policies the framework draws on run: the report is about the framework, and a large
  // inventory should not pay for checks nobody reads.
  const wanted = frameworkPolicyIds(framework, all.definitions);
  const policies = { definitions: all.definitions, compiled: all.compiled.filter((c) => wanted.has(c.id)) };
  const loaded =
    opts.scan !== undefined
      ? { inventory: await storedInventory(paths, opts, opts.scan) }
      : await loadSourcesReported(paths, opts, { policies: policies.compiled });
  const scan = scanInventory(loaded.inventory, policies);
  // Accepted risks (`warden suppress`) count as exempt here as they do in scan and findings.
  if (opts.store !== false && (opts.scan !== undefined || storeInUse(opts.db)))
    await applyStoredSuppressions(opts.db, scan, loaded.inventory, clockNow());
  const notInventoried = (loaded.collection?.failures ?? []).flatMap((f) =>
    f.resourceType ? f.resourceType.split(',') : [],
  );
  const report = evaluateFramework(framework, scan, { notInventoried });
  const body = await renderReport(report, opts.format);
  writeOutput(body, opts.output);
  for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
  const s = report.summary;
  const score = s.score === null ? 'no requirement assessed' : `score ${s.score.toFixed(1)}%`;
  process.stderr.write(
    `warden: ${framework.id}: ${s.requirements} requirements, ${s.pass} passed, ${s.fail} failed, ${s.error} error, ${s.manual} manual, ${s['not-applicable']} not applicable; ${score}${opts.output ? ` → ${opts.output}` : ''}\n`,
  );
  // A gate on the score: nothing assessed proves nothing, so it counts as 0.
  if (opts.failUnder !== undefined && (s.score ?? 0) < opts.failUnder) {
    process.stderr.write(
      `warden: score ${s.score === null ? 'n/a' : `${s.score.toFixed(1)}%`} is under --fail-under ${opts.failUnder}%\n`,
    );
    return EXIT.findings;
  }
  return EXIT.ok;
}

export function addReportCommand(program: Command, setExit: (code: number) => void): void {
  addSourceOptions(
    program
      .command('report')
      .description(
        'evaluate a compliance framework (CIS, NIST, PCI, HIPAA, SOC 2, ISO 27001, GDPR or your own)',
      )
      .argument(
        '[paths...]',
        'Terraform / CloudFormation inputs or inventory snapshots (as for scan); or --snapshot, --aws',
      ),
  )
    .option(
      '--framework <id>',
      'framework id, e.g. cis-aws-3.0, nist-800-53-r5, pci-dss-4.0, hipaa, soc2, iso-27001-2022, gdpr',
    )
    .option(
      '--framework-file <file>',
      'a custom framework YAML mapping your requirement ids to policy ids (repeatable)',
      collect,
    )
    .option(
      '-f, --format <format>',
      `${REPORT_FORMATS.join(', ')}`,
      parseReportFormat,
      'html' as ReportFormat,
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-p, --policies <path>', 'policy file or directory to add (repeatable)', collect)
    .option('--pack <name>', 'also load this built-in pack, e.g. tagging (repeatable)', collect)
    .option('--param <policy.name=value>', 'set a policy parameter (repeatable)', collect)
    .option(
      '--fail-under <percent>',
      'exit 1 when the score is below this percentage (for CI gates)',
      parsePercent,
    )
    .option('--scan <id>', "report on a stored scan's resources (see `warden scans`)", parseId)
    .option('--db <url>', `the store of --scan and of suppressions (warden suppress); ${DB_HELP}`)
    .option('--no-store', 'ignore suppressions recorded in the store')
    .action(async (paths: string[], opts: ReportOptions) => setExit(await runReport(paths, opts)));
}
