/**
 * Reading IAM policy documents: statements, their actions and resources, and whether a set of
 * documents grants full administrator power. Shared by the `iam-admin` filter and the graph.
 */
export interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export function asDocument(doc: unknown): Record<string, unknown> | undefined {
  if (typeof doc === 'string') {
    try {
      const parsed: unknown = JSON.parse(doc);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
}

export function statements(doc: unknown): Statement[] {
  const d = asDocument(doc);
  if (!d) return [];
  const s = d.Statement;
  if (Array.isArray(s)) return s.filter((x): x is Statement => !!x && typeof x === 'object');
  return s && typeof s === 'object' ? [s as Statement] : [];
}

export function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** An Allow (or Deny) of every action on every resource. */
export function isAllOnAll(st: Statement, effect: 'Allow' | 'Deny'): boolean {
  if (st.Effect !== effect) return false;
  if (st.NotAction !== undefined || st.NotResource !== undefined) return false;
  const actions = asList(st.Action);
  const resources = asList(st.Resource);
  return actions.some((a) => a === '*' || a === '*:*') && resources.includes('*');
}

/** AWS managed policies whose documents Warden knows without reading them from the account. */
export const AWS_MANAGED_POLICIES: Record<string, Record<string, unknown>> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  'arn:aws:iam::aws:policy/PowerUserAccess': {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'account:GetAccountInformation',
          'account:GetPrimaryEmail',
          'account:ListRegions',
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeOrganization',
        ],
        Resource: '*',
      },
    ],
  },
  'arn:aws:iam::aws:policy/IAMFullAccess': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['iam:*', 'organizations:DescribeAccount'], Resource: '*' }],
  },
};

/** The document of an attached managed policy entry, from the entry itself or the built-in table. */
export function attachedDocument(entry: Record<string, unknown>): Record<string, unknown> | undefined {
  const own = asDocument(entry.PolicyDocument);
  if (own) return own;
  const arn =
    typeof entry.PolicyArn === 'string' ? entry.PolicyArn.replace(/^arn:aws[\w-]*:/, 'arn:aws:') : '';
  return AWS_MANAGED_POLICIES[arn];
}

/** AWS managed policies are read from the built-in table; one missing from it is not admin. */
export function isAwsManagedArn(arn: unknown): boolean {
  return typeof arn === 'string' && /^arn:aws[\w-]*:iam::aws:policy\//.test(arn);
}
