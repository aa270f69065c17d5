import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import { isWorld } from '../../util/cidr.js';
import { asArray as list, asObj as obj } from '../../util/narrow.js';
import type { EvalContext } from '../context.js';
import { asList, type Statement, statements } from '../iam-documents.js';
import { allOf, anyOf, negate, type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, TypedFilter } from './types.js';

const PUBLIC_GROUPS: Record<string, string> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'everyone (AllUsers)',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'any AWS account (AuthenticatedUsers)',
};

/** Condition keys that tie a statement to known callers or networks, so `Principal: *` is not public. */
const RESTRICTING_KEYS = [
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:userid',
  'aws:username',
];

function isEveryonePrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  const p = obj(principal);
  return asList(p.AWS).includes('*');
}

function restricts(condition: unknown): boolean {
  for (const operands of Object.values(obj(condition))) {
    for (const [key, value] of Object.entries(obj(operands))) {
      if (!RESTRICTING_KEYS.includes(key.toLowerCase())) continue;
      // A source-IP condition that admits the whole internet restricts nothing.
      if (key.toLowerCase() === 'aws:sourceip' && asList(value).some(isWorld)) continue;
      return true;
    }
  }
  return false;
}

function publicStatement(st: Statement): boolean {
  return st.Effect === 'Allow' && isEveryonePrincipal(st.Principal) && !restricts(st.Condition);
}

/** A Block Public Access flag at bucket or account level; undecided when either is unknown. */
function blocked(resource: Resource, ctx: EvalContext, flags: string[]): Verdict {
  const parts: Verdict[] = [];
  for (const level of ['PublicAccessBlockConfiguration', 'AccountPublicAccessBlockConfiguration']) {
    for (const flag of flags) {
      const path = `${level}.${flag}`;
      const undecided = ctx.undecided([path]);
      if (undecided) {
        parts.push(undecided);
        continue;
      }
      const on = obj(resource.config[level])[flag] === true;
      parts.push(verdict(on, on ? [{ path, value: true }] : []));
    }
  }
  return anyOf(parts);
}

function s3Public(resource: Resource, ctx: EvalContext): Verdict {
  const c = resource.config;
  // Before deploy a Block*-flag makes the public write itself fail; after deploy only Ignore/Restrict neutralise.
  const iac = resource.source.kind !== 'live' && resource.source.kind !== 'snapshot';
  const aclEvidence: Evidence[] = [];
  list(obj(c.Acl).Grants).forEach((g, i) => {
    const uri = String(obj(obj(g).Grantee).URI ?? '');
    const who = PUBLIC_GROUPS[uri];
    if (who) {
      aclEvidence.push({
        path: `Acl.Grants[${i}]`,
        value: obj(g).Permission,
        note: `ACL grants ${String(obj(g).Permission)} to ${who}`,
      });
    }
  });
  const aclPublic = ctx.undecided(['Acl']) ?? verdict(aclEvidence.length > 0, aclEvidence);
  const aclFlags = iac ? ['IgnorePublicAcls', 'BlockPublicAcls'] : ['IgnorePublicAcls'];

  const policyEvidence: Evidence[] = [];
  statements(c.Policy).forEach((st, i) => {
    if (publicStatement(st)) {
      policyEvidence.push({
        path: `Policy.Statement[${i}]`,
        value: st.Action,
        note: `bucket policy ${st.Sid ? `statement ${st.Sid} ` : ''}allows ${asList(st.Action).join(', ') || 'actions'} to any principal without a restricting condition`,
      });
    }
  });
  const policyPublic = ctx.undecided(['Policy']) ?? verdict(policyEvidence.length > 0, policyEvidence);
  const policyFlags = iac ? ['RestrictPublicBuckets', 'BlockPublicPolicy'] : ['RestrictPublicBuckets'];

  const viaAcl =
    aclPublic.truth === false ? aclPublic : allOf([aclPublic, negate(blocked(resource, ctx, aclFlags))]);
  const viaPolicy =
    policyPublic.truth === false
      ? policyPublic
      : allOf([policyPublic, negate(blocked(resource, ctx, policyFlags))]);
  const result = anyOf([viaAcl, viaPolicy]);
  // Evidence of a neutralising flag explains a pass, not a fail.
  return result.truth === true
    ? verdict(true, [
        ...(viaAcl.truth === true ? aclEvidence : []),
        ...(viaPolicy.truth === true ? policyEvidence : []),
      ])
    : result;
}

