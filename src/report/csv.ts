import type { ComplianceReport, ResourceFinding } from '../compliance/evaluate.js';
import { csvCell } from '../output/csv.js';

const COLUMNS = [
  'framework',
  'requirement',
  'title',
  'section',
  'status',
  'reason',
  'policy',
  'result',
  'severity',
  'resource_id',
  'resource_type',
  'account',
  'region',
  'file',
  'line',
  'message',
  'remediation',
] as const;

/**
 * One row per (requirement, failing / unreadable / undecided / exempt resource); a requirement with
 * none of those gets one row with empty resource columns, so every requirement appears.
 */
export function complianceCsv(report: ComplianceReport): string {
  const lines = [COLUMNS.join(',')];
  for (const req of report.requirements) {
    const head = [report.framework.id, req.id, req.title, req.section, req.status, req.reason];
    const rows: ResourceFinding[] = [...req.failing, ...req.errors, ...req.undecided, ...req.exempt];
    if (rows.length === 0) {
      lines.push([...head, ...Array(COLUMNS.length - head.length).fill('')].map(csvCell).join(','));
      continue;
    }
    for (const f of rows) {
      lines.push(
        [
          ...head,
          f.policy,
          f.status,
          f.severity,
          f.resource.id,
          f.resource.type,
          f.resource.account,
          f.resource.region,
          f.source.file,
          f.source.line,
          f.status === 'exempt' || f.status === 'unknown' || f.status === 'error'
            ? (f.reason ?? f.message)
            : f.message,
          f.remediation,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
