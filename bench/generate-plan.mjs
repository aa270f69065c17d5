#!/usr/bin/env node
// Deterministic generator of large, realistic `terraform show -json` plans for benchmarking.
//
// The output copies the structure of a real Terraform 1.11 plan (see
// ../shared/fixtures/terraform/webapp/plan.json next to the repository): format_version,
// terraform_version, variables, planned_values.root_module (+ child_modules), resource_changes
// (change.actions / before / after / after_unknown / before_sensitive / after_sensitive,
// action_reason, replace_paths), prior_state for resources that already exist, configuration
// (provider_config, root_module.resources[].expressions with constant_value / references,
// count_expression / for_each_expression, module_calls), relevant_attributes, timestamp, applyable,
// complete, errored.
//
// The estate is made of "groups" of related resources (an S3 bucket with its public access block,
// versioning, encryption and policy; a VPC with subnets, route table and flow log; an instance with
// its role, policy, attachment, profile, security group and volumes; ...), picked with weights, ~30%
// of them inside `module.svc_N`, ~20% of them already deployed (no-op / update / replace / delete
// actions with a prior_state), the rest being created (computed attributes in after_unknown).
// A fraction of groups is deliberately misconfigured (SSH open to 0.0.0.0/0, unencrypted RDS/EBS,
// public buckets, admin policies, ...) so that scanners have findings to report.
//
// Everything is derived from a seeded PRNG: the same (size, seed) always gives byte-identical output.
// The plan is written in one pass with bounded memory: resources are kept as small descriptors and
// each resource's JSON is rebuilt from its own seed for every section it appears in.
//
// Usage: node bench/generate-plan.mjs <resources> [--seed N] [--out file]
//        (default output: bench/out/plan-<resources>.json)

import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the output format changes, so cached plans in bench/out are regenerated. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20260101;

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const TF_VERSION = '1.11.4';
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const PROVIDERS = {
  aws: 'registry.terraform.io/hashicorp/aws',
  azurerm: 'registry.terraform.io/hashicorp/azurerm',
  google: 'registry.terraform.io/hashicorp/google',
};
const WORDS = [
  'api',
  'auth',
  'billing',
  'orders',
  'search',
  'media',
  'catalog',
  'payments',
  'reports',
  'events',
  'users',
  'inventory',
  'notify',
  'gateway',
  'ledger',
  'analytics',
  'etl',
  'cache',
  'web',
  'admin',
  'cdn',
  'logs',
  'backup',
  'chat',
  'docs',
  'export',
  'mail',
  'queue',
  'profile',
  'pricing',
];
const FLOW_LOG_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];
const BUCKET_KEYS = ['logs', 'assets', 'backups', 'uploads', 'exports', 'static', 'artifacts', 'tmp'];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness and hashing

