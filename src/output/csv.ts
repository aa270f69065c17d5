import type { ScanReport } from '../engine/scan.js';

const COLUMNS = [
  'policy',
  'severity',
  'status',
  'resource_id',
  'resource_type',
  'resource_name',
  'provider',
  'account',
  'region',
  'file',
  'line',
  'message',
  'fingerprint',
] as const;

/** RFC 4180 quoting, plus a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(report: ScanReport): string {
  const lines = [COLUMNS.join(',')];
  for (const r of report.results) {
    lines.push(
      [
        r.policy,
        r.severity,
        r.status,
        r.resource.id,
        r.resource.type,
        r.resource.name,
        r.resource.provider,
        r.resource.account,
        r.resource.region,
        r.source.file,
        r.source.line,
        r.message,
        r.fingerprint,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
