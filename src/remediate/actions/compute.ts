import { z } from 'zod';
import type { AwsCall } from '../../enforce/types.js';
import { asArray, isRec, type RemediationAction, regionOf } from './types.js';

const stopOptions = z.object({ type: z.literal('stop') }).strict();

export const stopInstance: RemediationAction<z.infer<typeof stopOptions>> = {
  type: 'stop',
  resourceTypes: ['aws.ec2.instance'],
  options: stopOptions,
  plan(r) {
    const state = isRec(r.config.State) ? r.config.State.Name : undefined;
    if (state === 'stopped' || state === 'stopping' || state === 'terminated')
      return { refused: `the instance is already ${String(state)}` };
    return {
      calls: [
        {
          service: 'ec2',
          command: 'StopInstances',
          input: { InstanceIds: [String(r.config.InstanceId ?? r.name)] },
          region: regionOf(r),
        },
      ],
    };
  },
};

const ADMIN_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

const detachOptions = z
  .object({
    type: z.literal('detach-admin-policy'),
    /** Extra policy ARNs to detach besides AdministratorAccess. */
    policies: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\//)).default([]),
  })
  .strict();

/**
 * Detaches AdministratorAccess (and the listed policies) from the role of the instance's profile.
 * Changing IAM changes who can do what in the whole account, so it needs `--allow-iam-changes`.
 */
export const detachAdminPolicy: RemediationAction<z.infer<typeof detachOptions>> = {
  type: 'detach-admin-policy',
  resourceTypes: ['aws.ec2.instance'],
  options: detachOptions,
  reads: ['IamInstanceProfile'],
  plan(r, o, ctx) {
    if (!ctx.allowIamChanges) return { refused: 'IAM changes need --allow-iam-changes' };
    const profile = isRec(r.config.IamInstanceProfile) ? r.config.IamInstanceProfile : {};
    const calls: AwsCall[] = [];
    for (const role of asArray(profile.Roles)) {
      if (!isRec(role) || typeof role.RoleName !== 'string') continue;
      for (const p of asArray(role.AttachedManagedPolicies)) {
        if (!isRec(p) || typeof p.PolicyArn !== 'string') continue;
        if (ADMIN_ARN.test(p.PolicyArn) || o.policies.includes(p.PolicyArn))
          calls.push({
            service: 'iam',
            command: 'DetachRolePolicy',
            input: { RoleName: role.RoleName, PolicyArn: p.PolicyArn },
            region: 'us-east-1',
          });
      }
    }
    if (calls.length === 0) return { refused: 'no attached admin policy on the instance role' };
    return { calls };
  },
};

const keyOptions = z
  .object({
    type: z.literal('deactivate-access-key'),
    /** Default: the policy's maxAgeDays parameter, else 90. */
    'max-age-days': z.number().int().positive().optional(),
  })
  .strict();

/** Deactivates the user's active access keys created more than max-age-days ago (never deletes them). */
export const deactivateAccessKey: RemediationAction<z.infer<typeof keyOptions>> = {
  type: 'deactivate-access-key',
  resourceTypes: ['aws.iam.user'],
  options: keyOptions,
  reads: ['AccessKeys'],
  plan(r, o, ctx) {
    const days =
      o['max-age-days'] ?? (typeof ctx.params.maxAgeDays === 'number' ? ctx.params.maxAgeDays : 90);
    const cutoff = ctx.now.getTime() - days * 86_400_000;
    const calls: AwsCall[] = [];
    for (const k of asArray(r.config.AccessKeys)) {
      if (!isRec(k) || k.Status !== 'Active' || typeof k.AccessKeyId !== 'string') continue;
      const created = Date.parse(String(k.CreateDate));
      if (Number.isNaN(created) || created > cutoff) continue;
      calls.push({
        service: 'iam',
        command: 'UpdateAccessKey',
        input: {
          UserName: String(r.config.UserName ?? r.name),
          AccessKeyId: k.AccessKeyId,
          Status: 'Inactive',
        },
        region: 'us-east-1',
      });
    }
    if (calls.length === 0) return { refused: `no active access key older than ${days} days` };
    return { calls };
  },
};
