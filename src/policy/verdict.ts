import type { Evidence } from '../model/result.js';

/**
 * A filter's answer. Filters use three-valued (Kleene) logic plus `error`: a value Terraform knows
 * only after apply makes a filter `unknown`, an unreadable value makes it `error`, and `and`/`or`
 * only give up a definite answer when the undecided part could change it.
 */
export type Truth = true | false | 'unknown' | 'error';

/** One path a `path` filter matched: the resources along it and what each step showed. */
export interface MatchedPath {
  /** Resource/node ids along the path, the evaluated resource first. */
  ids: string[];
  /** The path in words, e.g. `bastion → key pair ops → worker`. */
  summary: string;
  evidence: Evidence[];
}

export interface Verdict {
  truth: Truth;
  evidence: Evidence[];
  /** Why the verdict is unknown or error (e.g. the paths that were not known). */
  reason?: string;
  /** For a true verdict of a `path` filter: each matched path, reported as a finding of its own. */
  paths?: MatchedPath[];
}

export const TRUE_NO_EVIDENCE: Verdict = Object.freeze({ truth: true, evidence: [] }) as Verdict;
export const FALSE_NO_EVIDENCE: Verdict = Object.freeze({ truth: false, evidence: [] }) as Verdict;

export function verdict(truth: Truth, evidence: Evidence[] = [], reason?: string): Verdict {
  return reason === undefined ? { truth, evidence } : { truth, evidence, reason };
}

export function allOf(parts: Verdict[]): Verdict {
  const evidence: Evidence[] = [];
  let undecided: Verdict | undefined;
  let paths: MatchedPath[] | undefined;
  for (const part of parts) {
    if (part.truth === false) return part;
    if (part.truth === true) {
      evidence.push(...part.evidence);
      // One path filter per conjunction decides the findings; a second one only has to match.
      paths ??= part.paths;
    } else if (!undecided || (part.truth === 'error' && undecided.truth !== 'error')) undecided = part;
  }
  if (undecided) return undecided;
  return paths ? { truth: true, evidence, paths } : { truth: true, evidence };
}

export function anyOf(parts: Verdict[]): Verdict {
  let undecided: Verdict | undefined;
  for (const part of parts) {
    if (part.truth === true) return part;
    if (part.truth !== false && (!undecided || (part.truth === 'error' && undecided.truth !== 'error'))) {
      undecided = part;
    }
  }
  return undecided ?? { truth: false, evidence: [] };
}

export function negate(part: Verdict): Verdict {
  if (part.truth === true) return { truth: false, evidence: part.evidence };
  if (part.truth === false) return { truth: true, evidence: part.evidence };
  return part;
}
