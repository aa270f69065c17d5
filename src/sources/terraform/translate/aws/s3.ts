import type { Resource } from '../../../../model/resource.js';
import { ifKnown, objectAt } from '../config.js';
import { isMarker, type Marker } from '../markers.js';
import type { JoinSpec, TypeTable } from '../types.js';
import { blocks, bool, firstBlock, jsonDocument, known, list, mapList, str, type Values } from '../values.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

interface Grant {
  Grantee: Record<string, unknown>;
  Permission: unknown;
}

const groupGrant = (uri: string, permission: string): Grant => ({
  Grantee: { Type: 'Group', URI: uri },
  Permission: permission,
});

/** Canned ACLs expanded to the grants S3 itself stores (GetBucketAcl's answer). */
export function cannedAclGrants(acl: string): Grant[] {
  const grants: Grant[] = [{ Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }];
  switch (acl) {
    case 'public-read':
      grants.push(groupGrant(ALL_USERS, 'READ'));
      break;
    case 'public-read-write':
      grants.push(groupGrant(ALL_USERS, 'READ'), groupGrant(ALL_USERS, 'WRITE'));
      break;
    case 'authenticated-read':
      grants.push(groupGrant(AUTHENTICATED_USERS, 'READ'));
      break;
    case 'log-delivery-write':
      grants.push(groupGrant(LOG_DELIVERY, 'WRITE'), groupGrant(LOG_DELIVERY, 'READ_ACP'));
      break;
  }
  return grants;
}

function grantee(type: unknown, id: unknown, uri: unknown, email: unknown): Record<string, unknown> {
  return { Type: str(type), ID: str(id), URI: str(uri), EmailAddress: str(email) };
}

/** Provider v4+ inline `grant` blocks: one block per grantee, several permissions each. */
function inlineGrants(value: unknown): Grant[] | Marker {
  const list_ = blocks(value);
  if (isMarker(list_)) return list_;
  const out: Grant[] = [];
  for (const b of list_) {
    if (isMarker(b)) return b;
    const perms = list(b.permissions);
    if (isMarker(perms)) return perms;
    for (const p of perms)
      out.push({ Grantee: grantee(b.type, b.id, b.uri, b.email_address), Permission: p });
  }
  return out;
}

/** `aws_s3_bucket_acl.access_control_policy`: grant blocks each with one grantee block. */
function policyGrants(value: unknown): Grant[] | Marker | undefined {
  const policy = firstBlock(value);
  if (policy === undefined || isMarker(policy)) return policy;
  const grants = mapList(policy.grant, (g) => {
    const b = g as Values;
    const who = firstBlock(b.grantee);
    const whom =
      who === undefined || isMarker(who) ? who : grantee(who.type, who.id, who.uri, who.email_address);
    return { Grantee: whom, Permission: str(b.permission) } as Grant;
  });
  return grants as Grant[] | Marker;
}

function aclFromCanned(acl: unknown): { Grants: Grant[] } | Marker | undefined {
  const canned = str(acl);
  return known(canned, (c) => ({ Grants: cannedAclGrants(c) }));
}

function bucketAcl(v: Values): unknown {
  const grants = inlineGrants(v.grant);
  if (isMarker(grants)) return grants;
  if (grants.length > 0) return { Grants: grants };
  return aclFromCanned(v.acl) ?? { Grants: cannedAclGrants('private') };
}

function sseRules(ruleBlocks: unknown): unknown {
  return mapList(ruleBlocks, (r) => {
    const rule = r as Values;
    const byDefault = firstBlock(rule.apply_server_side_encryption_by_default);
    return {
      ApplyServerSideEncryptionByDefault: known(byDefault, (d) => ({
        SSEAlgorithm: str(d.sse_algorithm),
        KMSMasterKeyID: str(d.kms_master_key_id),
      })),
      BucketKeyEnabled: bool(rule.bucket_key_enabled),
    };
  });
}

/** Since January 2023 every bucket without a configuration encrypts with SSE-S3. */
const DEFAULT_SSE = () => ({
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
});

function inlineSse(value: unknown): unknown {
  const block = firstBlock(value);
  if (block === undefined) return DEFAULT_SSE();
  if (isMarker(block)) return block;
  return { Rules: sseRules(block.rule) };
}

function inlineVersioning(value: unknown): unknown {
  const block = firstBlock(value);
  if (block === undefined) return {};
  if (isMarker(block)) return block;
  const enabled = bool(block.enabled, false);
  const mfa = bool(block.mfa_delete, false);
  if (isMarker(enabled)) return { Status: enabled };
  const mfaDelete = known(mfa, (m) => (m ? 'Enabled' : 'Disabled'));
  // S3 reports no status for a bucket that was never versioned.
  if (!enabled) return mfa === true ? { MFADelete: 'Enabled' } : {};
  return { Status: 'Enabled', MFADelete: mfaDelete };
}

