import type { ScanReport } from '../engine/scan.js';
import { VERSION } from '../version.js';

/** The JSON result document of docs/DESIGN.md §4 (plus resource/unsupported counts in the summary). */
export function toJsonDocument(report: ScanReport) {
  return {
    tool: { name: 'warden', version: VERSION },
    summary: {
      ...report.summary,
      resources: report.resources,
      policies: report.policies.length,
      unsupported: report.unsupported,
      inputs: report.inputs,
    },
    results: report.results,
  };
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(toJsonDocument(report), null, 2)}\n`;
}
