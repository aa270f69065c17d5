import { styleText } from 'node:util';
import type { ScanReport } from '../engine/scan.js';
import { type Result, SEVERITY_RANK, type Severity } from '../model/result.js';
import { VERSION } from '../version.js';

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: ['bold', 'magenta'],
  high: ['bold', 'red'],
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};

function where(r: Result): string {
  if (r.source.file) return `${r.source.file}${r.source.line ? `:${r.source.line}` : ''}`;
  return [r.resource.account, r.resource.region].filter(Boolean).join('/');
}

function label(r: Result): string {
  const address = r.source.address ?? r.resource.id;
  return r.resource.name && r.resource.name !== address ? `${address} (${r.resource.name})` : address;
}

/**
 * Human output for a terminal: failures grouped by policy, most severe first, each with its evidence;
 * then what could not be decided and what is exempt; then one summary line. Passes are only counted.
 */
export function formatTable(report: ScanReport, options: { color: boolean; showPassed?: boolean }): string {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text) : text);
  const out: string[] = [];
  out.push(
    paint('bold', `Warden ${VERSION}`) +
      ` — ${report.inputs.length} input${report.inputs.length === 1 ? '' : 's'}, ${report.resources} resources, ${report.policies.length} policies`,
  );
  const defs = new Map(report.policies.map((p) => [p.id, p]));
  const failing = report.results.filter((r) => r.status === 'fail');
  const byPolicy = new Map<string, Result[]>();
  for (const r of failing) byPolicy.set(r.policy, [...(byPolicy.get(r.policy) ?? []), r]);
  const order = [...byPolicy.keys()].sort(
    (a, b) =>
      SEVERITY_RANK[defs.get(b)!.severity] - SEVERITY_RANK[defs.get(a)!.severity] || a.localeCompare(b),
  );
  for (const id of order) {
    const def = defs.get(id)!;
    out.push('');
    out.push(
      `${paint(SEVERITY_STYLE[def.severity], def.severity.toUpperCase().padEnd(8))} ${paint('bold', id)}  ${def.title}`,
    );
    for (const r of byPolicy.get(id)!) {
      out.push(`  ${paint('red', '✖')} ${label(r)}  ${paint('gray', where(r))}`);
      for (const e of r.evidence.slice(0, 5)) {
        out.push(
          paint(
            'gray',
            `      ${e.path}${e.note ? `: ${e.note}` : e.value !== undefined ? ` = ${JSON.stringify(e.value)}` : ''}`,
          ),
        );
      }
      if (r.evidence.length > 5) out.push(paint('gray', `      … ${r.evidence.length - 5} more`));
    }
  }
  const undecided = report.results.filter((r) => r.status === 'error' || r.status === 'unknown');
  if (undecided.length > 0) {
    out.push('');
    out.push(paint('bold', 'Not decided'));
    for (const r of undecided) {
      const mark = r.status === 'error' ? paint('red', 'error  ') : paint('yellow', 'unknown');
      out.push(`  ${mark} ${r.policy}  ${label(r)}  ${paint('gray', r.reason ?? '')}`);
    }
  }
  const exempt = report.results.filter((r) => r.status === 'exempt');
  if (exempt.length > 0) {
    out.push('');
    out.push(paint('bold', 'Exempt'));
    for (const r of exempt)
      out.push(`  ${paint('gray', '○')} ${r.policy}  ${label(r)}  ${paint('gray', r.reason ?? '')}`);
  }
  if (options.showPassed) {
    const passed = report.results.filter((r) => r.status === 'pass');
    if (passed.length > 0) {
      out.push('');
      out.push(paint('bold', 'Passed'));
      for (const r of passed) out.push(`  ${paint('green', '✔')} ${r.policy}  ${label(r)}`);
    }
  }
  const unsupported = Object.entries(report.unsupported).sort((a, b) => b[1] - a[1]);
  if (unsupported.length > 0) {
    out.push('');
    out.push(
      paint(
        'gray',
        `Not evaluated (unsupported types): ${unsupported.map(([t, n]) => `${t} ×${n}`).join(', ')}`,
      ),
    );
  }
  const s = report.summary;
  out.push('');
  out.push(
    `${paint(s.fail > 0 ? ['bold', 'red'] : ['bold', 'green'], `${s.fail} failed`)}, ${s.pass} passed, ${s.error} error, ${s.unknown} unknown, ${s.exempt} exempt`,
  );
  return `${out.join('\n')}\n`;
}
