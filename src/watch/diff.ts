import type { Result } from '../model/result.js';

export type ChangeKind = 'new' | 'changed' | 'resolved';

export interface FindingChange {
  change: ChangeKind;
  /** The current result; for `resolved`, the passing result or, when the resource is gone, the last failing one. */
  result: Result;
}

/** A finding is a failing or unreadable result: both need a human (an error never passes silently). */
export function isFinding(r: Result): boolean {
  return r.status === 'fail' || r.status === 'error';
}

/** What makes a finding "changed" for a reader: its verdict, severity, message and evidence. */
function shape(r: Result): string {
  return JSON.stringify([r.status, r.severity, r.message, r.evidence, r.path ?? null]);
}

/**
 * Diffs the results of the same policies before and after a change, by fingerprint. `before` and
 * `after` must cover the same policy set; results of other policies are not looked at.
 */
export function diffFindings(before: readonly Result[], after: readonly Result[]): FindingChange[] {
  const old = new Map(before.filter(isFinding).map((r) => [r.fingerprint, r]));
  const now = new Map(after.map((r) => [r.fingerprint, r]));
  const out: FindingChange[] = [];
  for (const r of after) {
    if (!isFinding(r)) continue;
    const prev = old.get(r.fingerprint);
    if (!prev) out.push({ change: 'new', result: r });
    else if (shape(prev) !== shape(r)) out.push({ change: 'changed', result: r });
  }
  for (const [fp, prev] of old) {
    const cur = now.get(fp);
    if (!cur)
      out.push({
        change: 'resolved',
        result: {
          ...prev,
          status: 'pass',
          reason: 'no longer found: the resource or the path it was on changed or is gone',
        },
      });
    else if (!isFinding(cur)) out.push({ change: 'resolved', result: cur });
  }
  return out;
}