function cyrb53(str, seed = 0) {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** sfc32: small, fast, good-quality 32-bit PRNG. */
function makeRng(seed) {
  let a = seed >>> 0;
  let b = Math.floor(seed / 4294967296) >>> 0;
  let c = 0x9e3779b9;
  let d = 1;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng = {
    next,
    chance: (p) => next() < p,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    weighted: (pairs) => {
      let total = 0;
      for (const [, w] of pairs) total += w;
      let x = next() * total;
      for (const [v, w] of pairs) {
        x -= w;
        if (x < 0) return v;
      }
      return pairs[pairs.length - 1][0];
    },
  };
  return rng;
}

/** Hex string of `len` chars derived from `key` (ids, hashes). */
function hex(key, len = 17) {
  let out = '';
  let i = 0;
  while (out.length < len) out += cyrb53(key, i++).toString(16).padStart(14, '0');
  return out.slice(0, len);
}
function uuid(key) {
  const h = hex(key, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// Plan JSON helpers (shape rules observed in real plans)

/** after_unknown / after_sensitive skeleton of a value: containers kept, scalars in lists -> false. */
function shape(v) {
  if (Array.isArray(v)) return v.map((e) => (e !== null && typeof e === 'object' ? shape(e) : false));
  const out = {};
  for (const k in v) {
    const x = v[k];
    if (x !== null && typeof x === 'object') out[k] = shape(x);
  }
  return out;
}

function deepMerge(a, b) {
  if (b === true || b === false || b === null || typeof b !== 'object') return b;
  if (Array.isArray(b)) {
    const base = Array.isArray(a) ? a.slice() : [];
    b.forEach((x, i) => {
      base[i] = deepMerge(base[i], x);
    });
    return base;
  }
  const out = a && typeof a === 'object' && !Array.isArray(a) ? { ...a } : {};
  for (const k in b) out[k] = deepMerge(out[k], b[k]);
  return out;
}

/** Remove from `obj` every leaf that `unk` marks true (nested unknowns inside blocks). */
function stripUnknown(obj, unk) {
  if (!obj || typeof obj !== 'object' || !unk || typeof unk !== 'object') return;
  for (const k in unk) {
    if (unk[k] === true) delete obj[k];
    else if (typeof unk[k] === 'object') stripUnknown(obj[k], unk[k]);
  }
}

/** Terraform writes object keys sorted (Go maps, cty objects, jsonencode). */
function sortDeep(v) {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v === null || typeof v !== 'object') return v;
  const o = {};
  for (const k of Object.keys(v).sort()) o[k] = sortDeep(v[k]);
  return o;
}
const jsonencode = (v) => JSON.stringify(sortDeep(v));

const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
const cv = (v) => ({ constant_value: v });
/** References as Terraform lists them: attribute path first, then the resource (and the block). */
function refs(rel, attr, idx) {
  const inst = idx === undefined ? rel : `${rel}[${typeof idx === 'number' ? idx : JSON.stringify(idx)}]`;
  const out = [];
  if (attr) out.push(`${inst}.${attr}`);
  out.push(inst);
  if (idx !== undefined) out.push(rel);
  return { references: out };
}
const indexSuffix = (idx) =>
  idx === undefined ? '' : `[${typeof idx === 'number' ? idx : JSON.stringify(idx)}]`;

// ---------------------------------------------------------------------------------------------
// Resource model
//
// A block is one `resource "type" "name"` in some module; it expands to one or more instances
// (count / for_each). Builders are pure functions of (block, instance index): block-level choices come
// from a PRNG seeded with the block's seed, so all instances of a block agree with its configuration.
//
// A builder returns:
//   full      values once applied (prior state / before; all computed attributes filled in)
//   computed  top-level keys unknown until apply when the resource is created
//   refKeys   top-level keys that come from references to resources created in the same plan
//   nested    deep after_unknown marks for attributes inside blocks (create only)
//   sens      after_sensitive marks (true) for sensitive attributes
//   expr      configuration expressions of the block
//   rel       relevant attribute references: [absolute target address, attribute]

function absAddr(mod, rel) {
  return mod ? `${mod}.${rel}` : rel;
}

function idFor(type, abs) {
  const p = {
    aws_vpc: 'vpc',
    aws_subnet: 'subnet',
    aws_security_group: 'sg',
    aws_instance: 'i',
    aws_ebs_volume: 'vol',
    aws_route_table: 'rtb',
    aws_internet_gateway: 'igw',
    aws_flow_log: 'fl',
    aws_security_group_rule: 'sgrule',
    aws_vpc_security_group_ingress_rule: 'sgr',
  }[type];
  return p ? `${p}-0${hex(abs)}` : hex(abs, 20);
}

/** Name of a cloud object: group prefix plus the block's role label (e.g. 'orders-12-db'). */
function nm(b) {
  return b.label ? `${b.g.prefix}-${b.label.replace(/_/g, '-')}` : b.g.prefix;
}

function tagsFor(g, extra) {
  const t = { environment: g.env, owner: `${g.word}-team` };
  if (g.costCenter) t.cost_center = g.costCenter;
  return extra ? { Name: extra, ...t } : t;
}

const BUILDERS = {};

BUILDERS.aws_s3_bucket = (b, idx) => {
  const g = b.g;
  const name = `${nm(b)}${idx === undefined ? '' : `-${idx}`}-${g.env}`;
  const tags = tagsFor(g);
  const full = {
    acceleration_status: '',
    acl: null,
    arn: `arn:aws:s3:::${name}`,
    bucket: name,
    bucket_domain_name: `${name}.s3.amazonaws.com`,
    bucket_prefix: '',
    bucket_regional_domain_name: `${name}.s3.${REGION}.amazonaws.com`,
    cors_rule: [],
    force_destroy: b.rng.chance(0.2),
    grant: [
      {
        id: hex(`${ACCOUNT}canonical`, 64),
        permissions: ['FULL_CONTROL'],
        type: 'CanonicalUser',
        uri: '',
      },
    ],
    hosted_zone_id: 'Z1BKCTXD74EZPE',
    id: name,
    lifecycle_rule: [],
    logging: [],
    object_lock_configuration: [],
    object_lock_enabled: false,
    policy: '',
    region: REGION,
    replication_configuration: [],
    request_payer: 'BucketOwner',
    server_side_encryption_configuration: [
      {
        rule: [
          {
            apply_server_side_encryption_by_default: [{ kms_master_key_id: '', sse_algorithm: 'AES256' }],
            bucket_key_enabled: false,
          },
        ],
      },
    ],
    tags,
    tags_all: tags,
    timeouts: null,
    versioning: [{ enabled: false, mfa_delete: false }],
    website: [],
    website_domain: null,
    website_endpoint: null,
  };
  const computed = [
    'acceleration_status',
    'acl',
    'arn',
    'bucket_domain_name',
    'bucket_prefix',
    'bucket_regional_domain_name',
    'cors_rule',
    'grant',
    'hosted_zone_id',
    'id',
    'lifecycle_rule',
    'logging',
    'object_lock_configuration',
    'object_lock_enabled',
    'policy',
    'region',
    'replication_configuration',
    'request_payer',
    'server_side_encryption_configuration',
    'versioning',
    'website',
    'website_domain',
    'website_endpoint',
  ];
  const expr = {
    bucket: idx === undefined ? cv(name) : { references: ['each.key', 'var.environment'] },
    force_destroy: cv(full.force_destroy),
    tags: { references: ['local.tags'] },
  };
  return { full, computed, expr };
};

function bucketCompanion(b, idx, extra) {
  const bucket = b.deps.bucket;
  const bucketName = buildInstance(bucket, idx).full.bucket;
  const bucketRef =
    idx === undefined ? refs(bucket.rel, 'id') : { references: ['each.value.id', 'each.value'] };
  return {
    bucketName,
    full: { bucket: bucketName, id: bucketName, ...extra },
    computed: ['id'],
    refKeys: ['bucket'],
    expr: { bucket: bucketRef },
    rel: [[absAddr(bucket.mod, bucket.rel + indexSuffix(idx)), 'id']],
  };
}

BUILDERS.aws_s3_bucket_public_access_block = (b, idx) => {
  const open = b.g.bad.publicBucket;
  const v = {
    block_public_acls: !open,
    block_public_policy: !open && !b.rng.chance(0.05),
    ignore_public_acls: !open,
    restrict_public_buckets: !open && !b.rng.chance(0.1),
  };
  const c = bucketCompanion(b, idx, v);
  c.full = { ...v, bucket: c.bucketName, id: c.bucketName };
  for (const k in v) c.expr[k] = cv(v[k]);
  return c;
};

BUILDERS.aws_s3_bucket_versioning = (b, idx) => {
  const status = b.rng.chance(0.85) ? 'Enabled' : 'Suspended';
  const c = bucketCompanion(b, idx, {
    expected_bucket_owner: null,
    mfa: null,
    versioning_configuration: [{ mfa_delete: 'Disabled', status }],
  });
  c.nested = { versioning_configuration: [{ mfa_delete: true }] };
  c.expr.versioning_configuration = [{ status: cv(status) }];
  return c;
};

BUILDERS.aws_s3_bucket_server_side_encryption_configuration = (b, idx) => {
  const kms = b.deps.kms;
  const algo = kms ? 'aws:kms' : 'AES256';
  const keyArn = kms ? buildInstance(kms).full.arn : '';
  const c = bucketCompanion(b, idx, {
    expected_bucket_owner: null,
    rule: [
      {
        apply_server_side_encryption_by_default: [{ kms_master_key_id: keyArn, sse_algorithm: algo }],
        bucket_key_enabled: kms ? true : null,
      },
    ],
  });
  const def = { sse_algorithm: cv(algo) };
  if (kms) {
    def.kms_master_key_id = refs(kms.rel, 'arn');
    c.nested = b.g.new
      ? { rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] }
      : undefined;
    c.rel.push([absAddr(kms.mod, kms.rel), 'arn']);
  }
  c.expr.rule = [
    { apply_server_side_encryption_by_default: [def], ...(kms ? { bucket_key_enabled: cv(true) } : {}) },
  ];
  return c;
};

BUILDERS.aws_s3_bucket_policy = (b, idx) => {
  const c = bucketCompanion(b, idx, {});
  const arn = `arn:aws:s3:::${c.bucketName}`;
  const statements = [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
  if (b.g.bad.publicBucket) {
    statements.push({
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `${arn}/*`,
    });
  } else if (b.rng.chance(0.3)) {
    statements.push({
      Sid: 'PartnerRead',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::999988887777:root' },
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [arn, `${arn}/*`],
    });
  }
  c.full.policy = jsonencode({ Statement: statements, Version: '2012-10-17' });
  c.refKeys.push('policy');
  c.expr.policy =
    idx === undefined ? refs(b.deps.bucket.rel, 'arn') : { references: ['each.value.arn', 'each.value'] };
  c.rel.push([absAddr(b.deps.bucket.mod, b.deps.bucket.rel + indexSuffix(idx)), 'arn']);
  return c;
};

const SG_RULES = {
  ssh_world: {
    cidr_blocks: ['0.0.0.0/0'],
    description: 'admin ssh',
    from_port: 22,
    protocol: 'tcp',
    to_port: 22,
  },
  ssh_office: {
    cidr_blocks: ['203.0.113.0/24'],
    description: 'office ssh',
    from_port: 22,
    protocol: 'tcp',
    to_port: 22,
  },
  rdp_world: {
    cidr_blocks: ['0.0.0.0/0'],
    description: 'rdp',
    from_port: 3389,
    protocol: 'tcp',
    to_port: 3389,
  },
  https: { cidr_blocks: ['0.0.0.0/0'], description: 'https', from_port: 443, protocol: 'tcp', to_port: 443 },
  http: { cidr_blocks: ['0.0.0.0/0'], description: 'http', from_port: 80, protocol: 'tcp', to_port: 80 },
  app_vpc: {
    cidr_blocks: ['10.0.0.0/8'],
    description: 'app from vpc',
    from_port: 8080,
    protocol: 'tcp',
    to_port: 8080,
  },
  pg_vpc: {
    cidr_blocks: ['10.0.0.0/16'],
    description: 'postgres',
    from_port: 5432,
    protocol: 'tcp',
    to_port: 5432,
  },
  all_internal: {
    cidr_blocks: ['10.0.0.0/8'],
    description: 'internal',
    from_port: 0,
    protocol: '-1',
    to_port: 0,
  },
  from_sg: {
    cidr_blocks: [],
    description: 'from lb',
    from_port: 8080,
    protocol: 'tcp',
    to_port: 8080,
    sg: true,
  },
};

function vpcRef(b) {
  // In a module the VPC comes in as a variable; at the root it is a reference to the VPC resource.
  const vpc = b.g.vpc;
  const id = idFor('aws_vpc', absAddr(vpc.mod, vpc.rel));
  if (b.mod) return { id, expr: { references: ['var.vpc_id'] }, rel: [absAddr(vpc.mod, vpc.rel), 'id'] };
  return { id, expr: refs(vpc.rel, 'id'), rel: [absAddr(vpc.mod, vpc.rel), 'id'] };
}

BUILDERS.aws_security_group = (b) => {
  const abs = absAddr(b.mod, b.rel);
  const id = idFor('aws_security_group', abs);
  const kinds = b.kinds;
  const ingress = kinds.map((k) => {
    const r = SG_RULES[k];
    return {
      cidr_blocks: r.cidr_blocks,
      description: r.description,
      from_port: r.from_port,
      ipv6_cidr_blocks: k === 'ssh_world' && b.rng.chance(0.3) ? ['::/0'] : [],
      prefix_list_ids: [],
      protocol: r.protocol,
      security_groups: r.sg ? [idFor('aws_security_group', `${abs}-peer`)] : [],
      self: false,
      to_port: r.to_port,
    };
  });
  const egress = b.withEgress
    ? [
        {
          cidr_blocks: ['0.0.0.0/0'],
          description: '',
          from_port: 0,
          ipv6_cidr_blocks: [],
          prefix_list_ids: [],
          protocol: '-1',
          security_groups: [],
          self: false,
          to_port: 0,
        },
      ]
    : [];
  const name = `${nm(b)}`;
  const tags = tagsFor(b.g, name);
  const vpc = vpcRef(b);
  const full = {
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`,
    description: `${b.g.word} ${b.label || 'service'} security group`,
    egress,
    id,
    ingress,
    name,
    name_prefix: '',
    owner_id: ACCOUNT,
    revoke_rules_on_delete: false,
    tags,
    tags_all: tags,
    timeouts: null,
    vpc_id: vpc.id,
  };
  const computed = ['arn', 'id', 'name_prefix', 'owner_id'];
  if (!b.withEgress) computed.push('egress');
  const nested = { ingress: kinds.map((k) => (SG_RULES[k].sg && b.g.new ? { security_groups: true } : {})) };
  const ingressExpr = kinds.some((k) => SG_RULES[k].sg)
    ? { references: [`var.lb_security_group_id`] }
    : cv(ingress.map((r) => ({ ...r, security_groups: [] })));
  const expr = {
    description: cv(full.description),
    ingress: ingressExpr,
    name: cv(name),
    tags: { references: ['local.tags'] },
    vpc_id: vpc.expr,
  };
  if (b.withEgress) expr.egress = cv(egress);
  return { full, computed, refKeys: ['vpc_id'], nested, expr, rel: [vpc.rel] };
};

function sgDep(b) {
  const sg = b.deps.sg;
  const abs = absAddr(sg.mod, sg.rel);
  return { id: idFor('aws_security_group', abs), expr: refs(sg.rel, 'id'), rel: [abs, 'id'] };
}

BUILDERS.aws_security_group_rule = (b) => {
  const r = SG_RULES[b.kind];
  const sg = sgDep(b);
  const v6 = b.kind === 'ssh_world' || b.kind === 'rdp_world' ? b.rng.chance(0.4) : false;
  const full = {
    cidr_blocks: v6 ? null : r.cidr_blocks,
    description: r.description,
    from_port: r.from_port,
    id: `sgrule-${cyrb53(absAddr(b.mod, b.rel))}`,
    ipv6_cidr_blocks: v6 ? ['::/0'] : null,
    prefix_list_ids: null,
    protocol: r.protocol,
    security_group_id: sg.id,
    security_group_rule_id: `sgr-0${hex(`${b.rel}rule`)}`,
    self: false,
    source_security_group_id: null,
    timeouts: null,
    to_port: r.to_port,
    type: 'ingress',
  };
  const expr = {
    description: cv(r.description),
    from_port: cv(r.from_port),
    protocol: cv(r.protocol),
    security_group_id: sg.expr,
    to_port: cv(r.to_port),
    type: cv('ingress'),
  };
  if (v6) expr.ipv6_cidr_blocks = cv(['::/0']);
  else expr.cidr_blocks = cv(r.cidr_blocks);
  return {
    full,
    computed: ['id', 'security_group_rule_id', 'source_security_group_id'],
    refKeys: ['security_group_id'],
    expr,
    rel: [sg.rel],
  };
};

BUILDERS.aws_vpc_security_group_ingress_rule = (b) => {
  const r = SG_RULES[b.kind];
  const sg = sgDep(b);
  const abs = absAddr(b.mod, b.rel);
  const ruleId = `sgr-0${hex(abs)}`;
  const full = {
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group-rule/${ruleId}`,
    cidr_ipv4: r.cidr_blocks[0] ?? null,
    cidr_ipv6: null,
    description: r.description,
    from_port: r.protocol === '-1' ? null : r.from_port,
    id: ruleId,
    ip_protocol: r.protocol,
    prefix_list_id: null,
    referenced_security_group_id: null,
    security_group_id: sg.id,
    security_group_rule_id: ruleId,
    tags: null,
    tags_all: {},
    to_port: r.protocol === '-1' ? null : r.to_port,
  };
  const expr = {
    cidr_ipv4: cv(full.cidr_ipv4),
    description: cv(r.description),
    ip_protocol: cv(r.protocol),
    security_group_id: sg.expr,
  };
  if (full.from_port !== null) {
    expr.from_port = cv(full.from_port);
    expr.to_port = cv(full.to_port);
  }
  return {
    full,
    computed: ['arn', 'id', 'security_group_rule_id'],
    refKeys: ['security_group_id'],
    expr,
    rel: [sg.rel],
  };
};

function policyDoc(kind, g, rng) {
  const bucketArn = `arn:aws:s3:::${g.prefix}-data-${g.env}`;
  switch (kind) {
    case 'admin':
      return { Statement: [{ Action: '*', Effect: 'Allow', Resource: '*' }], Version: '2012-10-17' };
    case 's3star':
      return {
        Statement: [{ Action: 's3:*', Effect: 'Allow', Resource: [bucketArn, `${bucketArn}/*`] }],
        Version: '2012-10-17',
      };
    case 'passrole':
      return {
        Statement: [
          { Action: ['iam:PassRole', 'ec2:RunInstances'], Effect: 'Allow', Resource: '*' },
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: '*' },
        ],
        Version: '2012-10-17',
      };
    default:
      return {
        Statement: [
          {
            Action: ['s3:GetObject', 's3:PutObject'],
            Effect: 'Allow',
            Resource: `${bucketArn}/*`,
          },
          {
            Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
            Effect: 'Allow',
            Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:${g.prefix}-${rng.pick(['jobs', 'events', 'tasks'])}`,
          },
          {
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Effect: 'Allow',
            Resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid(g.prefix)}`,
          },
        ],
        Version: '2012-10-17',
      };
  }
}

BUILDERS.aws_iam_role = (b) => {
  const name = `${nm(b)}`;
  const principal =
    b.trust === 'cross'
      ? { AWS: 'arn:aws:iam::999988887777:root' }
      : { Service: b.trust === 'lambda' ? 'lambda.amazonaws.com' : 'ec2.amazonaws.com' };
  const tags = tagsFor(b.g);
  const full = {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    assume_role_policy: jsonencode({
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: principal }],
      Version: '2012-10-17',
    }),
    create_date: '2025-11-02T09:14:27Z',
    description: null,
    force_detach_policies: false,
    id: name,
    inline_policy: [],
    managed_policy_arns: [],
    max_session_duration: 3600,
    name,
    name_prefix: '',
    path: '/',
    permissions_boundary: null,
    tags,
    tags_all: tags,
    unique_id: `AROA${hex(name, 17).toUpperCase()}`,
  };
  return {
    full,
    computed: [
      'arn',
      'create_date',
      'id',
      'inline_policy',
      'managed_policy_arns',
      'name_prefix',
      'unique_id',
    ],
    expr: { assume_role_policy: {}, name: cv(name), tags: { references: ['local.tags'] } },
  };
};

