import type { ComplianceReport } from '../compliance/evaluate.js';
import { VERSION } from '../version.js';

/** The compliance report as one JSON document, for machines and dashboards. */
export function complianceJson(report: ComplianceReport): string {
  return `${JSON.stringify({ tool: { name: 'warden', version: VERSION }, ...report }, null, 2)}\n`;
}
