import type { Kysely } from 'kysely';
import type { DriftResult } from '../drift/diff.js';
import type { EnforcementSummary } from '../drift/report.js';
import type { Resource } from '../model/resource.js';
import { auditBegin, auditEnd } from '../store/audit.js';
import type { EnforcementState } from '../store/enforcement.js';
import type { Database } from '../store/schema.js';
import { planRevert } from './reverters.js';
import type { AwsCall } from './types.js';

export interface CallSender {
  send(call: AwsCall): Promise<void>;
}

export interface EnforceOptions {
  apply: boolean;
  state: EnforcementState;
  who: string;
  /** Needed with `apply`: every revert is written to the audit log before and after. */
  db?: Kysely<Database>;
  sender?: CallSender;
  describeError?: (err: unknown) => string;
}

/**
 * Plans (and with `apply`, makes) the calls that bring drifted resources back to the baseline.
 * While enforcement is paused nothing is planned or reverted: the drift is only recorded.
 */
export async function enforceDrift(
  drift: DriftResult,
  baseline: ReadonlyMap<string, Resource>,
  current: ReadonlyMap<string, Resource>,
  opts: EnforceOptions,
): Promise<EnforcementSummary> {
  const summary: EnforcementSummary = {
    mode: opts.apply ? 'apply' : 'dry-run',
    reverts: [],
    notEnforceable: [],
  };
  if (opts.state.paused) {
    summary.mode = 'paused';
    summary.paused = { reason: opts.state.reason, until: opts.state.until, by: opts.state.by };
    return summary;
  }
  for (const r of drift.added)
    summary.notEnforceable.push({
      resource: r.id,
      type: r.type,
      paths: [],
      reason: 'added outside the baseline',
    });
  for (const r of drift.removed)
    summary.notEnforceable.push({
      resource: r.id,
      type: r.type,
      paths: [],
      reason: 'removed since the baseline',
    });
  for (const d of drift.changed) {
    const base = baseline.get(d.id);
    const cur = current.get(d.id);
    const plan = base && cur ? planRevert(d, base, cur) : undefined;
    if (!plan) {
      summary.notEnforceable.push({
        resource: d.id,
        type: d.type,
        paths: d.changes.map((c) => c.path),
        reason: 'no reverter for this type',
      });
      continue;
    }
    if (plan.notEnforceable.length > 0)
      summary.notEnforceable.push({
        resource: d.id,
        type: d.type,
        paths: plan.notEnforceable,
        reason: 'not revertible',
      });
    if (plan.calls.length === 0) continue;
    const entry: EnforcementSummary['reverts'][number] = {
      resource: d.id,
      type: d.type,
      calls: plan.calls,
      status: 'planned',
    };
    summary.reverts.push(entry);
    if (!opts.apply) continue;
    if (!opts.db || !opts.sender) throw new Error('applying reverts needs the store and an AWS sender');
    const auditId = await auditBegin(opts.db, {
      who: opts.who,
      action: 'drift-revert',
      resource: d.id,
      calls: plan.calls,
    });
    try {
      for (const call of plan.calls) await opts.sender.send(call);
      entry.status = 'applied';
      await auditEnd(opts.db, auditId, 'ok');
    } catch (err) {
      entry.status = 'failed';
      entry.error = (opts.describeError ?? ((e) => String((e as Error).message)))(err);
      await auditEnd(opts.db, auditId, `failed: ${entry.error}`);
    }
  }
  return summary;
}
