import type { Inventory } from '../model/resource.js';
import type { Result } from '../model/result.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { type RemediateOptions, type RemediationReport, remediate } from './run.js';

export type RespondOptions = Omit<
  RemediateOptions,
  'policy' | 'params' | 'apply' | 'confirm' | 'resource' | 'redeploy'
> & {
  /** Parameter values per policy (defaults merged with overrides). */
  params?: (policy: CompiledPolicy) => Record<string, unknown>;
};

/**
 * The watch loop's response to fresh results: policies with `mode: remediate` act at once, policies
 * with `mode: ask` open approvals, `report` policies do nothing. Destructive actions never run from
 * here (no `--confirm` in a loop): a terminate policy is refused with an input error and skipped.
 */
export async function respondToFindings(
  inventory: Inventory,
  results: readonly Result[],
  policies: readonly CompiledPolicy[],
  opts: RespondOptions,
): Promise<{ reports: RemediationReport[]; skipped: { policy: string; reason: string }[] }> {
  const reports: RemediationReport[] = [];
  const skipped: { policy: string; reason: string }[] = [];
  const failing = new Set(results.filter((r) => r.status === 'fail').map((r) => r.policy));
  for (const policy of policies) {
    const mode = policy.definition.mode;
    if (mode === 'report' || !failing.has(policy.id) || policy.definition.actions.length === 0) continue;
    try {
      reports.push(
        await remediate(inventory, results, {
          ...opts,
          policy,
          params: opts.params?.(policy) ?? defaults(policy),
          apply: true,
          confirm: false,
        }),
      );
    } catch (err) {
      // One policy's refusal (terminate without confirm, a missing pipeline) must not stop the others.
      skipped.push({ policy: policy.id, reason: (err as Error).message });
    }
  }
  return { reports, skipped };
}

function defaults(policy: CompiledPolicy): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy.definition.parameters).map(([k, p]) => [k, p.default]));
}
