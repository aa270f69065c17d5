import { asList, statements } from '../policy/iam-documents.js';
import { isObj } from '../util/narrow.js';

/** One principal an Allow statement of a resource policy names. */
export interface PrincipalRef {
  /** `AWS` (account, role, user), `Service`, `Federated`, `CanonicalUser` or `*` (anyone). */
  kind: string;
  /** The principal as written (`arn:aws:iam::111122223333:root`, `ec2.amazonaws.com`, `*`). */
  value: string;
  /** The account an `AWS` principal belongs to, when it names one. */
  account?: string;
  /** The statement has a Condition: the grant is narrower than the principal alone says. */
  conditional: boolean;
  actions: string[];
}

const ACCOUNT_ID = /^\d{12}$/;
const ARN_ACCOUNT = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/;

export function accountOf(value: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return value;
  return ARN_ACCOUNT.exec(value)?.[1];
}

/** The principals granted by the Allow statements of a trust or resource policy document. */
export function allowedPrincipals(doc: unknown): PrincipalRef[] {
  const out: PrincipalRef[] = [];
  for (const st of statements(doc)) {
    if (st.Effect !== 'Allow') continue;
    const conditional = isObj(st.Condition) && Object.keys(st.Condition).length > 0;
    const actions = asList(st.Action);
    const principal = st.Principal;
    if (principal === '*') {
      out.push({ kind: '*', value: '*', conditional, actions });
      continue;
    }
    if (!isObj(principal)) continue;
    for (const [kind, raw] of Object.entries(principal)) {
      for (const value of asList(raw)) {
        if (kind === 'AWS' && value === '*') {
          out.push({ kind: '*', value, conditional, actions });
          continue;
        }
        const account = kind === 'AWS' ? accountOf(value) : undefined;
        out.push({ kind, value, ...(account ? { account } : {}), conditional, actions });
      }
    }
  }
  return out;
}

/** Node id of a principal: per account for `AWS` principals, per name for the others. */
export function principalNodeId(p: PrincipalRef): string {
  // Anyone, or anyone who meets a condition (e.g. aws:PrincipalOrgID): very different grants.
  if (p.kind === '*') return p.conditional ? 'principal:*:conditional' : 'principal:*';
  if (p.account) return `principal:account:${p.account}`;
  return `principal:${p.kind.toLowerCase()}:${p.value}`;
}
