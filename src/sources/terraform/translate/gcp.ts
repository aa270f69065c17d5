import type { Resource } from '../../../model/resource.js';
import { nonEmpty, objectAt, pushUnique } from './config.js';
import { isMarker } from './markers.js';
import type { JoinSpec, ResourceSpec, TypeTable } from './types.js';
import {
  blocks,
  bool,
  firstBlock,
  isObject,
  jsonDocument,
  known,
  mapList,
  num,
  str,
  strList,
  type Values,
} from './values.js';

const bucket: ResourceSpec = {
  provider: 'gcp',
  type: 'gcp.storage.bucket',
  nameKey: 'name',
  keys: ['name', 'id', 'self_link', 'url'],
  identity: { id: 'name' },
  translate: (v) => {
    const versioning = firstBlock(v.versioning);
    const logging = firstBlock(v.logging);
    return {
      id: str(v.id),
      name: str(v.name),
      selfLink: str(v.self_link),
      location: known(str(v.location), (l) => l.toUpperCase()) ?? 'US',
      storageClass: str(v.storage_class) ?? 'STANDARD',
      iamConfiguration: {
        uniformBucketLevelAccess: { enabled: bool(v.uniform_bucket_level_access, false) },
        publicAccessPrevention: str(v.public_access_prevention) ?? 'inherited',
      },
      iamPolicy: { bindings: [] },
      acl: [],
      versioning: isMarker(versioning) ? versioning : { enabled: bool(versioning?.enabled, false) },
      logging: known(logging, (l) => ({
        logBucket: str(l.log_bucket),
        logObjectPrefix: str(l.log_object_prefix),
      })),
    };
  },
};

/** GCS IAM bindings; the condition, when present, makes a binding distinct from the plain one. */
function condition(value: unknown): unknown {
  return known(firstBlock(value), (c) => ({
    title: str(c.title),
    description: str(c.description),
    expression: str(c.expression),
  }));
}

function bindingsOf(parent: Resource): unknown[] | undefined {
  const policy = objectAt(parent.config, 'iamPolicy');
  if (!policy) return undefined;
  if (isMarker(policy.bindings)) return undefined;
  if (!Array.isArray(policy.bindings)) policy.bindings = [];
  return policy.bindings as unknown[];
}

const sameBinding = (b: unknown, role: unknown, cond: unknown) =>
  isObject(b) && b.role === role && JSON.stringify(b.condition) === JSON.stringify(cond);

const BUCKETS = ['google_storage_bucket'] as const;

const policyJoin: JoinSpec = {
  parents: BUCKETS,
  via: 'bucket',
  priority: 1,
  refAttr: 'iamPolicy',
  apply: (parent, v) => {
    const doc = jsonDocument(v.policy_data);
    parent.config.iamPolicy = isMarker(doc)
      ? doc
      : { bindings: isObject(doc) && Array.isArray(doc.bindings) ? doc.bindings : [] };
  },
};

const bindingJoin: JoinSpec = {
  parents: BUCKETS,
  via: 'bucket',
  priority: 2,
  refAttr: 'iamPolicy',
  apply: (parent, v) => {
    const bindings = bindingsOf(parent);
    if (!bindings) return;
    const role = str(v.role);
    const cond = condition(v.condition);
    // Authoritative for its role: it replaces whatever members the role had.
    const kept = bindings.filter((b) => !sameBinding(b, role, cond));
    bindings.length = 0;
    bindings.push(...kept, { role, members: strList(v.members), condition: cond });
  },
};

const memberJoin: JoinSpec = {
  parents: BUCKETS,
  via: 'bucket',
  priority: 3,
  refAttr: 'iamPolicy',
  apply: (parent, v) => {
    const bindings = bindingsOf(parent);
    if (!bindings) return;
    const role = str(v.role);
    const cond = condition(v.condition);
    const existing = bindings.find((b) => sameBinding(b, role, cond));
    if (isObject(existing) && Array.isArray(existing.members))
      pushUnique(existing, 'members', [str(v.member)]);
    else bindings.push({ role, members: [str(v.member)], condition: cond });
  },
};

