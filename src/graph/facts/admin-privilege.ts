import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import {
  asDocument,
  asList,
  attachedDocument,
  isAwsManagedArn,
  type Statement,
  statements,
} from '../../policy/iam-documents.js';
import type { Truth } from '../../policy/verdict.js';
import { asObj, isObj, objectItems } from '../../util/narrow.js';
import type { Graph } from '../model.js';

/** A derived fact about one resource, with the path of nodes that made it true and why, in words. */
export interface Fact {
  truth: Truth;
  evidence: Evidence[];
  /** Node ids the fact went through (instance profile, role, subnet, route table, gateway…). */
  via: string[];
  reason?: string;
}

interface SourcedStatement {
  st: Statement;
  source: string;
}

/** Each of these on `*` lets the holder grant itself any permission. */
const SELF_GRANT = [
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:CreatePolicyVersion',
];

/** With `iam:PassRole` on `*`, creating any of these runs code as any role of the account. */
const COMPUTE_CREATION = [
  'ec2:RunInstances',
  'lambda:CreateFunction',
  'cloudformation:CreateStack',
  'ecs:RunTask',
  'glue:CreateDevEndpoint',
];

const patternCache = new Map<string, RegExp>();
function globMatch(pattern: string, action: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    );
    patternCache.set(pattern, re);
  }
  return re.test(action);
}

function coversAction(st: Statement, action: string): boolean {
  if (st.NotAction !== undefined) return !asList(st.NotAction).some((p) => globMatch(p, action));
  return asList(st.Action).some((p) => globMatch(p, action));
}

/** The statement applies to every resource (`*`, or everything but a NotResource list). */
function coversAllResources(st: Statement): boolean {
  if (st.NotResource !== undefined) return true;
  return asList(st.Resource).includes('*');
}

const conditional = (st: Statement) => isObj(st.Condition) && Object.keys(st.Condition).length > 0;

class Permissions {
  constructor(
    private readonly allows: SourcedStatement[],
    private readonly denies: Statement[],
  ) {}

  /** The statements granting `action` on `*`, unless an unconditional Deny takes it away. */
  grants(action: string): SourcedStatement[] {
    if (this.denies.some((d) => coversAction(d, action) && coversAllResources(d))) return [];
    return this.allows.filter((a) => coversAction(a.st, action) && coversAllResources(a.st));
  }

  /** Statements whose Action is the full wildcard on `*`. */
  wildcard(): SourcedStatement[] {
    if (
      this.denies.some((d) => asList(d.Action).some((p) => p === '*' || p === '*:*') && coversAllResources(d))
    )
      return [];
    return this.allows.filter(
      (a) =>
        a.st.NotAction === undefined &&
        asList(a.st.Action).some((p) => p === '*' || p === '*:*') &&
        coversAllResources(a.st),
    );
  }
}

function describe(s: SourcedStatement, what: string): string {
  const how = s.st.NotAction !== undefined ? ` (NotAction ${asList(s.st.NotAction).join(', ')})` : '';
  return `${s.source} allows ${what} on *${how}${conditional(s.st) ? ' under a condition' : ''}`;
}

