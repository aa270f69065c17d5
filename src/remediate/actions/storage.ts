import { z } from 'zod';
import type { AwsCall } from '../../enforce/types.js';
import type { Resource } from '../../model/resource.js';
import { asArray, isRec, type Rec, type RemediationAction, regionOf } from './types.js';

const PUBLIC_GROUPS = new Set([
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
]);

const bucketName = (r: Resource) => String(r.config.Name ?? r.name);
const s3 = (r: Resource, command: string, input: Rec): AwsCall => ({
  service: 's3',
  command,
  input: { Bucket: bucketName(r), ...input },
  region: regionOf(r),
});

const blockOptions = z.object({ type: z.literal('s3-block-public-access') }).strict();

/** All four Block Public Access settings on the bucket. */
export const blockPublicAccess: RemediationAction<z.infer<typeof blockOptions>> = {
  type: 's3-block-public-access',
  resourceTypes: ['aws.s3.bucket'],
  options: blockOptions,
  plan: (r) => ({
    calls: [
      s3(r, 'PutPublicAccessBlock', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    ],
  }),
};

const aclOptions = z.object({ type: z.literal('s3-remove-public-acl') }).strict();

/** Rewrites the ACL without its AllUsers/AuthenticatedUsers grants; every other grant is kept. */
export const removePublicAcl: RemediationAction<z.infer<typeof aclOptions>> = {
  type: 's3-remove-public-acl',
  resourceTypes: ['aws.s3.bucket'],
  options: aclOptions,
  plan(r) {
    const acl = isRec(r.config.Acl) ? r.config.Acl : {};
    const grants = asArray(acl.Grants).filter(isRec);
    const kept = grants.filter((g) => !(isRec(g.Grantee) && PUBLIC_GROUPS.has(String(g.Grantee.URI))));
    if (kept.length === grants.length) return { refused: 'the ACL grants nothing to the public' };
    const owner = isRec(acl.Owner)
      ? acl.Owner
      : kept.find((g) => isRec(g.Grantee) && g.Grantee.Type === 'CanonicalUser')?.Grantee;
    const ownerId = isRec(owner) ? owner.ID : undefined;
    return {
      calls: [
        s3(r, 'PutBucketAcl', {
          AccessControlPolicy: { Grants: kept, ...(ownerId ? { Owner: { ID: ownerId } } : {}) },
        }),
      ],
    };
  },
};

/** A statement that lets anyone in: principal `*` (or AWS `*`), Allow, no condition. */
function isPublicStatement(st: Rec): boolean {
  if (st.Effect !== 'Allow' || st.Condition !== undefined) return false;
  const p = st.Principal;
  if (p === '*') return true;
  if (!isRec(p)) return false;
  const aws = p.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

const policyOptions = z.object({ type: z.literal('s3-remove-public-statements') }).strict();

/** Puts the bucket policy back without its unconditional public statements (deletes it when none is left). */
export const removePublicStatements: RemediationAction<z.infer<typeof policyOptions>> = {
  type: 's3-remove-public-statements',
  resourceTypes: ['aws.s3.bucket'],
  options: policyOptions,
  plan(r) {
    const policy = r.config.Policy;
    if (!isRec(policy)) return { refused: 'the bucket has no policy' };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    const kept = statements.filter((s) => !(isRec(s) && isPublicStatement(s)));
    if (kept.length === statements.length) return { refused: 'no unconditional public statement' };
    if (kept.length === 0) return { calls: [s3(r, 'DeleteBucketPolicy', {})] };
    return { calls: [s3(r, 'PutBucketPolicy', { Policy: JSON.stringify({ ...policy, Statement: kept }) })] };
  },
};

const encryptionOptions = z
  .object({
    type: z.literal('s3-enable-encryption'),
    algorithm: z.enum(['AES256', 'aws:kms']).default('AES256'),
    'kms-key': z.string().min(1).optional(),
  })
  .strict()
  .refine((o) => o.algorithm === 'aws:kms' || o['kms-key'] === undefined, {
    message: 'kms-key needs algorithm: aws:kms',
    path: ['kms-key'],
  });

export const enableBucketEncryption: RemediationAction<z.infer<typeof encryptionOptions>> = {
  type: 's3-enable-encryption',
  resourceTypes: ['aws.s3.bucket'],
  options: encryptionOptions,
  plan: (r, o) => ({
    calls: [
      s3(r, 'PutBucketEncryption', {
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: o.algorithm,
                ...(o['kms-key'] ? { KMSMasterKeyID: o['kms-key'] } : {}),
              },
              ...(o.algorithm === 'aws:kms' ? { BucketKeyEnabled: true } : {}),
            },
          ],
        },
      }),
    ],
  }),
};

const rotationOptions = z.object({ type: z.literal('kms-enable-rotation') }).strict();

export const enableKeyRotation: RemediationAction<z.infer<typeof rotationOptions>> = {
  type: 'kms-enable-rotation',
  resourceTypes: ['aws.kms.key'],
  options: rotationOptions,
  plan: (r) => ({
    calls: [
      {
        service: 'kms',
        command: 'EnableKeyRotation',
        input: { KeyId: String(r.config.KeyId ?? r.name) },
        region: regionOf(r),
      },
    ],
  }),
};
