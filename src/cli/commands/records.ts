import { type Command, InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import { csvCell } from '../../output/csv.js';
import type { StoredFinding } from '../../store/findings-query.js';
import { type Database, FINDING_STATUSES, type FindingStatus } from '../../store/schema.js';
import { clockNow } from '../../util/clock.js';
import { InputError } from '../../util/errors.js';
import { DB_HELP, parseId, parseList, parseSince, parseTag, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';

type ListFormat = 'table' | 'json' | 'csv';

function parseListFormat(value: string): ListFormat {
  if (value !== 'table' && value !== 'json' && value !== 'csv')
    throw new InvalidArgumentError('expected one of table, json, csv');
  return value;
}

function defaultFormat(output?: string): ListFormat {
  return process.stdout.isTTY && !output ? 'table' : 'json';
}

/** Left-aligned columns; the widest cell sets each column's width. */
export function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return `${rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}

const FINDING_COLUMNS = [
  'status',
  'severity',
  'policy',
  'resource_id',
  'resource_type',
  'account',
  'region',
  'first_seen',
  'last_seen',
  'resolved_at',
  'fingerprint',
  'path',
] as const;

/** A graph finding's path in words: the ids from the resource on, or empty for a single resource. */
const pathCell = (f: StoredFinding) => (f.path ?? []).join(' → ');

function findingCells(f: StoredFinding): string[] {
  return [
    f.status,
    f.severity,
    f.policy,
    f.resource.id,
    f.resource.type,
    f.resource.account,
    f.resource.region,
    f.firstSeen,
    f.lastSeen,
    f.resolvedAt ?? '',
    f.fingerprint,
    pathCell(f),
  ];
}

/** Findings an active suppression covers are listed as exempt, with its reason. */
async function markSuppressed(db: Kysely<Database>, findings: StoredFinding[]): Promise<StoredFinding[]> {
  const { listSuppressions } = await import('../../store/suppressions.js');
  const { describeSuppression, suppressionOfFinding } = await import('../../suppress/apply.js');
  const list = await listSuppressions(db);
  if (list.length === 0) return findings;
  const now = clockNow();
  return findings.map((f) => {
    const s = suppressionOfFinding(f, list, now);
    return s ? { ...f, exempt: describeSuppression(s) } : f;
  });
}

export function renderFindings(findings: StoredFinding[], format: ListFormat): string {
  if (format === 'json') return `${JSON.stringify({ findings }, null, 2)}\n`;
  if (format === 'csv')
    return `${[FINDING_COLUMNS.join(','), ...findings.map((f) => findingCells(f).map(csvCell).join(','))].join('\n')}\n`;
  if (findings.length === 0) return 'no findings\n';
  return columns([
    ['STATUS', 'SEVERITY', 'POLICY', 'RESOURCE', 'FIRST SEEN', 'LAST SEEN', 'PATH'],
    ...findings.map((f) => [
      f.exempt ? 'exempt' : f.status,
      f.severity,
      f.policy,
      f.resource.id,
      f.firstSeen,
      f.lastSeen,
      pathCell(f),
    ]),
  ]);
}

function parseStatus(value: string, previous: FindingStatus[] = []): FindingStatus[] {
  const out = [...previous];
  for (const v of parseList(value)) {
    if (!(FINDING_STATUSES as readonly string[]).includes(v))
      throw new InvalidArgumentError(`expected one of ${FINDING_STATUSES.join(', ')}`);
    out.push(v as FindingStatus);
  }
  return out;
}

export function addRecordCommands(program: Command): void {
  program
    .command('scans')
    .description('list the stored scans, newest first')
    .option('--db <url>', DB_HELP)
    .option('-f, --format <format>', 'table or json', parseListFormat)
    .option('-n, --limit <n>', 'how many scans', parseId, 50)
    .action(async (opts: { db?: string; format?: ListFormat; limit: number }) => {
      const { listScans } = await import('../../store/scans.js');
      const scans = await withStore(opts.db, (s) => listScans(s.db, opts.limit));
      const format = opts.format ?? defaultFormat();
      if (format === 'json') {
        writeOutput(`${JSON.stringify({ scans }, null, 2)}\n`, undefined);
        return;
      }
      if (scans.length === 0) {
        writeOutput('no scans stored\n', undefined);
        return;
      }
      writeOutput(
        columns([
          // A watch session's row is one scan kept current; FINISHED is then its last change.
          ['ID', 'KIND', 'FINISHED', 'RESOURCES', 'FAIL', 'PASS', 'ERROR', 'INPUTS'],
          ...scans.map((s) => [
            String(s.id),
            s.status === 'watch' ? 'watch' : 'scan',
            s.finishedAt,
            String(s.resourceCount),
            String(s.summary.fail),
            String(s.summary.pass),
            String(s.summary.error),
            s.inputs.join(' '),
          ]),
        ]),
        undefined,
      );
    });

  program
    .command('findings')
    .description('list stored findings with their lifecycle (open, resolved, reopened)')
    .option('--db <url>', DB_HELP)
    .option('--status <status>', 'open, resolved or reopened (repeatable or comma-separated)', parseStatus)
    .option(
      '--severity <severity>',
      'critical, high, medium, low, info (repeatable or comma-separated)',
      parseList,
    )
    .option('--policy <id>', 'policy id (repeatable or comma-separated)', parseList)
    .option('--account <id>', 'account id (repeatable or comma-separated)', parseList)
    .option('--tag <key=value>', 'resource tag (repeatable; all must match)', parseTag)
    .option('--since <date>', 'first seen at or after: a date, an ISO time or an age (7d, 12h)', (v) =>
      parseSince(v),
    )
    .option(
      '-f, --format <format>',
      'table, json or csv (default: table on a terminal, else json)',
      parseListFormat,
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(
      async (opts: {
        db?: string;
        status?: FindingStatus[];
        severity?: string[];
        policy?: string[];
        account?: string[];
        tag?: Record<string, string>;
        since?: string;
        format?: ListFormat;
        output?: string;
      }) => {
        const { queryFindings } = await import('../../store/findings-query.js');
        const findings = await withStore(opts.db, async (s) =>
          markSuppressed(
            s.db,
            await queryFindings(s.db, {
              ...(opts.status ? { status: opts.status } : {}),
              ...(opts.severity ? { severity: opts.severity.map((x) => x.toLowerCase()) } : {}),
              ...(opts.policy ? { policy: opts.policy } : {}),
              ...(opts.account ? { account: opts.account } : {}),
              ...(opts.tag ? { tags: opts.tag } : {}),
              ...(opts.since ? { since: opts.since } : {}),
            }),
          ),
        );
        writeOutput(renderFindings(findings, opts.format ?? defaultFormat(opts.output)), opts.output);
      },
    );

  program
    .command('history')
    .description('the stored versions of a resource, with field-level changes between them')
    .argument('<resource-id>', 'resource id as in scan results (ARN or <input>#<address>)')
    .option('--db <url>', DB_HELP)
    .option('-f, --format <format>', 'table or json', parseListFormat)
    .action(async (id: string, opts: { db?: string; format?: ListFormat }) => {
      const { resourceHistory } = await import('../../store/history.js');
      const { diffResource } = await import('../../drift/diff.js');
      const versions = await withStore(opts.db, (s) => resourceHistory(s.db, id));
      if (versions.length === 0) throw new InputError('no stored scan has seen this resource', id);
      const entries = versions.map((v, i) => ({
        version: i + 1,
        hash: v.hash,
        firstScan: v.firstScan,
        lastScan: v.lastScan,
        scans: v.scans,
        changes: i === 0 ? [] : diffResource(versions[i - 1]!.resource, v.resource, undefined),
        resource: v.resource,
      }));
      const format = opts.format ?? defaultFormat();
      if (format === 'json') {
        writeOutput(`${JSON.stringify({ resource: id, versions: entries }, null, 2)}\n`, undefined);
        return;
      }
      const lines: string[] = [];
      for (const e of entries) {
        const span =
          e.firstScan.id === e.lastScan.id
            ? `scan ${e.firstScan.id}`
            : `scans ${e.firstScan.id}–${e.lastScan.id}`;
        lines.push(`v${e.version}  ${e.firstScan.at}  (${span})  ${e.hash.slice(0, 12)}`);
        if (e.version === 1) lines.push('    first seen');
        for (const c of e.changes) lines.push(`    ${c.text}`);
        if (e.version > 1 && e.changes.length === 0)
          lines.push('    (metadata only: source location or errors)');
      }
      writeOutput(`${lines.join('\n')}\n`, undefined);
    });
}
