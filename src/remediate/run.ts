import type { Kysely } from 'kysely';
import type { CallSender } from '../enforce/enforce.js';
import type { AwsCall } from '../enforce/types.js';
import { scanInventory } from '../engine/scan.js';
import type { Inventory, Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { auditBegin, auditEnd } from '../store/audit.js';
import { resolveRemediated } from '../store/findings.js';
import { findingIdentity } from '../store/identity.js';
import type { Database } from '../store/schema.js';
import { InputError } from '../util/errors.js';
import { type BoundAction, type BoundRedeploy, bindActions } from './actions/index.js';
import type { ActionContext } from './actions/types.js';
import { inputsFor } from './redeploy/inputs.js';
import type { PipelineTrigger } from './redeploy/types.js';

export type StepStatus =
  | 'planned'
  | 'refused'
  | 'applied'
  | 'triggered'
  | 'awaiting-approval'
  | 'failed'
  | 'not-run';

/** One action on one resource. */
export interface RemediationStep {
  resource: string;
  type: string;
  action: string;
  calls: AwsCall[];
  status: StepStatus;
  /** Why the action was refused, or the error that stopped the run. */
  reason?: string;
  /** Redeploy: the pipeline, the inputs rendered from the finding, the request, and the run (or queue) URL. */
  pipeline?: string;
  inputs?: Record<string, string>;
  request?: string;
  url?: string;
  /** `mode: ask`: the approval the step waits in. */
  approval?: number;
  /** After `--apply`: the policy's verdict on the re-read resource (`gone` when it no longer exists). */
  verified?: 'pass' | 'fail' | 'gone' | 'undecided';
}

export interface RemediationReport {
  kind: 'warden-remediation';
  policy: string;
  mode: 'dry-run' | 'apply';
  steps: RemediationStep[];
  /** Failing resources left alone because of `--max-resources`. */
  skipped: string[];
  resolved: number;
}

export interface RemediateOptions {
  policy: CompiledPolicy;
  /** The policy's parameters, defaults merged with `--param`. */
  params: Record<string, unknown>;
  apply: boolean;
  confirm: boolean;
  allowIamChanges: boolean;
  maxResources?: number;
  resource?: string;
  who: string;
  now: Date;
  db?: Kysely<Database>;
  sender?: CallSender;
  describeError?: (err: unknown) => string;
  /** `--pipelines`: the redeploy triggers by name. */
  pipelines?: ReadonlyMap<string, PipelineTrigger>;
  /** `--redeploy NAME`: trigger this pipeline instead of the policy's other actions. */
  redeploy?: string;
  /** Reads the resources again after acting (the same sources as the scan). */
  reread?: () => Promise<Inventory>;
}

export interface ApplyContext {
  policyId: string;
  who: string;
  db: Kysely<Database>;
  sender?: CallSender;
  pipelines?: ReadonlyMap<string, PipelineTrigger>;
  describeError?: (err: unknown) => string;
}

/**
 * Makes planned steps in order, each audited before and after (refused ones are audited as
 * refused); the first unexpected error stops the rest (`not-run`). Returns the resources acted on
 * through AWS calls (pipeline triggers act later, in the pipeline).
 */
export async function applySteps(steps: RemediationStep[], ctx: ApplyContext): Promise<Set<string>> {
  const acted = new Set<string>();
  let stopped = false;
  for (const step of steps) {
    if (stopped) {
      if (step.status === 'planned') step.status = 'not-run';
      continue;
    }
    const auditId = await auditBegin(ctx.db, {
      who: ctx.who,
      action: `remediate:${ctx.policyId}:${step.action}`,
      resource: step.resource,
      calls: step.pipeline
        ? [{ pipeline: step.pipeline, request: step.request, inputs: step.inputs }]
        : step.calls,
    });
    if (step.status === 'refused') {
      await auditEnd(ctx.db, auditId, `refused: ${step.reason}`);
      continue;
    }
    try {
      if (step.pipeline) {
        const trigger = ctx.pipelines?.get(step.pipeline);
        if (!trigger) throw new Error(`pipeline "${step.pipeline}" is not in the pipelines file`);
        // The pipeline applies the fix later: the finding resolves at a scan after it ran.
        const res = await trigger.trigger(step.inputs ?? {});
        step.status = 'triggered';
        const url = res.runUrl ?? res.queuedUrl;
        if (url) step.url = url;
        await auditEnd(ctx.db, auditId, `ok: ${url ?? 'triggered'}`);
        continue;
      }
      if (!ctx.sender) throw new Error('no AWS sender');
      for (const call of step.calls) await ctx.sender.send(call);
      step.status = 'applied';
      acted.add(step.resource);
      await auditEnd(ctx.db, auditId, 'ok');
    } catch (err) {
      step.status = 'failed';
      step.reason = (ctx.describeError ?? ((e) => String((e as Error).message)))(err);
      await auditEnd(ctx.db, auditId, `failed: ${step.reason}`);
      stopped = true;
    }
  }
  return acted;
}

/**
 * `--redeploy NAME` replaces the policy's actions with one pipeline trigger, keeping the inputs of
 * the policy's own redeploy action when it has one (else the built-in defaults per policy).
 */
function chooseActions(bound: BoundAction[], redeploy: string | undefined): BoundAction[] {
  if (redeploy === undefined) return bound;
  const own = bound.find((b): b is BoundRedeploy => b.kind === 'redeploy');
  return [{ kind: 'redeploy', pipeline: redeploy, ...(own?.inputs ? { inputs: own.inputs } : {}), index: 0 }];
}

/** Sources that describe deployed resources; IaC findings are fixed in the code, not through the API. */
const LIVE_KINDS: ReadonlySet<string> = new Set(['live', 'snapshot', 'event']);

/** The failing resources of a policy, one per resource (a path policy fails once per path). */
function targetsOf(results: readonly Result[], policy: string, only?: string): string[] {
  const ids = new Set<string>();
  for (const r of results) {
    if (r.policy !== policy || r.status !== 'fail') continue;
    if (only !== undefined && r.resource.id !== only && r.resource.name !== only) continue;
    ids.add(r.resource.id);
  }
  return [...ids].sort();
}

function verdictOf(results: readonly Result[], policy: string, id: string): RemediationStep['verified'] {
  const mine = results.filter((r) => r.policy === policy && r.resource.id === id);
  if (mine.length === 0) return 'gone';
  if (mine.some((r) => r.status === 'fail')) return 'fail';
  if (mine.every((r) => r.status === 'pass' || r.status === 'exempt')) return 'pass';
  return 'undecided';
}

/**
 * Plans, and with `apply` makes, a policy's actions on its failing resources: the function both
 * `warden remediate` and the watch loop (policies with `mode: remediate`) call. Every applied or
 * refused action is audited before and after; the first unexpected error stops the run; after
 * acting the resources are re-read and a finding resolves only when the policy passes again.
 */
export async function remediate(
  inventory: Inventory,
  results: readonly Result[],
  opts: RemediateOptions,
): Promise<RemediationReport> {
  const def = opts.policy.definition;
  const bound = chooseActions(bindActions(def), opts.redeploy);
  if (bound.length === 0)
    throw new InputError(`policy ${def.id} declares no actions`, def.origin.file, def.origin.line);
  if (opts.apply && !opts.confirm && bound.some((b) => b.kind === 'modify' && b.action.destructive))
    throw new InputError(`policy ${def.id} terminates resources: --apply needs --confirm`);
  for (const b of bound) {
    if (b.kind === 'redeploy' && !opts.pipelines?.has(b.pipeline))
      throw new InputError(
        opts.pipelines
          ? `policy ${def.id} redeploys through pipeline "${b.pipeline}", which the pipelines file does not define`
          : `policy ${def.id} redeploys through pipeline "${b.pipeline}": give the pipelines file with --pipelines`,
      );
  }
  if (opts.apply && (!opts.db || !opts.sender)) throw new Error('applying needs the store and an AWS sender');
  const byId = new Map(inventory.resources.map((r) => [r.id, r]));
  const all = targetsOf(results, def.id, opts.resource);
  const cap = opts.maxResources ?? all.length;
  const targets = all.slice(0, cap);
  const report: RemediationReport = {
    kind: 'warden-remediation',
    policy: def.id,
    mode: opts.apply ? 'apply' : 'dry-run',
    steps: [],
    skipped: all.slice(cap),
    resolved: 0,
  };
  const ctx: ActionContext = { params: opts.params, now: opts.now, allowIamChanges: opts.allowIamChanges };
  for (const id of targets) {
    const resource = byId.get(id) as Resource;
    for (const b of bound) {
      if (b.kind === 'redeploy') {
        const finding = results.find(
          (r) => r.policy === def.id && r.resource.id === id && r.status === 'fail',
        )!;
        const inputs = inputsFor(finding, b.inputs);
        report.steps.push({
          resource: id,
          type: resource.type,
          action: 'redeploy',
          calls: [],
          status: 'planned',
          pipeline: b.pipeline,
          inputs,
          request: opts.pipelines!.get(b.pipeline)!.describe(inputs),
        });
        continue;
      }
      const plan = LIVE_KINDS.has(resource.source.kind)
        ? b.action.plan(resource, b.options, ctx)
        : { refused: `not a live resource: change it in ${resource.source.file ?? 'its source'}` };
      report.steps.push({
        resource: id,
        type: resource.type,
        action: b.action.type,
        calls: 'calls' in plan ? plan.calls : [],
        status: 'calls' in plan ? 'planned' : 'refused',
        ...('refused' in plan ? { reason: plan.refused } : {}),
      });
    }
  }
  if (!opts.apply) return report;
  const db = opts.db!;
  if (def.mode === 'ask') {
    // A person decides: the exact steps wait as an approval (`warden approvals accept ID` runs them).
    for (const id of targets) {
      const steps = report.steps.filter((st) => st.resource === id && st.status === 'planned');
      if (steps.length === 0) continue;
      const { openApproval } = await import('../store/approvals.js');
      const a = await openApproval(db, {
        policy: def.id,
        resource: id,
        steps,
        requestedBy: opts.who,
        requestedAt: opts.now.toISOString(),
      });
      for (const st of steps) {
        st.status = 'awaiting-approval';
        st.approval = a.id;
      }
    }
    return report;
  }
  const acted = await applySteps(report.steps, { ...opts, db, policyId: def.id });
  if (acted.size === 0 || !opts.reread) return report;
  const after = await opts.reread();
  const evaluation = scanInventory(after, { definitions: [def], compiled: [opts.policy] }, opts.now);
  const verdicts = new Map([...acted].map((id) => [id, verdictOf(evaluation.results, def.id, id)]));
  const resolve: { identity: string; resourceId: string }[] = [];
  for (const step of report.steps) {
    if (step.status !== 'applied') continue;
    step.verified = verdicts.get(step.resource);
  }
  for (const [id, verdict] of verdicts) {
    if (verdict !== 'pass' && verdict !== 'gone') continue;
    const fp = results.find((r) => r.policy === def.id && r.resource.id === id)?.fingerprint ?? '';
    resolve.push({ identity: findingIdentity(def.id, fp, byId.get(id)), resourceId: id });
  }
  report.resolved = await resolveRemediated(db, def.id, resolve, opts.now.toISOString());
  await auditBegin(db, {
    who: opts.who,
    action: `verify:${def.id}`,
    resource: [...acted].join(','),
    calls: [],
  }).then((id) => auditEnd(db, id, [...verdicts].map(([r, v]) => `${r}: ${v}`).join('; ')));
  return report;
}
