import type { z } from 'zod';
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

/** Every action type a policy may declare. `redeploy` is handled by the pipeline trigger, not here. */
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

export interface BoundAction {
  action: RemediationAction<never>;
  options: never;
  /** Index in the policy's `actions` list. */
  index: number;
}

/**
 * Checks a policy's `actions` (known type, applies to the policy's resource types, valid options) and
 * returns them parsed. Mistakes throw SpecError with the path inside the policy, so the loader reports
 * file:line:col like any other policy mistake.
 */
export function bindActions(def: PolicyDefinition): BoundAction[] {
  return def.actions.map((raw, index) => {
    const action = ACTIONS.get(raw.type);
    if (!action)
      throw new SpecError(
        ['actions', index, 'type'],
        `unknown action "${raw.type}"${didYouMean(raw.type, ACTIONS.keys())} (actions: ${[...ACTIONS.keys()].join(', ')})`,
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
    return { action, options: parsed.data as never, index };
  });
}