const GCP_PUBLIC_MEMBERS = new Set(['allUsers', 'allAuthenticatedUsers']);

function gcsPublic(resource: Resource, ctx: EvalContext): Verdict {
  const c = resource.config;
  const evidence: Evidence[] = [];
  list(obj(c.iamPolicy).bindings).forEach((b, i) => {
    const members = asList(obj(b).members).filter((m) => GCP_PUBLIC_MEMBERS.has(m));
    if (members.length > 0) {
      evidence.push({
        path: `iamPolicy.bindings[${i}]`,
        value: obj(b).role,
        note: `${String(obj(b).role)} granted to ${members.join(', ')}`,
      });
    }
  });
  list(c.acl).forEach((a, i) => {
    const entity = String(obj(a).entity ?? '');
    if (GCP_PUBLIC_MEMBERS.has(entity)) {
      evidence.push({
        path: `acl[${i}]`,
        value: obj(a).role,
        note: `ACL grants ${String(obj(a).role)} to ${entity}`,
      });
    }
  });
  const granted = ctx.undecided(['iamPolicy', 'acl']) ?? verdict(evidence.length > 0, evidence);
  if (granted.truth === false) return granted;
  const prevention = ctx.undecided(['iamConfiguration.publicAccessPrevention']);
  if (prevention) return granted.truth === true ? prevention : granted;
  const enforced = obj(c.iamConfiguration).publicAccessPrevention === 'enforced';
  return enforced ? verdict(false) : granted;
}

function azureContainerPublic(resource: Resource, ctx: EvalContext): Verdict {
  const c = resource.config;
  const undecided = ctx.undecided(['properties.publicAccess']);
  if (undecided) return undecided;
  const access = String(obj(c.properties).publicAccess ?? 'None');
  if (access.toLowerCase() === 'none') return verdict(false);
  const accountUndecided = ctx.undecided(['storageAccount.properties.allowBlobPublicAccess']);
  if (accountUndecided) return accountUndecided;
  const account = obj(c.storageAccount);
  if (Object.keys(account).length === 0) {
    return verdict('unknown', [], 'the storage account of this container is not in the input');
  }
  if (obj(account.properties).allowBlobPublicAccess === false) return verdict(false);
  return verdict(true, [
    {
      path: 'properties.publicAccess',
      value: access,
      note: `anonymous ${access === 'Container' ? 'list and read' : 'read'} access to blobs`,
    },
    {
      path: 'storageAccount.properties.allowBlobPublicAccess',
      value: obj(account.properties).allowBlobPublicAccess ?? true,
    },
  ]);
}

const READERS: Record<string, (r: Resource, ctx: EvalContext) => Verdict> = {
  'aws.s3.bucket': s3Public,
  'gcp.storage.bucket': gcsPublic,
  'azure.storage.container': azureContainerPublic,
};

/** `public-access`: the storage is readable or writable by anyone, after the provider's public-access guards. */
export const publicAccessFilter: TypedFilter = {
  name: 'public-access',
  description:
    'storage readable or writable by anyone (ACL grants, bucket/IAM policies), after public-access blocks',
  resourceTypes: Object.keys(READERS),
  options: [],
  compile(): CompiledFilter {
    return {
      paths: [
        'Acl',
        'Policy',
        'PublicAccessBlockConfiguration',
        'AccountPublicAccessBlockConfiguration',
        'iamPolicy',
        'acl',
        'iamConfiguration',
        'properties.publicAccess',
        'storageAccount',
      ],
      evaluate(resource, ctx) {
        const read = READERS[resource.type];
        return read ? read(resource, ctx) : verdict(false);
      },
    };
  },
};
