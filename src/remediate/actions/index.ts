import { z } from 'zod';
import type { CompiledPolicy } from '../../policy/compile.js';
import type { PolicyDefinition } from '../../policy/definition.js';
import { didYouMean, SpecError } from '../../policy/spec-error.js';
import { deactivateAccessKey, detachAdminPolicy, stopInstance } from './compute.js';
import { removePermissions } from './network.js';
import { unshare } from './sharing.js';
import {
  blockPublicAccess,
  enableBucketEncryption,
  enableKeyRotation,
  removePublicAcl,
  removePublicStatements,
} from './storage.js';
import { terminate } from './terminate.js';
import type { RemediationAction } from './types.js';

/** The modify and terminate actions; `redeploy` (a pipeline trigger, not AWS calls) is bound separately. */
export const ACTIONS: ReadonlyMap<string, RemediationAction<never>> = new Map(
  (
    [
      removePermissions,
      blockPublicAccess,
      removePublicAcl,
      removePublicStatements,
      enableBucketEncryption,
      enableKeyRotation,
      unshare,
      stopInstance,
      detachAdminPolicy,
      deactivateAccessKey,
      terminate,
    ] as RemediationAction<never>[]
  ).map((a) => [a.type, a]),
);

/** A modify or terminate action: AWS calls planned from the resource. */
export interface BoundModify {
  kind: 'modify';
  action: RemediationAction<never>;
  options: never;
  /** Index in the policy's `actions` list. */
  index: number;
}

/** `type: redeploy`: trigger a pipeline of `--pipelines` with inputs rendered from the finding. */
export interface BoundRedeploy {
  kind: 'redeploy';
  pipeline: string;
  inputs?: Record<string, string | number | boolean>;
  index: number;
}

export type BoundAction = BoundModify | BoundRedeploy;

const PLACEHOLDERS = new Set([
  'resource.name',
  'resource.id',
  'resource.type',
  'resource.account',
  'resource.region',
  'policy',
  'fingerprint',
  'unique',
]);

const redeploySchema = z
  .object({
    type: z.literal('redeploy'),
    pipeline: z.string().regex(/^[\w.-]+$/, 'a pipeline name from the pipelines file'),
    inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();

function bindRedeploy(raw: unknown, index: number): BoundRedeploy {
  const r = redeploySchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys')
      throw new SpecError(
        ['actions', index, issue.keys[0]!],
        `unknown option "${issue.keys[0]}" for action redeploy`,
      );
    throw new SpecError(
      ['actions', index, ...path],
      `action redeploy: ${path.join('.') || 'options'}: ${issue.message}`,
    );
  }
  for (const [name, template] of Object.entries(r.data.inputs ?? {})) {
    for (const m of String(template).matchAll(/\$\{([\w.]+)\}/g)) {
      if (!PLACEHOLDERS.has(m[1]!))
        throw new SpecError(
          ['actions', index, 'inputs', name],
          `unknown placeholder \${${m[1]}} (known: ${[...PLACEHOLDERS].join(', ')})`,
        );
    }
  }
  return {
    kind: 'redeploy',
    pipeline: r.data.pipeline,
    ...(r.data.inputs ? { inputs: r.data.inputs } : {}),
    index,
  };
}

/**
 * Checks a policy's `actions` (known type, applies to the policy's resource types, valid options) and
 * returns them parsed. Mistakes throw SpecError with the path inside the policy, so the loader reports
 * file:line:col like any other policy mistake.
 */
export function bindActions(def: PolicyDefinition): BoundAction[] {
  return def.actions.map((raw, index): BoundAction => {
    if (raw.type === 'redeploy') return bindRedeploy(raw, index);
    const action = ACTIONS.get(raw.type);
    if (!action)
      throw new SpecError(
        ['actions', index, 'type'],
        `unknown action "${raw.type}"${didYouMean(raw.type, [...ACTIONS.keys(), 'redeploy'])} (actions: ${[...ACTIONS.keys(), 'redeploy'].join(', ')})`,
      );
    const wrong = def.resourceTypes.filter((t) => !action.resourceTypes.includes(t));
    if (wrong.length > 0)
      throw new SpecError(
        ['actions', index, 'type'],
        `action "${raw.type}" does not apply to ${wrong.join(', ')} (it applies to ${action.resourceTypes.join(', ')})`,
      );
    const parsed = (action.options as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown option "${issue.keys[0]}" for action ${raw.type}`
          : `action ${raw.type}: ${path.join('.') || 'options'}: ${issue.message}`;
      const at = issue.code === 'unrecognized_keys' ? [issue.keys[0]!] : path;
      throw new SpecError(['actions', index, ...at], message);
    }
    return { kind: 'modify', action, options: parsed.data as never, index };
  });
}

/** The policy with the paths its actions read added, so demand-driven collection fetches them. */
export function withActionReads(policy: CompiledPolicy): CompiledPolicy {
  const extra = policy.definition.actions.flatMap((a) => ACTIONS.get(a.type)?.reads ?? []);
  return extra.length === 0 ? policy : { ...policy, paths: [...new Set([...policy.paths, ...extra])] };
}