/** Collects every policy statement of an identity: attached, inline, and (users) their groups'. */
function collect(
  identity: Resource,
  graph: Graph,
  allows: SourcedStatement[],
  denies: Statement[],
  missing: string[],
) {
  const c = identity.config;
  const add = (doc: unknown, source: string) => {
    for (const st of statements(doc)) {
      if (st.Effect === 'Allow') allows.push({ st, source });
      // A Deny under a condition does not reliably take anything away.
      else if (st.Effect === 'Deny' && !conditional(st)) denies.push(st);
    }
  };
  objectItems(c.AttachedManagedPolicies).forEach((entry, i) => {
    const name = String(entry.PolicyName ?? entry.PolicyArn ?? `#${i}`);
    const doc = attachedDocument(entry);
    if (doc) add(doc, `managed policy ${name}`);
    else if (!isAwsManagedArn(entry.PolicyArn)) missing.push(name);
  });
  for (const key of ['RolePolicyList', 'UserPolicyList', 'GroupPolicyList']) {
    objectItems(c[key]).forEach((entry, i) => {
      add(asDocument(entry.PolicyDocument), `inline policy ${String(entry.PolicyName ?? `#${i}`)}`);
    });
  }
  if (identity.type === 'aws.iam.user') {
    for (const group of graph.targets(identity.id, 'member-of')) {
      const inner: SourcedStatement[] = [];
      collect(group.resource, graph, inner, denies, missing);
      for (const s of inner) allows.push({ st: s.st, source: `group ${group.label}: ${s.source}` });
    }
  }
}

/**
 * Effective administrator power of a role, user or group from all its policies: the full wildcard,
 * a policy that lets it grant itself anything (`iam:PutRolePolicy` on `*`…), or `iam:PassRole` on `*`
 * with a way to start compute that runs as the passed role. Unconditional explicit denies win.
 */
export function identityAdmin(identity: Resource, graph: Graph): Fact {
  const allows: SourcedStatement[] = [];
  const denies: Statement[] = [];
  const missing: string[] = [];
  collect(identity, graph, allows, denies, missing);
  const perms = new Permissions(allows, denies);
  const who = `${identity.type.split('.').pop()} ${identity.name}`;
  const found = (notes: string[]): Fact => ({
    truth: true,
    via: [],
    evidence: notes.map((note) => ({
      path: 'AttachedManagedPolicies',
      value: identity.name,
      note: `${who}: ${note}`,
    })),
  });
  const full = perms.wildcard();
  if (full.length > 0) return found(full.map((s) => describe(s, '*')));
  const iamAll = perms.grants('iam:*').length > 0 && perms.grants('iam:CreateUser').length > 0;
  if (iamAll) {
    const s = perms.grants('iam:AttachRolePolicy')[0] ?? perms.grants('iam:CreateUser')[0]!;
    return found([describe(s, 'iam:*')]);
  }
  for (const action of SELF_GRANT) {
    const hits = perms.grants(action);
    if (hits.length > 0)
      return found([`${describe(hits[0]!, action)}, so it can grant itself any permission`]);
  }
  const pass = perms.grants('iam:PassRole');
  if (pass.length > 0) {
    for (const action of COMPUTE_CREATION) {
      const hits = perms.grants(action);
      if (hits.length > 0) {
        return found([
          `${describe(pass[0]!, 'iam:PassRole')} and ${describe(hits[0]!, action)}: it can run code as any role`,
        ]);
      }
    }
  }
  const unknownPaths = (identity.unknown ?? []).filter((p) =>
    /^(AttachedManagedPolicies|\w+PolicyList)/.test(p),
  );
  if (missing.length > 0 || unknownPaths.length > 0) {
    return {
      truth: 'unknown',
      via: [],
      evidence: [],
      reason: `policies of ${who} not available (not in the input, or known only after apply): ${[...missing, ...unknownPaths].join(', ')}`,
    };
  }
  return { truth: false, via: [], evidence: [] };
}

/**
 * Admin privilege of the resource itself (role, user, group) or of the role it runs as (instance via
 * its instance profile, Lambda function via its execution role).
 */
export function adminPrivilege(resource: Resource, graph: Graph, cache: Map<Resource, Fact>): Fact {
  const cached = cache.get(resource);
  if (cached) return cached;
  const fact = computeAdmin(resource, graph, cache);
  cache.set(resource, fact);
  return fact;
}

function computeAdmin(resource: Resource, graph: Graph, cache: Map<Resource, Fact>): Fact {
  switch (resource.type) {
    case 'aws.iam.role':
    case 'aws.iam.user':
    case 'aws.iam.group':
      return identityAdmin(resource, graph);
    case 'aws.lambda.function':
      return viaRoles(
        resource,
        graph.targets(resource.id, 'has-role').map((n) => ({ role: n.resource, via: [] })),
        graph,
        cache,
        'Role',
      );
    case 'aws.ec2.instance': {
      const roles: { role: Resource; via: string[] }[] = [];
      const profiles = graph.targets(resource.id, 'has-instance-profile');
      for (const p of profiles) {
        for (const role of graph.targets(p.id, 'has-role')) roles.push({ role: role.resource, via: [p.id] });
      }
      const declared = resource.config.IamInstanceProfile;
      if (
        roles.length === 0 &&
        (isObj(declared) || (resource.unknown ?? []).includes('IamInstanceProfile'))
      ) {
        const name = String(asObj(declared).Arn ?? asObj(declared).Name ?? 'instance profile');
        return {
          truth: 'unknown',
          via: profiles.map((p) => p.id),
          evidence: [],
          reason: `the role of ${name} is not in the input (scan the account or the IAM code too)`,
        };
      }
      return viaRoles(resource, roles, graph, cache, 'IamInstanceProfile');
    }
    default:
      return { truth: false, via: [], evidence: [] };
  }
}

function viaRoles(
  _resource: Resource,
  roles: { role: Resource; via: string[] }[],
  graph: Graph,
  cache: Map<Resource, Fact>,
  path: string,
): Fact {
  let undecided: Fact | undefined;
  for (const { role, via } of roles) {
    const f = adminPrivilege(role, graph, cache);
    if (f.truth === true) {
      return {
        truth: true,
        via: [...via, role.id],
        evidence: f.evidence.map((e) => ({ ...e, path })),
      };
    }
    if (f.truth !== false) undecided ??= { ...f, via: [...via, role.id] };
  }
  return undecided ?? { truth: false, via: [], evidence: [] };
}
