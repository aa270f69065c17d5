import type { Evidence } from '../../model/result.js';
import { objectItems as list, type Obj } from '../../util/narrow.js';
import type { EvalContext } from '../context.js';
import { asDocument, attachedDocument, isAllOnAll, isAwsManagedArn, statements } from '../iam-documents.js';
import { type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, TypedFilter } from './types.js';

const INLINE_KEYS = ['RolePolicyList', 'UserPolicyList', 'GroupPolicyList'] as const;

/**
 * Whether an identity's policies (attached managed and inline) grant `*` on `*` without an explicit
 * deny of the same. Attached policies whose document is not available make the answer `unknown`
 * unless another policy already proves admin; AWS managed policies come from the built-in table.
 */
function identityAdmin(config: Obj, prefix: string): Verdict {
  const allows: Evidence[] = [];
  let denied = false;
  const missing: string[] = [];
  list(config.AttachedManagedPolicies).forEach((entry, i) => {
    const doc = attachedDocument(entry);
    const name = String(entry.PolicyName ?? entry.PolicyArn ?? `#${i}`);
    if (!doc) {
      if (!isAwsManagedArn(entry.PolicyArn)) missing.push(name);
      return;
    }
    for (const st of statements(doc)) {
      if (isAllOnAll(st, 'Deny')) denied = true;
      if (isAllOnAll(st, 'Allow')) {
        allows.push({
          path: `${prefix}AttachedManagedPolicies[${i}]`,
          value: entry.PolicyArn ?? entry.PolicyName,
          note: `managed policy ${name} allows * on *`,
        });
      }
    }
  });
  for (const key of INLINE_KEYS) {
    list(config[key]).forEach((entry, i) => {
      for (const st of statements(asDocument(entry.PolicyDocument))) {
        if (isAllOnAll(st, 'Deny')) denied = true;
        if (isAllOnAll(st, 'Allow')) {
          allows.push({
            path: `${prefix}${key}[${i}]`,
            value: entry.PolicyName,
            note: `inline policy ${String(entry.PolicyName ?? i)} allows * on *`,
          });
        }
      }
    });
  }
  if (allows.length > 0 && !denied) return verdict(true, allows);
  if (missing.length > 0 && !denied) {
    return verdict(
      'unknown',
      [],
      `attached policy documents not available (not in the input, or known only after apply): ${missing.join(', ')}`,
    );
  }
  return verdict(false);
}

function instanceAdmin(config: Obj, ctx: EvalContext): Verdict {
  const profile = config.IamInstanceProfile;
  if (profile === undefined || profile === null) {
    return ctx.undecided(['IamInstanceProfile']) ?? verdict(false);
  }
  const p = profile as Obj;
  const roles = list(p.Roles);
  if (roles.length === 0) {
    const name = String(p.Name ?? p.Arn ?? 'instance profile');
    return (
      ctx.undecided(['IamInstanceProfile']) ??
      verdict('unknown', [], `the role of ${name} is not in the input (scan the account or the IAM code too)`)
    );
  }
  const parts = roles.map((role, i) => {
    const v = identityAdmin(role, `IamInstanceProfile.Roles[${i}].`);
    if (v.truth === true) {
      v.evidence.unshift({
        path: `IamInstanceProfile.Roles[${i}].RoleName`,
        value: role.RoleName ?? role.Arn,
      });
    }
    return v;
  });
  return parts.find((v) => v.truth === true) ?? parts.find((v) => v.truth !== false) ?? verdict(false);
}

/** `iam-admin`: the identity (or the instance's role) can do anything on anything. */
export const iamAdminFilter: TypedFilter = {
  name: 'iam-admin',
  description: 'role, user, group, policy or instance role grants * on * (AdministratorAccess or equivalent)',
  resourceTypes: ['aws.iam.role', 'aws.iam.user', 'aws.iam.group', 'aws.iam.policy', 'aws.ec2.instance'],
  options: [],
  compile(): CompiledFilter {
    return {
      paths: ['AttachedManagedPolicies', ...INLINE_KEYS, 'PolicyDocument', 'IamInstanceProfile'],
      evaluate(resource, ctx) {
        const c = resource.config;
        if (resource.type === 'aws.ec2.instance') return instanceAdmin(c, ctx);
        if (resource.type === 'aws.iam.policy') {
          const undecided = ctx.undecided(['PolicyDocument']);
          if (undecided) return undecided;
          const hits = statements(c.PolicyDocument).filter((st) => isAllOnAll(st, 'Allow'));
          return hits.length > 0
            ? verdict(true, [{ path: 'PolicyDocument', note: 'a statement allows * on *' }])
            : verdict(false);
        }
        const undecided = ctx.undecided(['AttachedManagedPolicies', ...INLINE_KEYS]);
        const v = identityAdmin(c, '');
        return v.truth === true ? v : (undecided ?? v);
      },
    };
  },
};