function logging(targetBucket: unknown, targetPrefix: unknown): unknown {
  return { LoggingEnabled: { TargetBucket: str(targetBucket), TargetPrefix: str(targetPrefix) ?? '' } };
}

function inlineLogging(value: unknown): unknown {
  const block = firstBlock(value);
  if (block === undefined) return {};
  if (isMarker(block)) return block;
  return logging(block.target_bucket, block.target_prefix);
}

function publicAccessBlock(v: Values): Record<string, unknown> {
  return {
    BlockPublicAcls: bool(v.block_public_acls, false),
    IgnorePublicAcls: bool(v.ignore_public_acls, false),
    BlockPublicPolicy: bool(v.block_public_policy, false),
    RestrictPublicBuckets: bool(v.restrict_public_buckets, false),
  };
}

const BUCKET = ['aws_s3_bucket'] as const;

function bucketJoin(apply: (parent: Resource, v: Values) => void, refAttr: string): readonly JoinSpec[] {
  return [{ parents: BUCKET, via: 'bucket', refAttr, apply: (parent, v) => apply(parent, v) }];
}

export const S3_TYPES: TypeTable = {
  aws_s3_bucket: {
    resource: {
      provider: 'aws',
      type: 'aws.s3.bucket',
      nameKey: 'Name',
      keys: ['id', 'bucket', 'arn'],
      identity: { id: 'bucket' },
      refs: {
        policy: 'Policy',
        logging: 'Logging',
        server_side_encryption_configuration: 'ServerSideEncryptionConfiguration',
      },
      translate: (v, ctx) => ({
        Name: str(v.bucket),
        Location: ctx.region || undefined,
        Acl: bucketAcl(v),
        Policy: jsonDocument(v.policy),
        ServerSideEncryptionConfiguration: inlineSse(v.server_side_encryption_configuration),
        Versioning: inlineVersioning(v.versioning),
        Logging: inlineLogging(v.logging),
      }),
    },
    readBack: [
      'acl',
      'grant',
      'policy',
      'versioning',
      'logging',
      'server_side_encryption_configuration',
      'lifecycle_rule',
      'cors_rule',
      'website',
      'replication_configuration',
      'object_lock_configuration',
      'object_lock_enabled',
      'acceleration_status',
      'request_payer',
    ],
  },
  aws_s3_bucket_acl: {
    names: ['bucket'],
    readBack: ['access_control_policy', 'acl'],
    joins: bucketJoin((parent, v) => {
      const grants = policyGrants(v.access_control_policy);
      if (grants !== undefined && !(Array.isArray(grants) && grants.length === 0)) {
        parent.config.Acl = isMarker(grants) ? grants : { Grants: grants };
        return;
      }
      const canned = aclFromCanned(v.acl);
      if (canned !== undefined) parent.config.Acl = canned;
    }, 'Acl'),
  },
  aws_s3_bucket_policy: {
    names: ['bucket'],
    joins: bucketJoin((parent, v) => {
      parent.config.Policy = jsonDocument(v.policy);
    }, 'Policy'),
  },
  aws_s3_bucket_public_access_block: {
    names: ['bucket'],
    joins: bucketJoin((parent, v) => {
      parent.config.PublicAccessBlockConfiguration = publicAccessBlock(v);
    }, 'PublicAccessBlockConfiguration'),
  },
  aws_s3_account_public_access_block: {
    joins: [
      {
        parents: BUCKET,
        refAttr: 'AccountPublicAccessBlockConfiguration',
        apply: (parent, v) => {
          parent.config.AccountPublicAccessBlockConfiguration = publicAccessBlock(v);
        },
      },
    ],
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    names: ['bucket'],
    joins: bucketJoin((parent, v) => {
      parent.config.ServerSideEncryptionConfiguration = { Rules: sseRules(v.rule) };
    }, 'ServerSideEncryptionConfiguration'),
  },
  aws_s3_bucket_versioning: {
    names: ['bucket'],
    joins: bucketJoin((parent, v) => {
      const block = firstBlock(v.versioning_configuration);
      if (block === undefined) return;
      if (isMarker(block)) {
        parent.config.Versioning = block;
        return;
      }
      const status = str(block.status);
      const out = objectAt(parent.config, 'Versioning');
      if (!out) return;
      // "Disabled" is Terraform's word for a bucket that was never versioned: S3 shows no status.
      out.Status = status === 'Disabled' ? undefined : status;
      // Terraform computes mfa_delete when it is not set; S3 then reports none.
      const mfa = ifKnown(str(block.mfa_delete));
      if (mfa !== undefined) out.MFADelete = mfa;
    }, 'Versioning'),
  },
  aws_s3_bucket_logging: {
    names: ['bucket', 'target_bucket'],
    joins: bucketJoin((parent, v) => {
      parent.config.Logging = logging(v.target_bucket, v.target_prefix);
    }, 'Logging'),
  },
};