BUILDERS.aws_iam_policy = (b) => {
  const name = `${nm(b)}`;
  const doc = policyDoc(b.policyKind, b.g, b.rng);
  const full = {
    arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    attachment_count: 1,
    description: null,
    id: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    name,
    name_prefix: '',
    path: '/',
    policy: jsonencode(doc),
    policy_id: `ANPA${hex(name, 17).toUpperCase()}`,
    tags: null,
    tags_all: {},
  };
  // A policy templated from another resource's ARN is unknown until apply (as in the real plan).
  const refKeys = b.policyKind === 'scoped' && b.deps.bucket ? ['policy'] : [];
  const expr = { name: cv(name), policy: {} };
  const rel = [];
  if (refKeys.length) {
    expr.policy = refs(b.deps.bucket.rel, 'arn');
    rel.push([absAddr(b.deps.bucket.mod, b.deps.bucket.rel), 'arn']);
  }
  return {
    full,
    computed: ['arn', 'attachment_count', 'id', 'name_prefix', 'policy_id', 'tags_all'],
    refKeys,
    expr,
    rel,
  };
};

BUILDERS.aws_iam_role_policy = (b) => {
  const role = b.deps.role;
  const roleName = buildInstance(role).full.name;
  const name = `${b.label || b.g.word}-inline`;
  const full = {
    id: `${roleName}:${name}`,
    name,
    name_prefix: '',
    policy: jsonencode(policyDoc(b.policyKind, b.g, b.rng)),
    role: roleName,
  };
  return {
    full,
    computed: ['id', 'name_prefix'],
    expr: { name: cv(name), policy: {}, role: refs(role.rel, 'name') },
    rel: [[absAddr(role.mod, role.rel), 'name']],
  };
};

BUILDERS.aws_iam_role_policy_attachment = (b) => {
  const role = b.deps.role;
  const roleName = buildInstance(role).full.name;
  let policyArn = b.managedArn;
  const expr = { role: refs(role.rel, 'name') };
  const rel = [[absAddr(role.mod, role.rel), 'name']];
  const refKeys = [];
  if (b.deps.policy) {
    policyArn = buildInstance(b.deps.policy).full.arn;
    expr.policy_arn = refs(b.deps.policy.rel, 'arn');
    rel.push([absAddr(b.deps.policy.mod, b.deps.policy.rel), 'arn']);
    refKeys.push('policy_arn');
  } else {
    expr.policy_arn = cv(policyArn);
  }
  return {
    full: { id: `${roleName}-${hex(policyArn, 20)}`, policy_arn: policyArn, role: roleName },
    computed: ['id'],
    refKeys,
    expr,
    rel,
  };
};

BUILDERS.aws_iam_instance_profile = (b) => {
  const role = b.deps.role;
  const roleName = buildInstance(role).full.name;
  const name = `${nm(b)}`;
  const full = {
    arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`,
    create_date: '2025-11-02T09:14:29Z',
    id: name,
    name,
    name_prefix: '',
    path: '/',
    role: roleName,
    tags: null,
    tags_all: {},
    unique_id: `AIPA${hex(name, 17).toUpperCase()}`,
  };
  return {
    full,
    computed: ['arn', 'create_date', 'id', 'name_prefix', 'tags_all', 'unique_id'],
    expr: { name: cv(name), role: refs(role.rel, 'name') },
    rel: [[absAddr(role.mod, role.rel), 'name']],
  };
};

BUILDERS.aws_instance = (b, idx) => {
  const g = b.g;
  const abs = absAddr(b.mod, b.rel + indexSuffix(idx));
  const id = idFor('aws_instance', abs);
  const profile = b.deps.profile;
  const profileName = profile ? buildInstance(profile).full.name : '';
  const sg = sgDep(b);
  const subnet = g.subnets;
  const subIdx = (idx ?? 0) % subnet.count;
  const subnetAbs = absAddr(subnet.mod, `${subnet.rel}[${subIdx}]`);
  const subnetId = idFor('aws_subnet', subnetAbs);
  const az = AZS[subIdx % AZS.length];
  const name = `${nm(b)}${idx === undefined ? '' : `-${idx}`}`;
  const tags = tagsFor(g, name);
  const encrypted = !g.bad.unencryptedDisk;
  const privateIp = `10.${cyrb53(g.prefix) % 200}.${subIdx}.${10 + ((idx ?? 0) % 240)}`;
  const full = {
    ami: b.ami,
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`,
    associate_public_ip_address: b.publicIp,
    availability_zone: az,
    capacity_reservation_specification: [
      { capacity_reservation_preference: 'open', capacity_reservation_target: [] },
    ],
    cpu_core_count: 1,
    cpu_options: [{ amd_sev_snp: '', core_count: 1, threads_per_core: 2 }],
    cpu_threads_per_core: 2,
    credit_specification: [],
    disable_api_stop: false,
    disable_api_termination: false,
    ebs_block_device: [],
    ebs_optimized: false,
    enable_primary_ipv6: null,
    enclave_options: [{ enabled: false }],
    ephemeral_block_device: [],
    get_password_data: false,
    hibernation: null,
    host_id: '',
    host_resource_group_arn: null,
    iam_instance_profile: profileName,
    id,
    instance_initiated_shutdown_behavior: 'stop',
    instance_lifecycle: '',
    instance_market_options: [],
    instance_state: 'running',
    instance_type: b.instanceType,
    ipv6_address_count: 0,
    ipv6_addresses: [],
    key_name: b.keyName,
    launch_template: [],
    maintenance_options: [{ auto_recovery: 'default' }],
    metadata_options: [
      {
        http_endpoint: 'enabled',
        http_protocol_ipv6: 'disabled',
        http_put_response_hop_limit: 1,
        http_tokens: b.imdsv2 ? 'required' : 'optional',
        instance_metadata_tags: 'disabled',
      },
    ],
    monitoring: false,
    network_interface: [],
    outpost_arn: '',
    password_data: '',
    placement_group: '',
    placement_partition_number: 0,
    primary_network_interface_id: `eni-0${hex(`${abs}eni`)}`,
    private_dns: `ip-${privateIp.replace(/\./g, '-')}.${REGION}.compute.internal`,
    private_dns_name_options: [
      {
        enable_resource_name_dns_a_record: false,
        enable_resource_name_dns_aaaa_record: false,
        hostname_type: 'ip-name',
      },
    ],
    private_ip: privateIp,
    public_dns: b.publicIp ? `ec2-52-18-${subIdx}-${(idx ?? 0) % 250}.${REGION}.compute.amazonaws.com` : '',
    public_ip: b.publicIp ? `52.18.${subIdx}.${(idx ?? 0) % 250}` : '',
    root_block_device: [
      {
        delete_on_termination: true,
        device_name: '/dev/xvda',
        encrypted,
        iops: 3000,
        kms_key_id: encrypted ? `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid(`${g.prefix}ebs`)}` : '',
        tags: null,
        tags_all: {},
        throughput: 125,
        volume_id: `vol-0${hex(`${abs}root`)}`,
        volume_size: b.rootSize,
        volume_type: 'gp3',
      },
    ],
    secondary_private_ips: [],
    security_groups: [],
    source_dest_check: true,
    spot_instance_request_id: '',
    subnet_id: subnetId,
    tags,
    tags_all: tags,
    tenancy: 'default',
    timeouts: null,
    user_data: hex(`${abs}userdata`, 40),
    user_data_base64: null,
    user_data_replace_on_change: false,
    volume_tags: null,
    vpc_security_group_ids: [sg.id],
  };
  const computed = [
    'arn',
    'availability_zone',
    'capacity_reservation_specification',
    'cpu_core_count',
    'cpu_options',
    'cpu_threads_per_core',
    'disable_api_stop',
    'disable_api_termination',
    'ebs_block_device',
    'ebs_optimized',
    'enable_primary_ipv6',
    'enclave_options',
    'ephemeral_block_device',
    'host_id',
    'host_resource_group_arn',
    'id',
    'instance_initiated_shutdown_behavior',
    'instance_lifecycle',
    'instance_market_options',
    'instance_state',
    'ipv6_address_count',
    'ipv6_addresses',
    'maintenance_options',
    'monitoring',
    'network_interface',
    'outpost_arn',
    'password_data',
    'placement_group',
    'placement_partition_number',
    'primary_network_interface_id',
    'private_dns',
    'private_dns_name_options',
    'private_ip',
    'public_dns',
    'public_ip',
    'secondary_private_ips',
    'security_groups',
    'spot_instance_request_id',
    'tenancy',
    'user_data_base64',
  ];
  if (!b.publicIpSet) computed.push('associate_public_ip_address');
  const nested = {
    metadata_options: [{ http_put_response_hop_limit: true, instance_metadata_tags: true }],
    root_block_device: [
      {
        device_name: true,
        iops: true,
        kms_key_id: true,
        tags_all: true,
        throughput: true,
        volume_id: true,
        volume_type: true,
      },
    ],
  };
  const sens = b.secretUserData ? { user_data: true } : undefined;
  const expr = {
    ami: cv(b.ami),
    instance_type: cv(b.instanceType),
    key_name: b.keyName ? cv(b.keyName) : undefined,
    metadata_options: [{ http_tokens: cv(full.metadata_options[0].http_tokens) }],
    root_block_device: [{ encrypted: cv(encrypted), volume_size: cv(b.rootSize) }],
    subnet_id: b.mod
      ? { references: ['var.subnet_ids', 'count.index'] }
      : { references: [subnet.rel, 'count.index'] },
    tags: { references: ['local.tags', ...(idx === undefined ? [] : ['count.index'])] },
    user_data: b.secretUserData ? { references: ['var.bootstrap_token'] } : cv('#!/bin/sh\nyum -y update\n'),
    vpc_security_group_ids: sg.expr,
  };
  if (!expr.key_name) delete expr.key_name;
  if (b.publicIpSet) expr.associate_public_ip_address = cv(b.publicIp);
  const rel = [sg.rel, [subnetAbs, 'id']];
  if (profile) {
    expr.iam_instance_profile = refs(profile.rel, 'name');
    rel.push([absAddr(profile.mod, profile.rel), 'name']);
  }
  return {
    full,
    computed,
    refKeys: ['subnet_id', 'vpc_security_group_ids'],
    nested,
    sens,
    expr,
    rel,
    replacePath: ['ami'],
  };
};