const PREDEFINED_ACL: Record<string, { entity: string; role: string }[]> = {
  publicRead: [{ entity: 'allUsers', role: 'READER' }],
  publicReadWrite: [
    { entity: 'allUsers', role: 'READER' },
    { entity: 'allUsers', role: 'WRITER' },
  ],
  authenticatedRead: [{ entity: 'allAuthenticatedUsers', role: 'READER' }],
};

/** `ROLE:entity` pairs of `google_storage_bucket_acl.role_entity`. */
function roleEntities(value: unknown): unknown {
  return mapList(strList(value), (pair) => {
    const text = String(pair);
    const at = text.indexOf(':');
    return { role: text.slice(0, at), entity: text.slice(at + 1) };
  });
}

/** No source given on an ingress rule means every source (and the reverse for egress). */
function ranges(v: Values, direction: unknown): { sourceRanges: unknown; destinationRanges: unknown } {
  const source = strList(v.source_ranges);
  const dest = strList(v.destination_ranges);
  const empty = (l: ReturnType<typeof strList>) => !isMarker(l) && l.length === 0;
  const noSources =
    empty(source) && empty(strList(v.source_tags)) && empty(strList(v.source_service_accounts));
  return {
    sourceRanges: direction === 'INGRESS' && noSources ? ['0.0.0.0/0'] : nonEmpty(source),
    destinationRanges:
      direction === 'EGRESS' && !isMarker(dest) && dest.length === 0 ? ['0.0.0.0/0'] : nonEmpty(dest),
  };
}

function rules(value: unknown): unknown {
  return mapList(blocks(value), (r) => {
    const rule = r as Values;
    return { IPProtocol: str(rule.protocol), ports: nonEmpty(strList(rule.ports)) };
  });
}

const firewall: ResourceSpec = {
  provider: 'gcp',
  type: 'gcp.compute.firewall',
  nameKey: 'name',
  global: true,
  keys: ['id', 'name', 'self_link'],
  refs: { network: 'network', source_ranges: 'sourceRanges', target_tags: 'targetTags' },
  translate: (v) => {
    const direction = known(str(v.direction) ?? 'INGRESS', (d) => d.toUpperCase());
    return {
      id: str(v.id),
      name: str(v.name),
      selfLink: str(v.self_link),
      network: str(v.network),
      direction,
      priority: num(v.priority, 1000),
      disabled: bool(v.disabled, false),
      ...ranges(v, direction),
      sourceTags: nonEmpty(strList(v.source_tags)),
      targetTags: nonEmpty(strList(v.target_tags)),
      sourceServiceAccounts: nonEmpty(strList(v.source_service_accounts)),
      targetServiceAccounts: nonEmpty(strList(v.target_service_accounts)),
      allowed: rules(v.allow),
      denied: rules(v.deny),
    };
  },
};

export const GCP_TYPES: TypeTable = {
  google_storage_bucket: {
    resource: bucket,
    readBack: [
      'public_access_prevention',
      'uniform_bucket_level_access',
      'versioning',
      'logging',
      'storage_class',
    ],
  },
  google_storage_bucket_iam_policy: { joins: [policyJoin], names: ['bucket'] },
  google_storage_bucket_iam_binding: { joins: [bindingJoin], names: ['bucket'] },
  google_storage_bucket_iam_member: { joins: [memberJoin], names: ['bucket'] },
  google_storage_bucket_acl: {
    names: ['bucket'],
    readBack: ['role_entity'],
    joins: [
      {
        parents: BUCKETS,
        via: 'bucket',
        refAttr: 'acl',
        apply: (parent, v) => {
          const predefined = str(v.predefined_acl);
          const entries =
            typeof predefined === 'string' ? (PREDEFINED_ACL[predefined] ?? []) : roleEntities(v.role_entity);
          parent.config.acl = entries;
        },
      },
    ],
  },
  google_storage_bucket_access_control: {
    names: ['bucket'],
    joins: [
      {
        parents: BUCKETS,
        via: 'bucket',
        refAttr: 'acl',
        apply: (parent, v) =>
          pushUnique(parent.config, 'acl', [{ entity: str(v.entity), role: str(v.role) }]),
      },
    ],
  },
  google_compute_firewall: {
    resource: firewall,
    readBack: ['direction', 'source_ranges', 'destination_ranges', 'priority'],
  },
};
