import type { Provider, SourceRef } from './resource.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Ordering used by `--fail-on`: a higher rank is more severe. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export type ResultStatus = 'fail' | 'pass' | 'error' | 'unknown' | 'exempt';
export const RESULT_STATUSES: readonly ResultStatus[] = ['fail', 'pass', 'error', 'unknown', 'exempt'];

/** One piece of evidence: the config path and the value that decided the verdict. */
export interface Evidence {
  path: string;
  value?: unknown;
  note?: string;
}

export interface ResourceSummary {
  id: string;
  type: string;
  provider: Provider;
  account: string;
  region: string;
  name: string;
}

/** The verdict of one policy on one resource (docs/DESIGN.md §4). */
export interface Result {
  policy: string;
  resource: ResourceSummary;
  status: ResultStatus;
  severity: Severity;
  message: string;
  evidence: Evidence[];
  source: SourceRef;
  fingerprint: string;
  frameworks: Record<string, string[]>;
  /** Why a result is exempt, or what made it error/unknown. */
  reason?: string;
  /** For a finding of a `path` policy: the ids along the matched path, this resource first. */
  path?: string[];
}

export type StatusCounts = Record<ResultStatus, number>;

export function countStatuses(results: readonly Result[]): StatusCounts {
  const counts: StatusCounts = { fail: 0, pass: 0, error: 0, unknown: 0, exempt: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