BUILDERS.aws_ebs_volume = (b, idx) => {
  const g = b.g;
  const abs = absAddr(b.mod, b.rel + indexSuffix(idx));
  const id = idFor('aws_ebs_volume', abs);
  const tags = tagsFor(g, `${nm(b)}${idx === undefined ? '' : `-${idx}`}`);
  const enc = b.encrypted; // true | false | undefined (not set: provider default, unknown until apply)
  const kmsKeyId = enc ? `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid(`${g.prefix}ebs`)}` : '';
  const full = {
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${id}`,
    availability_zone: AZS[(idx ?? 0) % 3],
    create_time: '2025-11-02T09:20:11Z',
    encrypted: !!enc,
    final_snapshot: false,
    id,
    iops: 3000,
    kms_key_id: kmsKeyId,
    multi_attach_enabled: null,
    outpost_arn: null,
    size: b.size,
    snapshot_id: '',
    tags,
    tags_all: tags,
    throughput: 125,
    timeouts: null,
    type: 'gp3',
  };
  const computed = ['arn', 'create_time', 'id', 'iops', 'kms_key_id', 'snapshot_id', 'throughput'];
  if (enc === undefined) computed.push('encrypted');
  const expr = {
    availability_zone: idx === undefined ? cv(full.availability_zone) : { references: ['count.index'] },
    size: cv(b.size),
    tags: { references: ['local.tags'] },
    type: cv('gp3'),
  };
  if (enc !== undefined) expr.encrypted = cv(enc);
  return { full, computed, expr, replacePath: ['availability_zone'] };
};

BUILDERS.aws_kms_key = (b) => {
  const id = uuid(absAddr(b.mod, b.rel));
  const full = {
    arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`,
    bypass_policy_lockout_safety_check: false,
    custom_key_store_id: null,
    customer_master_key_spec: 'SYMMETRIC_DEFAULT',
    deletion_window_in_days: b.deletionWindow,
    description: `${b.g.word} ${b.label.replace(/_/g, ' ') || 'key'}`,
    enable_key_rotation: b.rotation,
    id,
    is_enabled: true,
    key_id: id,
    key_usage: 'ENCRYPT_DECRYPT',
    multi_region: false,
    policy: jsonencode({
      Id: 'key-default-1',
      Statement: [
        {
          Action: 'kms:*',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Resource: '*',
          Sid: 'Enable IAM User Permissions',
        },
      ],
      Version: '2012-10-17',
    }),
    rotation_period_in_days: b.rotation ? 365 : 0,
    tags: null,
    tags_all: {},
    timeouts: null,
    xks_key_id: null,
  };
  const expr = { description: cv(full.description), enable_key_rotation: cv(b.rotation) };
  if (b.deletionWindow !== null) expr.deletion_window_in_days = cv(b.deletionWindow);
  return {
    full,
    computed: ['arn', 'id', 'key_id', 'multi_region', 'policy', 'rotation_period_in_days', 'tags_all'],
    expr,
  };
};

BUILDERS.aws_db_instance = (b) => {
  const g = b.g;
  const identifier = `${nm(b)}`;
  const encrypted = !g.bad.unencryptedDb;
  const kms = b.deps.kms;
  const kmsArn = kms
    ? buildInstance(kms).full.arn
    : encrypted
      ? `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid('aws/rds')}`
      : '';
  const sg = sgDep(b);
  const tags = tagsFor(g);
  const engine = b.engine;
  const port = engine === 'postgres' ? 5432 : 3306;
  const host = `${identifier}.c${hex(identifier, 11)}.${REGION}.rds.amazonaws.com`;
  const full = {
    address: host,
    allocated_storage: b.storage,
    allow_major_version_upgrade: null,
    apply_immediately: false,
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${identifier}`,
    auto_minor_version_upgrade: true,
    availability_zone: AZS[0],
    backup_retention_period: b.backups,
    backup_target: 'region',
    backup_window: '03:10-03:40',
    blue_green_update: [],
    ca_cert_identifier: 'rds-ca-rsa2048-g1',
    character_set_name: '',
    copy_tags_to_snapshot: true,
    custom_iam_instance_profile: null,
    customer_owned_ip_enabled: null,
    database_insights_mode: 'standard',
    db_name: b.dbName,
    db_subnet_group_name: `${g.prefix}-db`,
    dedicated_log_volume: false,
    delete_automated_backups: true,
    deletion_protection: g.env === 'prod',
    domain: null,
    domain_auth_secret_arn: null,
    domain_dns_ips: null,
    domain_fqdn: '',
    domain_iam_role_name: null,
    domain_ou: null,
    enabled_cloudwatch_logs_exports: engine === 'postgres' ? ['postgresql'] : null,
    endpoint: `${host}:${port}`,
    engine,
    engine_lifecycle_support: 'open-source-rds-extended-support',
    engine_version: engine === 'postgres' ? '16.4' : '8.0',
    engine_version_actual: engine === 'postgres' ? '16.4' : '8.0.39',
    final_snapshot_identifier: null,
    hosted_zone_id: 'Z29XKXDKYMONMX',
    iam_database_authentication_enabled: b.iamAuth,
    id: `db-${hex(identifier, 26).toUpperCase()}`,
    identifier,
    identifier_prefix: '',
    instance_class: b.instanceClass,
    iops: 0,
    kms_key_id: kmsArn,
    latest_restorable_time: '',
    license_model: engine === 'postgres' ? 'postgresql-license' : 'general-public-license',
    listener_endpoint: [],
    maintenance_window: 'sun:04:00-sun:04:30',
    manage_master_user_password: null,
    master_user_secret: [],
    master_user_secret_kms_key_id: '',
    max_allocated_storage: b.storage * 4,
    monitoring_interval: 0,
    monitoring_role_arn: '',
    multi_az: g.env === 'prod',
    nchar_character_set_name: '',
    network_type: 'IPV4',
    option_group_name: engine === 'postgres' ? 'default:postgres-16' : 'default:mysql-8-0',
    parameter_group_name: engine === 'postgres' ? 'default.postgres16' : 'default.mysql8.0',
    password: `pw-${hex(identifier, 20)}`,
    password_wo: null,
    password_wo_version: null,
    performance_insights_enabled: false,
    performance_insights_kms_key_id: '',
    performance_insights_retention_period: 0,
    port,
    publicly_accessible: g.bad.publicDb,
    replica_mode: '',
    replicas: [],
    replicate_source_db: null,
    resource_id: `db-${hex(`${identifier}res`, 26).toUpperCase()}`,
    restore_to_point_in_time: [],
    s3_import: [],
    skip_final_snapshot: g.env !== 'prod',
    snapshot_identifier: null,
    status: 'available',
    storage_encrypted: encrypted,
    storage_throughput: 0,
    storage_type: 'gp3',
    tags,
    tags_all: tags,
    timeouts: null,
    timezone: '',
    upgrade_storage_config: null,
    username: b.dbName,
    vpc_security_group_ids: [sg.id],
  };
  const computed = [
    'address',
    'arn',
    'availability_zone',
    'backup_target',
    'backup_window',
    'ca_cert_identifier',
    'character_set_name',
    'database_insights_mode',
    'db_name',
    'domain_fqdn',
    'endpoint',
    'engine_lifecycle_support',
    'engine_version_actual',
    'hosted_zone_id',
    'id',
    'identifier_prefix',
    'iops',
    'latest_restorable_time',
    'license_model',
    'listener_endpoint',
    'maintenance_window',
    'master_user_secret',
    'master_user_secret_kms_key_id',
    'monitoring_role_arn',
    'multi_az',
    'nchar_character_set_name',
    'network_type',
    'option_group_name',
    'parameter_group_name',
    'performance_insights_kms_key_id',
    'performance_insights_retention_period',
    'port',
    'replica_mode',
    'replicas',
    'resource_id',
    'snapshot_identifier',
    'status',
    'storage_throughput',
    'storage_type',
    'timezone',
  ];
  if (!kms) computed.push('kms_key_id');
  const expr = {
    allocated_storage: cv(b.storage),
    backup_retention_period: cv(b.backups),
    db_subnet_group_name: cv(full.db_subnet_group_name),
    engine: cv(engine),
    engine_version: cv(full.engine_version),
    identifier: cv(identifier),
    instance_class: cv(b.instanceClass),
    max_allocated_storage: cv(full.max_allocated_storage),
    password: { references: ['var.db_password'] },
    publicly_accessible: cv(full.publicly_accessible),
    storage_encrypted: cv(encrypted),
    tags: { references: ['local.tags'] },
    username: cv(b.dbName),
    vpc_security_group_ids: sg.expr,
  };
  const rel = [sg.rel];
  const refKeys = ['vpc_security_group_ids'];
  if (kms) {
    expr.kms_key_id = refs(kms.rel, 'arn');
    rel.push([absAddr(kms.mod, kms.rel), 'arn']);
    refKeys.push('kms_key_id');
  }
  return {
    full,
    computed,
    refKeys,
    sens: { password: true, password_wo: true },
    expr,
    rel,
    replacePath: ['identifier'],
  };
};

BUILDERS.aws_cloudtrail = (b) => {
  const name = `${b.g.prefix}-trail`;
  const bucket = buildInstance(b.deps.bucket).full.bucket;
  const kms = b.deps.kms;
  const full = {
    advanced_event_selector: [],
    arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${name}`,
    cloud_watch_logs_group_arn: null,
    cloud_watch_logs_role_arn: null,
    enable_log_file_validation: b.validation,
    enable_logging: true,
    event_selector: [],
    home_region: REGION,
    id: name,
    include_global_service_events: true,
    insight_selector: [],
    is_multi_region_trail: b.multiRegion,
    is_organization_trail: false,
    kms_key_id: kms ? buildInstance(kms).full.arn : null,
    name,
    s3_bucket_name: bucket,
    s3_key_prefix: null,
    sns_topic_arn: '',
    sns_topic_name: null,
    tags: null,
    tags_all: {},
  };
  const expr = {
    enable_log_file_validation: cv(b.validation),
    include_global_service_events: cv(true),
    is_multi_region_trail: cv(b.multiRegion),
    name: cv(name),
    s3_bucket_name: refs(b.deps.bucket.rel, 'id'),
  };
  const rel = [[absAddr(b.deps.bucket.mod, b.deps.bucket.rel), 'id']];
  const refKeys = ['s3_bucket_name'];
  if (kms) {
    expr.kms_key_id = refs(kms.rel, 'arn');
    rel.push([absAddr(kms.mod, kms.rel), 'arn']);
    refKeys.push('kms_key_id');
  }
  return { full, computed: ['arn', 'home_region', 'id', 'sns_topic_arn', 'tags_all'], refKeys, expr, rel };
};

