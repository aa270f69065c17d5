import type { ComplianceReport } from '../compliance/evaluate.js';
import { complianceCsv } from './csv.js';
import { complianceHtml } from './html.js';
import { complianceJson } from './json.js';
import { htmlToPdf } from './pdf.js';

export const REPORT_FORMATS = ['html', 'pdf', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Renders a compliance report; PDF is binary, the others text. */
export async function renderReport(report: ComplianceReport, format: ReportFormat): Promise<string | Buffer> {
  switch (format) {
    case 'html':
      return complianceHtml(report);
    case 'pdf':
      return htmlToPdf(complianceHtml(report));
    case 'json':
      return complianceJson(report);
    case 'csv':
      return complianceCsv(report);
  }
}
