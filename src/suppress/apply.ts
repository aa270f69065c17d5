import type { Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import type { Suppression } from './types.js';

export function isActive(s: Suppression, now: Date): boolean {
  return s.expires === undefined || Date.parse(s.expires) > now.getTime();
}

export function matches(s: Suppression, r: Result, resource: Resource | undefined): boolean {
  if (s.fingerprint !== undefined) return s.fingerprint === r.fingerprint;
  if (s.policy !== undefined && s.policy !== r.policy) return false;
  if (s.resource !== undefined && s.resource !== r.resource.id && s.resource !== r.resource.name)
    return false;
  if (s.tag !== undefined && resource?.tags[s.tag.key] !== s.tag.value) return false;
  return s.resource !== undefined || s.tag !== undefined;
}

/** `suppressed #3 by team-a until 2027-01-31: reason`, the exempt result's reason. */
export function describeSuppression(s: Suppression): string {
  const who = s.owner ? ` by ${s.owner}` : '';
  const until = s.expires ? ` until ${s.expires.slice(0, 10)}` : '';
  return `suppressed #${s.id}${who}${until}: ${s.reason}`;
}

/**
 * Failing (and error) results that an active suppression matches become `exempt` with the
 * suppression as reason: still listed, no longer counted against a gate. Expired ones match nothing,
 * so the next scan fails (and the store reopens) the finding again.
 */
export function applySuppressions(
  results: Result[],
  resources: ReadonlyMap<string, Resource>,
  suppressions: readonly Suppression[],
  now: Date,
): { results: Result[]; suppressed: number } {
  const active = suppressions.filter((s) => isActive(s, now));
  if (active.length === 0) return { results, suppressed: 0 };
  let suppressed = 0;
  const out = results.map((r) => {
    if (r.status !== 'fail' && r.status !== 'error') return r;
    const s = active.find((x) => matches(x, r, resources.get(r.resource.id)));
    if (!s) return r;
    suppressed++;
    return { ...r, status: 'exempt' as const, reason: describeSuppression(s) };
  });
  return { results: out, suppressed };
}

/** The active suppression that covers a stored finding (same matching as for results), if any. */
export function suppressionOfFinding(
  f: {
    fingerprint: string;
    policy: string;
    resource: { id: string; name: string };
    tags: Record<string, string>;
  },
  suppressions: readonly Suppression[],
  now: Date,
): Suppression | undefined {
  return suppressions.find((s) => {
    if (!isActive(s, now)) return false;
    if (s.fingerprint !== undefined) return s.fingerprint === f.fingerprint;
    if (s.policy !== undefined && s.policy !== f.policy) return false;
    if (s.resource !== undefined && s.resource !== f.resource.id && s.resource !== f.resource.name)
      return false;
    if (s.tag !== undefined && f.tags[s.tag.key] !== s.tag.value) return false;
    return s.resource !== undefined || s.tag !== undefined;
  });
}
