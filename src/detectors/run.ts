import type { Result } from '../model/result.js';
import type { PolicyDefinition } from '../policy/definition.js';
import { InputError, lineColumnAt } from '../util/errors.js';
import { readInputText } from '../util/read-input.js';
import { cloudWatchMessages } from './cloudwatch.js';
import { toResult } from './findings.js';
import { DEFAULT_FLOW_FIELDS, type FlowFormat, flowFormat, isHeaderLine, parseFlowLine } from './flow-log.js';
import { fromGuardDutyEvents } from './guardduty.js';
import { parseLbLine } from './lb-log.js';
import { LB_SCANNER_DEFINITION, LbScannerDetector, type ScannerOptions } from './lb-scanner.js';
import { type LogSource, readLines, sourceName } from './lines.js';
import { BRUTEFORCE_DEFINITION, type BruteForceOptions, SshBruteForceDetector } from './ssh-bruteforce.js';

export interface DetectorRun {
  results: Result[];
  definitions: PolicyDefinition[];
  inputs: string[];
  /** Log lines read, parsed, and skipped (not a record of the format, NODATA, blank). */
  lines: number;
  parsed: number;
  skipped: number;
  /** Per-item notes that did not stop the run (skipped GuardDuty events). */
  notes: string[];
}

function emptyRun(definitions: PolicyDefinition[]): DetectorRun {
  return { results: [], definitions, inputs: [], lines: 0, parsed: 0, skipped: 0, notes: [] };
}

/**
 * A log of which not one line parses is the wrong file (or the wrong format option): say so with its
 * first line instead of reporting "no findings" as if the log had been checked.
 */
function assertSomeParsed(name: string, parsed: number, firstBad: number | undefined, what: string): void {
  if (parsed === 0 && firstBad !== undefined) throw new InputError(`not ${what}`, name, firstBad, 1);
}

export async function detectLbScanners(
  sources: readonly LogSource[],
  options: ScannerOptions = {},
): Promise<DetectorRun> {
  const run = emptyRun([LB_SCANNER_DEFINITION]);
  const detector = new LbScannerDetector(options);
  for (const src of sources) {
    const name = sourceName(src);
    run.inputs.push(name);
    let parsed = 0;
    let firstBad: number | undefined;
    for await (const line of readLines(src)) {
      run.lines++;
      const req = line.text === '' ? undefined : parseLbLine(line.text);
      if (!req) {
        run.skipped++;
        if (line.text !== '') firstBad ??= line.number;
        continue;
      }
      parsed++;
      detector.add(req, name, line.number);
    }
    run.parsed += parsed;
    assertSomeParsed(name, parsed, firstBad, 'a Classic ELB or ALB access log line');
  }
  run.results = detector.detections().map(toResult);
  return run;
}

export interface FlowLogOptions extends BruteForceOptions {
  /** The flow log's format when the files have no header line (CloudWatch Logs exports). */
  format?: FlowFormat;
}

export async function detectFlowBruteForce(
  sources: readonly LogSource[],
  options: FlowLogOptions = {},
): Promise<DetectorRun> {
  const run = emptyRun([BRUTEFORCE_DEFINITION]);
  const detector = new SshBruteForceDetector(options);
  for (const src of sources) {
    const name = sourceName(src);
    run.inputs.push(name);
    let format = options.format;
    let first = true;
    let parsed = 0;
    let firstBad: number | undefined;
    const record = (text: string, number: number) => {
      run.lines++;
      if (text === '') {
        run.skipped++;
        return;
      }
      if (first) {
        first = false;
        if (isHeaderLine(text)) {
          try {
            format = flowFormat(text.trim().split(/\s+/));
          } catch (err) {
            throw new InputError((err as Error).message, name, number, 1);
          }
          return;
        }
        format ??= flowFormat(DEFAULT_FLOW_FIELDS);
      }
      const r = parseFlowLine(text, format!);
      if (!r) {
        run.skipped++;
        // NODATA / SKIPDATA lines are valid records without traffic.
        if (!/ (NODATA|SKIPDATA)$/.test(text)) firstBad ??= number;
        return;
      }
      parsed++;
      detector.add(r, name, number);
    };
    // CloudWatch Logs deliveries are JSON documents around the records; they are small (≤ 1 MB per
    // subscription batch), so they are collected and unwrapped, while plain logs stream.
    let json: string[] | undefined;
    for await (const line of readLines(src)) {
      if (json) json.push(line.text);
      else if (line.number === 1 && line.text.trimStart().startsWith('{')) json = [line.text];
      else record(line.text, line.number);
    }
    if (json) {
      const messages = cloudWatchMessages(json.join('\n'));
      if (!messages)
        throw new InputError(
          'JSON that is not a CloudWatch Logs delivery or filter-log-events output',
          name,
          1,
          1,
        );
      // Line numbers are the record's position among the log events.
      for (const [i, m] of messages.entries()) record(m, i + 1);
    }
    run.parsed += parsed;
    assertSomeParsed(
      name,
      parsed,
      firstBad,
      `a VPC flow log record of the format (${(format ?? flowFormat(DEFAULT_FLOW_FIELDS)).fields.join(' ')})`,
    );
  }
  run.results = detector.detections().map(toResult);
  return run;
}

/** GuardDuty EventBridge events from files: one JSON event, a JSON list, or one event per line. */
export function detectGuardDuty(files: readonly string[]): DetectorRun {
  const run = emptyRun([]);
  for (const file of files) {
    run.inputs.push(file);
    const text = readInputText(file);
    let events: unknown[];
    try {
      const doc: unknown = JSON.parse(text);
      events = Array.isArray(doc) ? doc : [doc];
    } catch (whole) {
      events = [];
      let offset = 0;
      for (const line of text.split('\n')) {
        if (line.trim() !== '') {
          try {
            events.push(JSON.parse(line));
          } catch {
            const at = lineColumnAt(text, offset);
            const why = text.trimStart().startsWith('[') ? (whole as Error).message : 'not JSON';
            throw new InputError(why, file, at.line, 1);
          }
        }
        offset += line.length + 1;
      }
    }
    const out = fromGuardDutyEvents(events, file);
    run.lines += events.length;
    run.parsed += events.length - out.skipped.length;
    run.skipped += out.skipped.length;
    run.notes.push(...out.skipped.map((s) => `${s.where}: ${s.reason}`));
    run.results.push(...out.detections.map(toResult));
    for (const d of out.definitions) if (!run.definitions.some((x) => x.id === d.id)) run.definitions.push(d);
  }
  return run;
}
