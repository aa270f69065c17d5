import type { ScanReport } from '../engine/scan.js';
import { formatCsv } from './csv.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';

export const FORMATS = ['table', 'json', 'sarif', 'junit', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function render(
  report: ScanReport,
  format: Format,
  options: { color: boolean; showPassed?: boolean },
): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'junit':
      return formatJunit(report);
    case 'csv':
      return formatCsv(report);
    case 'table':
      return formatTable(report, options);
  }
}