BUILDERS.aws_vpc = (b) => {
  const abs = absAddr(b.mod, b.rel);
  const id = idFor('aws_vpc', abs);
  const tags = tagsFor(b.g, `${b.g.prefix}-vpc`);
  const full = {
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${id}`,
    assign_generated_ipv6_cidr_block: null,
    cidr_block: b.cidr,
    default_network_acl_id: `acl-0${hex(`${abs}acl`)}`,
    default_route_table_id: `rtb-0${hex(`${abs}rtb`)}`,
    default_security_group_id: `sg-0${hex(`${abs}sg`)}`,
    dhcp_options_id: `dopt-0${hex(`${abs}dopt`)}`,
    enable_dns_hostnames: true,
    enable_dns_support: true,
    enable_network_address_usage_metrics: false,
    id,
    instance_tenancy: 'default',
    ipv4_ipam_pool_id: null,
    ipv4_netmask_length: null,
    ipv6_association_id: '',
    ipv6_cidr_block: '',
    ipv6_cidr_block_network_border_group: '',
    ipv6_ipam_pool_id: null,
    ipv6_netmask_length: null,
    main_route_table_id: `rtb-0${hex(`${abs}rtb`)}`,
    owner_id: ACCOUNT,
    tags,
    tags_all: tags,
  };
  return {
    full,
    computed: [
      'arn',
      'default_network_acl_id',
      'default_route_table_id',
      'default_security_group_id',
      'dhcp_options_id',
      'id',
      'ipv6_association_id',
      'ipv6_cidr_block',
      'ipv6_cidr_block_network_border_group',
      'main_route_table_id',
      'owner_id',
    ],
    expr: {
      cidr_block: cv(b.cidr),
      enable_dns_hostnames: cv(true),
      enable_dns_support: cv(true),
      tags: { references: ['local.tags'] },
    },
  };
};

BUILDERS.aws_subnet = (b, idx) => {
  const abs = absAddr(b.mod, b.rel + indexSuffix(idx));
  const id = idFor('aws_subnet', abs);
  const vpc = b.deps.vpc;
  const vpcAbs = absAddr(vpc.mod, vpc.rel);
  const base = buildInstance(vpc).full.cidr_block.split('.');
  const cidr = `${base[0]}.${base[1]}.${(b.public ? 0 : 10) + (idx ?? 0)}.0/24`;
  const tags = tagsFor(b.g, `${b.g.prefix}-${b.public ? 'public' : 'private'}-${idx ?? 0}`);
  const full = {
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${id}`,
    assign_ipv6_address_on_creation: false,
    availability_zone: AZS[(idx ?? 0) % 3],
    availability_zone_id: `euw1-az${((idx ?? 0) % 3) + 1}`,
    cidr_block: cidr,
    customer_owned_ipv4_pool: '',
    enable_dns64: false,
    enable_lni_at_device_index: 0,
    enable_resource_name_dns_a_record_on_launch: false,
    enable_resource_name_dns_aaaa_record_on_launch: false,
    id,
    ipv6_cidr_block: '',
    ipv6_cidr_block_association_id: '',
    ipv6_native: false,
    map_customer_owned_ip_on_launch: false,
    map_public_ip_on_launch: b.public,
    outpost_arn: '',
    owner_id: ACCOUNT,
    private_dns_hostname_type_on_launch: 'ip-name',
    tags,
    tags_all: tags,
    timeouts: null,
    vpc_id: idFor('aws_vpc', vpcAbs),
  };
  return {
    full,
    computed: [
      'arn',
      'availability_zone_id',
      'id',
      'ipv6_cidr_block_association_id',
      'owner_id',
      'private_dns_hostname_type_on_launch',
    ],
    refKeys: ['vpc_id'],
    expr: {
      availability_zone: { references: ['count.index'] },
      cidr_block: { references: ['count.index'] },
      map_public_ip_on_launch: cv(b.public),
      tags: { references: ['local.tags', 'count.index'] },
      vpc_id: refs(vpc.rel, 'id'),
    },
    rel: [[vpcAbs, 'id']],
  };
};

