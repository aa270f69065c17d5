/**
 * A policy-file mistake found while checking or compiling a policy. `at` is the path inside the
 * policy document (keys and list indexes) so the loader can turn it into file:line:column.
 */
export class SpecError extends Error {
  constructor(
    readonly at: (string | number)[],
    message: string,
  ) {
    super(message);
    this.name = 'SpecError';
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** `; did you mean "x"?` for the closest candidate within a sensible distance, else ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined || bestDistance > Math.max(2, Math.floor(word.length / 3))) return '';
  return `; did you mean "${best}"?`;
}
