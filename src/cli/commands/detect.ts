import { type Command, InvalidArgumentError } from 'commander';
import type { ScanReport } from '../../engine/scan.js';
import { countStatuses, type Severity } from '../../model/result.js';
import { type Format, render } from '../../output/index.js';
import { InputError } from '../../util/errors.js';
import { addResultOutputOptions } from '../options.js';
import { writeOutput } from '../write-output.js';
import { exitCodeFor } from './scan.js';

interface DetectOptions {
  lbLogs?: string[];
  flowLogs?: string[];
  guardduty?: string[];
  flowLogFormat?: string;
  account?: string;
  region?: string;
  scannerThreshold?: number;
  scannerWindow?: number;
  bruteforceThreshold?: number;
  bruteforceWindow?: number;
  format?: Format;
  output?: string;
  failOn: Severity;
  softFail?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

async function runDetect(opts: DetectOptions): Promise<number> {
  if (!opts.lbLogs && !opts.flowLogs && !opts.guardduty) {
    throw new InputError('give --lb-logs, --flow-logs or --guardduty (see warden detect --help)');
  }
  // Loaded on first use, like the IaC adapters: `scan` never pays for the detectors.
  const d = await import('../../detectors/index.js');
  const files = (paths: string[] = []) => paths.map((path) => ({ kind: 'file' as const, path }));
  const runs = [];
  if (opts.lbLogs)
    runs.push(
      await d.detectLbScanners(files(opts.lbLogs), {
        ...(opts.scannerThreshold ? { threshold: opts.scannerThreshold } : {}),
        ...(opts.scannerWindow ? { windowMs: opts.scannerWindow * 1000 } : {}),
        ...(opts.account ? { account: opts.account } : {}),
        ...(opts.region ? { region: opts.region } : {}),
      }),
    );
  if (opts.flowLogs)
    runs.push(
      await d.detectFlowBruteForce(files(opts.flowLogs), {
        ...(opts.flowLogFormat ? { format: d.parseFormatString(opts.flowLogFormat) } : {}),
        ...(opts.bruteforceThreshold ? { threshold: opts.bruteforceThreshold } : {}),
        ...(opts.bruteforceWindow ? { windowMs: opts.bruteforceWindow * 1000 } : {}),
        ...(opts.account ? { account: opts.account } : {}),
        ...(opts.region ? { region: opts.region } : {}),
      }),
    );
  if (opts.guardduty) runs.push(d.detectGuardDuty(opts.guardduty));
  const started = performance.now();
  const results = runs.flatMap((r) => r.results);
  const report: ScanReport = {
    results,
    summary: countStatuses(results),
    resources: new Set(results.map((r) => r.resource.id)).size,
    unsupported: {},
    inputs: runs.flatMap((r) => r.inputs),
    policies: runs.flatMap((r) => r.definitions),
    durationMs: performance.now() - started,
  };
  const format = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
  const color = format === 'table' && !opts.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
  writeOutput(render(report, format, { color }), opts.output);
  for (const note of runs.flatMap((r) => r.notes)) process.stderr.write(`warden: skipped ${note}\n`);
  const lines = runs.reduce((n, r) => n + r.lines, 0);
  const skipped = runs.reduce((n, r) => n + r.skipped, 0);
  process.stderr.write(`warden: ${lines} records read, ${skipped} skipped, ${results.length} findings\n`);
  return exitCodeFor(results, opts.failOn, opts.softFail ?? false);
}

export function addDetectCommand(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('detect')
    .description(
      'detect attacks in logs: scanners in load-balancer logs, SSH/RDP brute force in VPC flow logs, GuardDuty findings',
    )
    .option('--lb-logs <files...>', 'Classic ELB or ALB access logs (plain or gzipped)')
    .option(
      '--flow-logs <files...>',
      'VPC flow logs (default format, or a custom format with its header line)',
    )
    .option('--guardduty <files...>', 'GuardDuty findings as EventBridge events (JSON or JSON lines)')
    .option(
      '--flow-log-format <format>',
      "flow log format for files without a header, e.g. '${version} ${srcaddr} …'",
    )
    .option('--account <id>', 'account id for load-balancer and interface ARNs when the logs do not carry it')
    .option('--region <region>', 'region for ARNs when the logs do not carry it')
    .option(
      '--scanner-threshold <n>',
      '4xx on admin paths from one client that make a scan (default 5)',
      positiveInt,
    )
    .option('--scanner-window <seconds>', 'window for --scanner-threshold (default 60)', positiveInt)
    .option(
      '--bruteforce-threshold <n>',
      'SSH/RDP attempts from one source that make brute force (default 20)',
      positiveInt,
    )
    .option('--bruteforce-window <seconds>', 'window for --bruteforce-threshold (default 600)', positiveInt);
  addResultOutputOptions(command, {
    failOn: 'exit 1 when a finding has at least this severity',
    softFail: 'always exit 0 when the logs were read, whatever was found',
  }).action(async (opts: DetectOptions) => setExit(await runDetect(opts)));
}
