import type { z } from 'zod';
import type { AwsCall } from '../../enforce/types.js';
import type { Resource } from '../../model/resource.js';

/** What an action knows besides the resource: the policy's bound parameters and the clock. */
export interface ActionContext {
  params: Record<string, unknown>;
  now: Date;
  /** `--allow-iam-changes`: IAM edits change who can do what, so they are opt-in. */
  allowIamChanges: boolean;
}

/** The calls one action makes on one resource, or why it will not act. */
export type ActionPlan = { calls: AwsCall[] } | { refused: string };

/**
 * One remediation action type (`actions: [{type: …}]` in a policy). Plans are pure: they read the
 * resource as collected and return the exact AWS SDK v3 calls the executor of src/enforce sends.
 */
export interface RemediationAction<O = Record<string, unknown>> {
  type: string;
  resourceTypes: readonly string[];
  /** `terminate` deletes: it needs `--confirm` besides `--apply`. */
  destructive?: boolean;
  options: z.ZodType<O>;
  /** Config paths the plan reads beyond the policy's filters: live collection must fetch them too. */
  reads?: readonly string[];
  plan(resource: Resource, options: O, ctx: ActionContext): ActionPlan;
}

export type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The region a call for this resource goes to. */
export function regionOf(r: Resource): string {
  return r.region || (r.type === 'aws.s3.bucket' ? String(r.config.Location ?? '') : '') || 'us-east-1';
}
