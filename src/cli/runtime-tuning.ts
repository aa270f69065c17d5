import { setFlagsFromString } from 'node:v8';

/**
 * V8's tier-up budget for the CLI process. A scan is a short burst of many different functions (parse,
 * translate, link, graph, some thirty policies, output), each hot for a moment; with V8's default budget
 * most of them are queued for the optimizing compiler, whose background threads then compete with the
 * main thread for the cores of a small CI runner without paying off before the process exits. A
 * larger budget optimizes only what stays hot. Measured on a 2-core machine, 10k-resource plan: 0.79 s
 * → 0.60 s; 100k: 4.9 s → 4.6 s; 1k unchanged (docs/bench/2026-11-23-plan-scan-final.md). Results do
 * not depend on it. The budget is a heuristic V8 reads as it goes, so setting it at start-up is safe;
 * a budget the user passes (`node --interrupt-budget=…`, NODE_OPTIONS) wins.
 */
export const INTERRUPT_BUDGET = 500_000;

export function tuneRuntime(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) =>
    /^--interrupt[-_]budget(=|$)/.test(a),
  );
  if (given) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}