BUILDERS.aws_internet_gateway = (b) => {
  const abs = absAddr(b.mod, b.rel);
  const id = idFor('aws_internet_gateway', abs);
  const vpc = b.deps.vpc;
  const vpcAbs = absAddr(vpc.mod, vpc.rel);
  return {
    full: {
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:internet-gateway/${id}`,
      id,
      owner_id: ACCOUNT,
      tags: null,
      tags_all: {},
      timeouts: null,
      vpc_id: idFor('aws_vpc', vpcAbs),
    },
    computed: ['arn', 'id', 'owner_id', 'tags_all'],
    refKeys: ['vpc_id'],
    expr: { vpc_id: refs(vpc.rel, 'id') },
    rel: [[vpcAbs, 'id']],
  };
};

BUILDERS.aws_route_table = (b) => {
  const abs = absAddr(b.mod, b.rel);
  const id = idFor('aws_route_table', abs);
  const vpc = b.deps.vpc;
  const igw = b.deps.igw;
  const vpcAbs = absAddr(vpc.mod, vpc.rel);
  const igwAbs = absAddr(igw.mod, igw.rel);
  const full = {
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:route-table/${id}`,
    id,
    owner_id: ACCOUNT,
    propagating_vgws: [],
    route: [
      {
        carrier_gateway_id: '',
        cidr_block: '0.0.0.0/0',
        core_network_arn: '',
        destination_prefix_list_id: '',
        egress_only_gateway_id: '',
        gateway_id: idFor('aws_internet_gateway', igwAbs),
        ipv6_cidr_block: '',
        local_gateway_id: '',
        nat_gateway_id: '',
        network_interface_id: '',
        transit_gateway_id: '',
        vpc_endpoint_id: '',
        vpc_peering_connection_id: '',
      },
    ],
    tags: null,
    tags_all: {},
    timeouts: null,
    vpc_id: idFor('aws_vpc', vpcAbs),
  };
  return {
    full,
    computed: ['arn', 'id', 'owner_id', 'propagating_vgws', 'tags_all'],
    refKeys: ['vpc_id'],
    nested: b.g.new ? { route: [{ gateway_id: true }] } : undefined,
    expr: { route: refs(igw.rel, 'id'), vpc_id: refs(vpc.rel, 'id') },
    rel: [
      [vpcAbs, 'id'],
      [igwAbs, 'id'],
    ],
  };
};

BUILDERS.aws_flow_log = (b) => {
  const abs = absAddr(b.mod, b.rel);
  const id = idFor('aws_flow_log', abs);
  const vpc = b.deps.vpc;
  const vpcAbs = absAddr(vpc.mod, vpc.rel);
  const bucketArn = `arn:aws:s3:::${b.g.prefix}-flow-logs`;
  const full = {
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/${id}`,
    deliver_cross_account_role: null,
    destination_options: [],
    eni_id: null,
    iam_role_arn: '',
    id,
    log_destination: bucketArn,
    log_destination_type: 's3',
    log_format: FLOW_LOG_FIELDS.map((x) => `\${${x}}`).join(' '),
    log_group_name: '',
    max_aggregation_interval: 600,
    subnet_id: null,
    tags: null,
    tags_all: {},
    traffic_type: b.traffic,
    transit_gateway_attachment_id: null,
    transit_gateway_id: null,
    vpc_id: idFor('aws_vpc', vpcAbs),
  };
  return {
    full,
    computed: ['arn', 'iam_role_arn', 'id', 'log_format', 'log_group_name', 'tags_all'],
    refKeys: ['vpc_id'],
    expr: {
      log_destination: cv(bucketArn),
      log_destination_type: cv('s3'),
      traffic_type: cv(b.traffic),
      vpc_id: refs(vpc.rel, 'id'),
    },
    rel: [[vpcAbs, 'id']],
  };
};

BUILDERS.aws_lb = (b) => {
  const g = b.g;
  const name = `${nm(b)}`.slice(0, 32);
  const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/${hex(name, 16)}`;
  const sg = sgDep(b);
  const subnets = g.subnets;
  const subnetIds = [];
  for (let i = 0; i < subnets.count; i++)
    subnetIds.push(idFor('aws_subnet', absAddr(subnets.mod, `${subnets.rel}[${i}]`)));
  const tags = tagsFor(g);
  const full = {
    access_logs: b.accessLogs ? [{ bucket: `${g.prefix}-lb-logs`, enabled: true, prefix: name }] : [],
    arn,
    arn_suffix: arn.split(':loadbalancer/')[1],
    client_keep_alive: 3600,
    connection_logs: [],
    customer_owned_ipv4_pool: null,
    desync_mitigation_mode: 'defensive',
    dns_name: `${name}-${cyrb53(name) % 1000000000}.${REGION}.elb.amazonaws.com`,
    dns_record_client_routing_policy: null,
    drop_invalid_header_fields: b.dropInvalid,
    enable_cross_zone_load_balancing: null,
    enable_deletion_protection: g.env === 'prod',
    enable_http2: true,
    enable_tls_version_and_cipher_suite_headers: false,
    enable_waf_fail_open: false,
    enable_xff_client_port: false,
    enable_zonal_shift: false,
    enforce_security_group_inbound_rules_on_private_link_traffic: '',
    id: arn,
    idle_timeout: 60,
    internal: b.internal,
    ip_address_type: 'ipv4',
    ipam_pools: [],
    load_balancer_type: 'application',
    minimum_load_balancer_capacity: [],
    name,
    name_prefix: '',
    preserve_host_header: false,
    security_groups: [sg.id],
    subnet_mapping: subnetIds.map((s) => ({
      allocation_id: '',
      ipv6_address: '',
      outpost_id: '',
      private_ipv4_address: '',
      subnet_id: s,
    })),
    subnets: subnetIds,
    tags,
    tags_all: tags,
    timeouts: null,
    vpc_id: idFor('aws_vpc', absAddr(g.vpc.mod, g.vpc.rel)),
    xff_header_processing_mode: 'append',
    zone_id: 'Z32O12XQLNTSW2',
  };
  const expr = {
    drop_invalid_header_fields: cv(b.dropInvalid),
    internal: cv(b.internal),
    load_balancer_type: cv('application'),
    name: cv(name),
    security_groups: sg.expr,
    subnets: b.mod ? { references: ['var.subnet_ids'] } : refs(subnets.rel),
    tags: { references: ['local.tags'] },
  };
  if (b.accessLogs)
    expr.access_logs = [{ bucket: cv(full.access_logs[0].bucket), enabled: cv(true), prefix: cv(name) }];
  return {
    full,
    computed: [
      'arn',
      'arn_suffix',
      'dns_name',
      'enforce_security_group_inbound_rules_on_private_link_traffic',
      'id',
      'ip_address_type',
      'name_prefix',
      'subnet_mapping',
      'vpc_id',
      'zone_id',
    ],
    refKeys: ['security_groups', 'subnets'],
    expr,
    rel: [sg.rel, [absAddr(subnets.mod, subnets.rel), '']],
  };
};

BUILDERS.azurerm_network_security_group = (b) => {
  const g = b.g;
  const name = `nsg-${nm(b)}`;
  const rg = `rg-${g.prefix}-${g.env}`;
  const rule = (n, port, src, prio) => ({
    access: 'Allow',
    description: '',
    destination_address_prefix: '*',
    destination_address_prefixes: [],
    destination_application_security_group_ids: [],
    destination_port_range: port,
    destination_port_ranges: [],
    direction: 'Inbound',
    name: n,
    priority: prio,
    protocol: 'Tcp',
    source_address_prefix: src,
    source_address_prefixes: [],
    source_application_security_group_ids: [],
    source_port_range: '*',
    source_port_ranges: [],
  });
  const rules = [rule('https', '443', 'Internet', 100)];
  if (g.bad.sshWorld) rules.push(rule('ssh', '22', '*', 110));
  else if (b.rng.chance(0.5)) rules.push(rule('ssh-bastion', '22', '10.20.0.0/24', 110));
  if (b.rng.chance(0.1)) rules.push(rule('rdp', '3389', '0.0.0.0/0', 120));
  const tags = { environment: g.env, owner: `${g.word}-team` };
  const full = {
    id: `/subscriptions/${uuid('sub')}/resourceGroups/${rg}/providers/Microsoft.Network/networkSecurityGroups/${name}`,
    location: 'westeurope',
    name,
    resource_group_name: rg,
    security_rule: rules,
    tags,
    timeouts: null,
  };
  return {
    full,
    computed: ['id'],
    expr: {
      location: cv('westeurope'),
      name: cv(name),
      resource_group_name: cv(rg),
      security_rule: cv(rules),
      tags: { references: ['local.tags'] },
    },
  };
};

BUILDERS.google_compute_firewall = (b) => {
  const g = b.g;
  const name = `fw-${nm(b)}`;
  const open = g.bad.sshWorld;
  const full = {
    allow: [{ ports: open ? ['22'] : ['443', '8443'], protocol: 'tcp' }],
    creation_timestamp: '2025-11-02T01:14:22.118-08:00',
    deny: [],
    description: open ? 'ssh for ops' : 'https ingress',
    destination_ranges: [],
    direction: 'INGRESS',
    disabled: false,
    enable_logging: null,
    id: `projects/acme-${g.env}/global/firewalls/${name}`,
    log_config: [],
    name,
    network: 'default',
    priority: 1000,
    project: `acme-${g.env}`,
    self_link: `https://www.googleapis.com/compute/v1/projects/acme-${g.env}/global/firewalls/${name}`,
    source_ranges: open ? ['0.0.0.0/0'] : ['35.191.0.0/16', '130.211.0.0/22'],
    source_service_accounts: null,
    source_tags: null,
    target_service_accounts: null,
    target_tags: [open ? 'ssh' : 'web'],
    timeouts: null,
  };
  return {
    full,
    computed: ['creation_timestamp', 'destination_ranges', 'enable_logging', 'id', 'project', 'self_link'],
    expr: {
      allow: [{ ports: cv(full.allow[0].ports), protocol: cv('tcp') }],
      description: cv(full.description),
      name: cv(name),
      network: cv('default'),
      source_ranges: cv(full.source_ranges),
      target_tags: cv(full.target_tags),
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Estate layout: groups of blocks, scopes (root / module.svc_N), actions

const GROUP_WEIGHTS = [
  ['storage', 24],
  ['secgroup', 22],
  ['compute', 7],
  ['iam', 14],
  ['database', 4],
  ['network', 2],
  ['kms', 3],
  ['lb', 3],
  ['ebs', 3],
  ['audit', 1],
  ['azure', 3],
  ['gcp', 3],
];
// Types whose whole block may be removed from the configuration (planned as delete):
// nothing else in the estate references them.
const LEAF_TYPES = new Set([
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_iam_role_policy_attachment',
  'aws_ebs_volume',
  'aws_s3_bucket_versioning',
]);

function planLayout(n, seed) {
  const rng = makeRng(cyrb53(`layout:${seed}`));
  const blocks = [];
  const scopes = new Map(); // mod address ('' = root) -> { mod, vpc?, subnets?, groups }
  scopes.set('', { mod: '', groups: 0 });
  let total = 0;
  let groupId = 0;
  let moduleCount = 0;
  let openModule = null;

  const newGroup = (scope) => {
    const id = groupId++;
    const word = rng.pick(WORDS);
    const g = {
      id,
      word,
      prefix: `${word}-${id}`,
      env: rng.weighted([
        ['prod', 5],
        ['staging', 3],
        ['dev', 2],
      ]),
      costCenter: rng.chance(0.3) ? `cc-${1000 + (id % 90) * 7}` : null,
      new: rng.chance(0.88),
      mod: scope.mod,
      bad: {
        sshWorld: rng.chance(0.15),
        publicBucket: rng.chance(0.06),
        unencryptedDb: rng.chance(0.25),
        publicDb: rng.chance(0.06),
        unencryptedDisk: rng.chance(0.2),
      },
      vpc: scope.vpc,
      subnets: scope.subnets,
    };
    return g;
  };

  let seq = 0;
  const add = (g, type, name, opts = {}) => {
    const want = opts.count ?? (opts.forEach ? opts.forEach.length : 1);
    const room = n - total;
    if (room <= 0) return null;
    const b = {
      mod: g.mod,
      type,
      name,
      rel: `${type}.${name}`,
      label: name.startsWith(`${g.word}_${g.id}`) ? name.slice(`${g.word}_${g.id}`.length + 1) : name,
      g,
      seed: cyrb53(`${seed}:${g.mod}:${type}.${name}`),
      deps: opts.deps ?? {},
      ...opts.props,
    };
    if (opts.count !== undefined) b.count = Math.min(want, room);
    if (opts.forEach) b.forEach = opts.forEach.slice(0, Math.min(want, room));
    b.rng = makeRng(b.seed);
    b.order = seq++;
    // Actions. New groups are created; existing groups are mostly unchanged, some updated or
    // replaced, and some leaf blocks are removed from the configuration (delete).
    b.deleted = !g.new && !b.count && !b.forEach && LEAF_TYPES.has(type) && rng.chance(0.08);
    b.instanceActions = [];
    const ninst = b.count ?? (b.forEach ? b.forEach.length : 1);
    for (let i = 0; i < ninst; i++) {
      let a = 'create';
      if (b.deleted) a = 'delete';
      else if (!g.new)
        a = rng.weighted([
          ['no-op', 78],
          ['update', 17],
          [
            'replace',
            type === 'aws_instance' || type === 'aws_ebs_volume' || type === 'aws_db_instance' ? 5 : 0,
          ],
        ]);
      b.instanceActions.push(a);
    }
    total += ninst;
    blocks.push(b);
    return b;
  };

  const ensureNetwork = (scope, force) => {
    if (scope.vpc && !force) return;
    const root = scopes.get('');
    if (scope.mod) {
      // Modules get the VPC and subnets of the root module as input variables.
      ensureNetwork(root, false);
      scope.vpc = root.vpc;
      scope.subnets = root.subnets;
      return;
    }
    const g = newGroup(root);
    buildNetwork(g, root);
  };

  const buildNetwork = (g, scope) => {
    const n2 = `${g.word}_${g.id}`;
    const vpc = add(g, 'aws_vpc', n2, { props: { cidr: `10.${g.id % 250}.0.0/16` } });
    if (!vpc) return;
    const subnets = add(g, 'aws_subnet', `${n2}_public`, {
      count: rng.int(2, 3),
      deps: { vpc },
      props: { public: true },
    });
    const igw = add(g, 'aws_internet_gateway', n2, { deps: { vpc } });
    if (igw) add(g, 'aws_route_table', `${n2}_public`, { deps: { vpc, igw } });
    if (rng.chance(0.5))
      add(g, 'aws_flow_log', n2, { deps: { vpc }, props: { traffic: rng.pick(['ALL', 'REJECT']) } });
    if (subnets) {
      scope.vpc = vpc;
      scope.subnets = subnets;
    }
  };

  const sgKinds = (g) => {
    const kinds = [];
    if (g.bad.sshWorld) kinds.push('ssh_world');
    else if (rng.chance(0.3)) kinds.push('ssh_office');
    kinds.push(
      rng.weighted([
        ['https', 4],
        ['app_vpc', 4],
        ['http', 1],
        ['pg_vpc', 2],
        ['from_sg', 2],
        ['all_internal', 1],
      ]),
    );
    if (rng.chance(0.02)) kinds.push('rdp_world');
    return kinds;
  };

  const addSg = (g, name) =>
    add(g, 'aws_security_group', name, { props: { kinds: sgKinds(g), withEgress: rng.chance(0.7) } });

  const buildGroup = (kind, g, scope) => {
    const n2 = `${g.word}_${g.id}`;
    switch (kind) {
      case 'storage': {
        const forEach = rng.chance(0.15) ? BUCKET_KEYS.slice(0, rng.int(2, 4)) : undefined;
        const kms = rng.chance(0.3) ? add(g, 'aws_kms_key', `${n2}_s3`, { props: kmsProps() }) : null;
        const bucket = add(g, 'aws_s3_bucket', n2, { forEach });
        if (!bucket) return;
        const fe = bucket.forEach;
        if (rng.chance(0.8))
          add(g, 'aws_s3_bucket_public_access_block', n2, { forEach: fe, deps: { bucket } });
        if (rng.chance(0.6)) add(g, 'aws_s3_bucket_versioning', n2, { forEach: fe, deps: { bucket } });
        if (rng.chance(0.65))
          add(g, 'aws_s3_bucket_server_side_encryption_configuration', n2, {
            forEach: fe,
            deps: { bucket, kms },
          });
        if (g.bad.publicBucket || rng.chance(0.25))
          add(g, 'aws_s3_bucket_policy', n2, { forEach: fe, deps: { bucket } });
        return;
      }
      case 'secgroup': {
        ensureNetwork(scope);
        g.vpc = scope.vpc;
        const sg = addSg(g, n2);
        if (!sg) return;
        for (
          let i = rng.weighted([
            [0, 1],
            [1, 3],
            [2, 3],
            [3, 2],
            [4, 1],
          ]);
          i > 0;
          i--
        )
          add(g, 'aws_security_group_rule', `${n2}_${i}`, { deps: { sg }, props: { kind: ruleKind(g) } });
        for (
          let i = rng.weighted([
            [0, 4],
            [1, 3],
            [2, 2],
            [3, 1],
          ]);
          i > 0;
          i--
        )
          add(g, 'aws_vpc_security_group_ingress_rule', `${n2}_${i}`, {
            deps: { sg },
            props: { kind: ruleKind(g) },
          });
        return;
      }
      case 'compute': {
        ensureNetwork(scope);
        g.vpc = scope.vpc;
        g.subnets = scope.subnets;
        const sg = addSg(g, `${n2}_app`);
        const role = add(g, 'aws_iam_role', `${n2}_app`, { props: { trust: 'ec2' } });
        const policy = add(g, 'aws_iam_policy', `${n2}_app`, { props: { policyKind: policyKind() } });
        if (role && policy) add(g, 'aws_iam_role_policy_attachment', `${n2}_app`, { deps: { role, policy } });
        if (role && rng.chance(0.5))
          add(g, 'aws_iam_role_policy_attachment', `${n2}_ssm`, {
            deps: { role },
            props: { managedArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
          });
        const profile = role ? add(g, 'aws_iam_instance_profile', `${n2}_app`, { deps: { role } }) : null;
        if (!sg) return;
        const count = rng.weighted([
          [1, 5],
          [2, 3],
          [3, 2],
        ]);
        const publicIpSet = rng.chance(0.5);
        const inst = add(g, 'aws_instance', `${n2}_app`, {
          count,
          deps: { profile, sg },
          props: {
            ami: `ami-0${hex(`ami${rng.int(0, 20)}`)}`,
            instanceType: rng.pick([
              't3.micro',
              't3.small',
              't3.medium',
              'm6i.large',
              'c6i.xlarge',
              'r6i.large',
            ]),
            keyName: rng.chance(0.6) ? `${rng.pick(['ops', 'deploy', 'admin'])}-${g.env}` : null,
            publicIpSet,
            publicIp: publicIpSet ? rng.chance(0.4) : false,
            imdsv2: rng.chance(0.6),
            rootSize: rng.pick([8, 20, 30, 50, 100]),
            secretUserData: rng.chance(0.3),
          },
        });
        if (inst && rng.chance(0.4))
          add(g, 'aws_ebs_volume', `${n2}_data`, { count: inst.count, props: ebsProps(g) });
        return;
      }
      case 'iam': {
        const trust = rng.weighted([
          ['lambda', 6],
          ['ec2', 3],
          ['cross', 1],
        ]);
        const role = add(g, 'aws_iam_role', n2, { props: { trust } });
        if (!role) return;
        if (rng.chance(0.5)) {
          const policy = add(g, 'aws_iam_policy', n2, { props: { policyKind: policyKind() } });
          if (policy) add(g, 'aws_iam_role_policy_attachment', n2, { deps: { role, policy } });
        }
        const managed = [
          'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
          'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess',
          'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
        ];
        for (
          let i = rng.weighted([
            [0, 2],
            [1, 4],
            [2, 3],
            [3, 1],
          ]);
          i > 0;
          i--
        )
          add(g, 'aws_iam_role_policy_attachment', `${n2}_managed_${i}`, {
            deps: { role },
            props: {
              managedArn:
                trust === 'cross' && i === 1 && rng.chance(0.3)
                  ? 'arn:aws:iam::aws:policy/AdministratorAccess'
                  : managed[(i - 1 + g.id) % managed.length],
            },
          });
        if (rng.chance(0.3))
          add(g, 'aws_iam_role_policy', n2, { deps: { role }, props: { policyKind: policyKind() } });
        return;
      }
      case 'database': {
        ensureNetwork(scope);
        g.vpc = scope.vpc;
        const sg = addSg(g, `${n2}_db`);
        const kms =
          !g.bad.unencryptedDb && rng.chance(0.5)
            ? add(g, 'aws_kms_key', `${n2}_db`, { props: kmsProps() })
            : null;
        if (!sg) return;
        add(g, 'aws_db_instance', n2, {
          deps: { sg, kms },
          props: {
            engine: rng.pick(['postgres', 'postgres', 'mysql']),
            instanceClass: rng.pick(['db.t3.micro', 'db.t3.medium', 'db.m6g.large', 'db.r6g.xlarge']),
            storage: rng.pick([20, 50, 100, 500]),
            backups: rng.pick([0, 1, 7, 7, 14, 35]),
            dbName: g.word.replace(/-/g, '_'),
            iamAuth: rng.chance(0.3),
          },
        });
        return;
      }
      case 'network':
        buildNetwork(g, scope.mod ? { mod: scope.mod } : scope);
        return;
      case 'kms':
        add(g, 'aws_kms_key', n2, { props: kmsProps() });
        return;
      case 'lb': {
        ensureNetwork(scope);
        g.vpc = scope.vpc;
        g.subnets = scope.subnets;
        const sg = addSg(g, `${n2}_lb`);
        if (sg)
          add(g, 'aws_lb', n2, {
            deps: { sg },
            props: { internal: rng.chance(0.3), dropInvalid: rng.chance(0.4), accessLogs: rng.chance(0.5) },
          });
        return;
      }
      case 'ebs':
        add(g, 'aws_ebs_volume', n2, { props: ebsProps(g) });
        return;
      case 'audit': {
        const kms = rng.chance(0.6) ? add(g, 'aws_kms_key', `${n2}_trail`, { props: kmsProps() }) : null;
        const bucket = add(g, 'aws_s3_bucket', `${n2}_trail`);
        if (!bucket) return;
        add(g, 'aws_s3_bucket_public_access_block', `${n2}_trail`, { deps: { bucket } });
        add(g, 'aws_s3_bucket_policy', `${n2}_trail`, { deps: { bucket } });
        add(g, 'aws_cloudtrail', n2, {
          deps: { bucket, kms },
          props: { validation: rng.chance(0.7), multiRegion: rng.chance(0.6) },
        });
        return;
      }
      case 'azure':
        add(g, 'azurerm_network_security_group', n2);
        return;
      case 'gcp':
        add(g, 'google_compute_firewall', n2);
        if (rng.chance(0.3)) add(g, 'google_compute_firewall', `${n2}_internal`);
        return;
    }
  };

  const kmsProps = () => ({
    rotation: rng.chance(0.8),
    deletionWindow: rng.chance(0.5) ? rng.pick([7, 10, 30]) : null,
  });
  const ebsProps = (g) => ({
    size: rng.pick([10, 50, 100, 200, 500]),
    encrypted: g.bad.unencryptedDisk ? (rng.chance(0.5) ? false : undefined) : true,
  });
  const policyKind = () =>
    rng.weighted([
      ['scoped', 80],
      ['s3star', 10],
      ['passrole', 5],
      ['admin', 5],
    ]);
  const ruleKind = (g) =>
    g.bad.sshWorld && rng.chance(0.5)
      ? rng.pick(['ssh_world', 'rdp_world'])
      : rng.pick(['https', 'app_vpc', 'pg_vpc', 'ssh_office', 'all_internal']);

  while (total < n) {
    // ~30% of groups (and so roughly of resources) live in modules: module.svc_N, 3-8 groups each.
    let scope = scopes.get('');
    if (rng.chance(0.3)) {
      if (!openModule || openModule.groups >= openModule.target) {
        openModule = { mod: `module.svc_${moduleCount++}`, groups: 0, target: rng.int(3, 8) };
        openModule.call = openModule.mod.slice('module.'.length);
        openModule.registry = rng.chance(0.2);
        scopes.set(openModule.mod, openModule);
      }
      scope = openModule;
    }
    scope.groups++;
    // Near the end, only single-resource groups, so that every reference has its target.
    const kind = n - total < 12 ? rng.pick(['kms', 'ebs', 'azure']) : rng.weighted(GROUP_WEIGHTS);
    const g = newGroup(scope);
    buildGroup(kind, g, scope);
  }

  // Variables a module needs from its caller (vpc, subnets, security group ids).
  for (const s of scopes.values()) if (s.mod && s.vpc) s.usesNetwork = true;
  return { blocks, scopes };
}

// ---------------------------------------------------------------------------------------------
// Materialising one instance into plan JSON pieces

function instancesOf(b) {
  if (b.count !== undefined) return Array.from({ length: b.count }, (_, i) => i);
  if (b.forEach) return b.forEach;
  return [undefined];
}

function buildInstance(b, idx) {
  b.rng = makeRng(b.seed); // block-level choices must not depend on how often the block was built
  const r = BUILDERS[b.type](b, idx);
  r.full = sortDeep(r.full);
  r.computed ??= [];
  r.refKeys ??= [];
  r.rel ??= [];
  return r;
}

/** after / after_unknown / after_sensitive of a resource being created (or replaced). */
function createForm(r, refsUnknown) {
  const after = clone(r.full);
  const unknownKeys = refsUnknown ? [...r.computed, ...r.refKeys] : r.computed;
  for (const k of unknownKeys) delete after[k];
  if (r.nested) stripUnknown(after, r.nested);
  const u = {};
  for (const k of unknownKeys) u[k] = true;
  const afterUnknown = deepMerge(deepMerge(shape(after), r.nested ?? {}), u);
  // after_sensitive mirrors the value's containers (unknown lists/maps as empty) plus sensitive marks.
  const sensBase = shape(r.full);
  for (const k of unknownKeys) if (k in sensBase) sensBase[k] = Array.isArray(sensBase[k]) ? [] : {};
  const afterSensitive = deepMerge(sensBase, r.sens ?? {});
  return { after, afterUnknown, afterSensitive };
}

function sortKeys(o) {
  const out = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

function materialize(b, i) {
  const idx = instancesOf(b)[i];
  const action = b.instanceActions[i];
  const r = buildInstance(b, idx);
  const sensitive = deepMerge(shape(r.full), r.sens ?? {});
  const res = { action, r, idx };
  if (action === 'create') {
    const c = createForm(r, b.g.new);
    res.change = {
      actions: ['create'],
      before: null,
      after: c.after,
      after_unknown: c.afterUnknown,
      before_sensitive: false,
      after_sensitive: c.afterSensitive,
    };
  } else if (action === 'no-op') {
    res.change = {
      actions: ['no-op'],
      before: r.full,
      after: r.full,
      after_unknown: shape(r.full),
      before_sensitive: sensitive,
      after_sensitive: sensitive,
    };
  } else if (action === 'update') {
    const after = clone(r.full);
    const au = shape(r.full);
    if (after.tags && typeof after.tags === 'object') {
      after.tags = sortKeys({ ...after.tags, last_reviewed: '2026-01' });
      if ('tags_all' in after) {
        delete after.tags_all;
        au.tags_all = true;
      }
      au.tags = {};
    } else if (typeof after.description === 'string') {
      after.description = `${after.description} (updated)`;
    } else {
      // Nothing Terraform could update in place: the instance is unchanged.
      res.action = 'no-op';
    }
    res.change = {
      actions: [res.action],
      before: r.full,
      after,
      after_unknown: au,
      before_sensitive: sensitive,
      after_sensitive: deepMerge(shape(after), r.sens ?? {}),
    };
  } else if (action === 'replace') {
    const c = createForm(r, false);
    const path = r.replacePath ?? ['id'];
    const old = c.after[path[0]];
    if (typeof old === 'string') {
      if (old.startsWith('ami-')) c.after[path[0]] = `ami-0${hex(`${old}next`)}`;
      else if (AZS.includes(old)) c.after[path[0]] = AZS[(AZS.indexOf(old) + 1) % AZS.length];
      else c.after[path[0]] = `${old}-v2`;
    }
    res.change = {
      actions: ['delete', 'create'],
      before: r.full,
      after: c.after,
      after_unknown: c.afterUnknown,
      before_sensitive: sensitive,
      after_sensitive: c.afterSensitive,
      replace_paths: [path],
    };
    res.reason = 'replace_because_cannot_update';
  } else {
    res.change = {
      actions: ['delete'],
      before: r.full,
      after: null,
      after_unknown: {},
      before_sensitive: sensitive,
      after_sensitive: false,
    };
    res.reason = 'delete_because_no_resource_config';
  }
  for (const k of ['before', 'after', 'after_unknown', 'before_sensitive', 'after_sensitive'])
    res.change[k] = sortDeep(res.change[k]);
  return res;
}

const SCHEMA_VERSION = {
  aws_instance: 1,
  aws_security_group: 1,
  aws_security_group_rule: 2,
  aws_db_instance: 2,
  aws_vpc: 1,
  aws_subnet: 1,
  aws_cloudtrail: 1,
  google_compute_firewall: 1,
};
const providerOf = (type) => PROVIDERS[type.split('_')[0]];
const providerKey = (type) => type.split('_')[0];

function head(b, idx) {
  const o = {
    address: absAddr(b.mod, b.rel + indexSuffix(idx)),
    mode: 'managed',
    type: b.type,
    name: b.name,
  };
  if (idx !== undefined) o.index = idx;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Writer

class Out {
  constructor(file) {
    this.fd = openSync(file, 'w');
    this.buf = [];
    this.len = 0;
    this.bytes = 0;
  }
  w(s) {
    this.buf.push(s);
    this.len += s.length;
    if (this.len > 1 << 20) this.flush();
  }
  flush() {
    if (!this.buf.length) return;
    const chunk = Buffer.from(this.buf.join(''), 'utf8');
    writeSync(this.fd, chunk);
    this.bytes += chunk.length;
    this.buf = [];
    this.len = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

const J = (v) => JSON.stringify(v);

/**
 * Write a plan of exactly `n` resource instances (entries in resource_changes) to `file`.
 * Returns { file, resources, bytes, byAction, byType, inModules }.
 */
export function generatePlan(n, file, { seed = DEFAULT_SEED } = {}) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`resources must be a positive integer, got ${n}`);
  mkdirSync(dirname(file), { recursive: true });
  const { blocks, scopes } = planLayout(n, seed);

  // Terraform lists resources sorted by address within each module, modules sorted by address.
  const byMod = new Map();
  for (const b of blocks) {
    if (!byMod.has(b.mod)) byMod.set(b.mod, []);
    byMod.get(b.mod).push(b);
  }
  for (const list of byMod.values()) list.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const mods = [...byMod.keys()].filter((m) => m).sort();
  const rootBlocks = byMod.get('') ?? [];

  const tmp = `${file}.tmp-${process.pid}`;
  const out = new Out(tmp);
  out.w(`{"format_version":"1.2","terraform_version":"${TF_VERSION}","variables":`);
  out.w(
    J({
      bootstrap_token: { value: 'bench-token-not-for-output' },
      db_password: { value: 'bench-password-not-for-output' },
      environment: { value: 'prod' },
      region: { value: REGION },
    }),
  );

  // planned_values
  const writePlannedResources = (list) => {
    let first = true;
    for (const b of list) {
      if (b.deleted) continue;
      const idxs = instancesOf(b);
      for (let i = 0; i < idxs.length; i++) {
        const m = materialize(b, i);
        const o = head(b, idxs[i]);
        o.provider_name = providerOf(b.type);
        o.schema_version = SCHEMA_VERSION[b.type] ?? 0;
        if (m.change.after && Object.keys(m.change.after).length) o.values = m.change.after;
        o.sensitive_values = m.change.after_sensitive;
        out.w((first ? '' : ',') + J(o));
        first = false;
      }
    }
  };
  out.w(',"planned_values":{"root_module":{"resources":[');
  writePlannedResources(rootBlocks);
  out.w(']');
  const liveMods = mods.filter((m) => byMod.get(m).some((b) => !b.deleted));
  if (liveMods.length) {
    out.w(',"child_modules":[');
    liveMods.forEach((m, k) => {
      out.w(`${k ? ',' : ''}{"resources":[`);
      writePlannedResources(byMod.get(m));
      out.w(`],"address":${J(m)}}`);
    });
    out.w(']');
  }
  out.w('}}');

  // resource_changes
  const stats = { byAction: {}, byType: {}, inModules: 0, resources: 0 };
  out.w(',"resource_changes":[');
  let firstRc = true;
  const relevant = new Map();
  for (const m of ['', ...mods]) {
    for (const b of byMod.get(m) ?? []) {
      const idxs = instancesOf(b);
      for (let i = 0; i < idxs.length; i++) {
        const mat = materialize(b, i);
        const o = head(b, idxs[i]);
        const rc = {
          address: o.address,
          ...(b.mod ? { module_address: b.mod } : {}),
          mode: o.mode,
          type: o.type,
          name: o.name,
          ...(idxs[i] !== undefined ? { index: idxs[i] } : {}),
          provider_name: providerOf(b.type),
          change: mat.change,
        };
        if (mat.reason) rc.action_reason = mat.reason;
        out.w((firstRc ? '' : ',') + J(rc));
        firstRc = false;
        stats.resources++;
        stats.byAction[mat.action] = (stats.byAction[mat.action] ?? 0) + 1;
        stats.byType[b.type] = (stats.byType[b.type] ?? 0) + 1;
        if (b.mod) stats.inModules++;
        if (b.g.new && !b.deleted)
          for (const [res, attr] of mat.r.rel) {
            const key = `${res}\u0000${attr}`;
            if (!relevant.has(key)) relevant.set(key, { resource: res, attribute: attr ? [attr] : [] });
          }
      }
    }
  }
  out.w(']');

  // prior_state: resources that already exist (everything not being created)
  const writePrior = (list) => {
    let first = true;
    for (const b of list) {
      if (b.g.new) continue;
      const idxs = instancesOf(b);
      for (let i = 0; i < idxs.length; i++) {
        const mat = materialize(b, i);
        const o = head(b, idxs[i]);
        o.provider_name = providerOf(b.type);
        o.schema_version = SCHEMA_VERSION[b.type] ?? 0;
        o.values = mat.r.full;
        o.sensitive_values = sortDeep(deepMerge(shape(mat.r.full), mat.r.sens ?? {}));
        const deps = Object.values(b.deps)
          .filter(Boolean)
          .map((d) => absAddr(d.mod, d.rel))
          .sort();
        if (deps.length) o.depends_on = deps;
        out.w((first ? '' : ',') + J(o));
        first = false;
      }
    }
  };
  if (blocks.some((b) => !b.g.new)) {
    out.w(
      `,"prior_state":{"format_version":"1.0","terraform_version":"${TF_VERSION}","values":{"root_module":{"resources":[`,
    );
    writePrior(rootBlocks);
    out.w(']');
    const priorMods = mods.filter((m) => byMod.get(m).some((b) => !b.g.new));
    if (priorMods.length) {
      out.w(',"child_modules":[');
      priorMods.forEach((m, k) => {
        out.w(`${k ? ',' : ''}{"resources":[`);
        writePrior(byMod.get(m));
        out.w(`],"address":${J(m)}}`);
      });
      out.w(']');
    }
    out.w('}}}');
  }

  // configuration
  const writeConfigResources = (list) => {
    let first = true;
    for (const b of list) {
      if (b.deleted) continue;
      const idxs = instancesOf(b);
      const r = buildInstance(b, idxs[0]);
      const o = {
        address: b.rel,
        mode: 'managed',
        type: b.type,
        name: b.name,
        provider_config_key: providerKey(b.type),
        expressions: sortDeep(r.expr),
        schema_version: SCHEMA_VERSION[b.type] ?? 0,
      };
      if (b.count !== undefined)
        o.count_expression = b.type === 'aws_instance' ? { references: ['var.instance_count'] } : cv(b.count);
      if (b.forEach)
        o.for_each_expression = b.deps.bucket
          ? { references: [b.deps.bucket.rel] }
          : { references: ['local.buckets'] };
      const deps = b.type === 'aws_cloudtrail' ? [`aws_s3_bucket_policy.${b.deps.bucket.name}`] : null;
      if (deps) o.depends_on = deps;
      out.w((first ? '' : ',') + J(o));
      first = false;
    }
  };
  out.w(',"configuration":{"provider_config":');
  out.w(
    J({
      aws: {
        name: 'aws',
        full_name: PROVIDERS.aws,
        version_constraint: '~> 5.100',
        expressions: { region: { references: ['var.region'] } },
      },
      azurerm: {
        name: 'azurerm',
        full_name: PROVIDERS.azurerm,
        version_constraint: '~> 4.20',
        expressions: { features: [{}] },
      },
      google: {
        name: 'google',
        full_name: PROVIDERS.google,
        version_constraint: '~> 6.30',
        expressions: { project: cv('acme-prod'), region: cv('europe-west1') },
      },
    }),
  );
  out.w(',"root_module":{"resources":[');
  writeConfigResources(rootBlocks);
  out.w(']');
  if (mods.length) {
    out.w(',"module_calls":{');
    mods.forEach((m, k) => {
      const s = scopes.get(m);
      const call = m.slice('module.'.length);
      const expressions = {
        environment: { references: ['var.environment'] },
        name: cv(call.replace('_', '-')),
      };
      const variables = {
        environment: { description: 'Deployment environment' },
        name: { description: 'Service name' },
      };
      if (s.usesNetwork) {
        const root = scopes.get('');
        expressions.vpc_id = refs(root.vpc.rel, 'id');
        expressions.subnet_ids = { references: [`${root.subnets.rel}[*].id`, root.subnets.rel] };
        variables.vpc_id = { description: 'VPC to deploy into' };
        variables.subnet_ids = { description: 'Subnets for instances and load balancers' };
      }
      variables.bootstrap_token = { sensitive: true };
      variables.db_password = { sensitive: true };
      variables.instance_count = { default: 1 };
      variables.lb_security_group_id = { default: null };
      const callObj = {
        source: s.registry ? 'app.terraform.io/acme/service/aws' : './modules/service',
        expressions: sortDeep(expressions),
      };
      if (s.registry) callObj.version_constraint = '~> 3.2';
      out.w(`${k ? ',' : ''}${J(call)}:${J(callObj).slice(0, -1)},"module":{"resources":[`);
      writeConfigResources(byMod.get(m));
      out.w(`],"variables":${J(sortDeep(variables))}}}`);
    });
    out.w('}');
  }
  out.w(
    `,"variables":${J({
      bootstrap_token: { default: 'bench-token-not-for-output', sensitive: true },
      db_password: { default: 'bench-password-not-for-output', sensitive: true },
      environment: { default: 'prod' },
      instance_count: { default: 1 },
      lb_security_group_id: { default: null },
      region: { default: REGION },
    })}}}`,
  );

  out.w(`,"relevant_attributes":${J([...relevant.values()])}`);
  out.w(',"timestamp":"2026-01-15T10:00:00Z","applyable":true,"complete":true,"errored":false}');
  out.close();
  renameSync(tmp, file);
  return { file, bytes: out.bytes, ...stats };
}

export function defaultPlanPath(n) {
  return join(BENCH_DIR, 'out', `plan-${n}.json`);
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  let seed = DEFAULT_SEED;
  let outFile = null;
  const sizes = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seed') seed = Number(args[++i]);
    else if (args[i] === '--out') outFile = args[++i];
    else sizes.push(Number(args[i].replace(/k$/i, '000')));
  }
  if (!sizes.length || sizes.some((s) => !Number.isInteger(s) || s < 1) || (outFile && sizes.length > 1)) {
    console.error('usage: node bench/generate-plan.mjs <resources>... [--seed N] [--out file]');
    process.exit(2);
  }
  for (const n of sizes) {
    const t0 = performance.now();
    const s = generatePlan(n, outFile ?? defaultPlanPath(n), { seed });
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    console.log(
      `${s.file}: ${s.resources} resources, ${(s.bytes / 1e6).toFixed(1)} MB, ${s.inModules} in modules, ` +
        `actions ${J(s.byAction)} (${secs} s)`,
    );
  }
}
