import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import type { Resource } from '../../../model/resource.js';
import { liveResource, recordError } from '../resource.js';
import type { AwsCallError, Collector, CollectorContext, CollectorOutput, RefreshTarget } from '../types.js';
import {
  collectPages,
  enrich,
  listAll,
  type Outcome,
  parseDocument,
  recordInvalidDocument,
  settleKeyOrder,
} from './support/calls.js';
import { compact, str } from './support/resource.js';
import { useEndpointAsGiven } from './support/s3control-endpoint.js';
import { scopedCopy, scopedFailure } from './support/scoped.js';
import { applyTags } from './support/tags.js';

/**
 * S3 buckets (global listing, one resource per bucket in its own region). Every per-bucket call is
 * demand-driven: it is made only when a loaded policy reads the field it fills, and runs under the
 * `s3` concurrency limit.
 */
const TYPE = 'aws.s3.bucket';
const SERVICE = 's3';

/** GetBucketLocation answers '' / null for us-east-1 and the legacy 'EU' for eu-west-1. */
export function bucketRegion(constraint: unknown): string {
  if (constraint === undefined || constraint === null || constraint === '') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return String(constraint);
}

interface BlockFlags {
  BlockPublicAcls?: boolean | undefined;
  IgnorePublicAcls?: boolean | undefined;
  BlockPublicPolicy?: boolean | undefined;
  RestrictPublicBuckets?: boolean | undefined;
}

/** The four flags as booleans; AWS omits a flag that is off. */
export function blockConfig(c: BlockFlags | undefined): Record<string, boolean> {
  return {
    BlockPublicAcls: c?.BlockPublicAcls === true,
    IgnorePublicAcls: c?.IgnorePublicAcls === true,
    BlockPublicPolicy: c?.BlockPublicPolicy === true,
    RestrictPublicBuckets: c?.RestrictPublicBuckets === true,
  };
}

interface AclGrant {
  Grantee?: { Type?: string | undefined; URI?: string | undefined; ID?: string | undefined } | undefined;
  Permission?: string | undefined;
}

/** Grants reduced to the contract's shape: display names and e-mail addresses are not copied. */
export function aclConfig(grants: readonly AclGrant[] | undefined): { Grants: Record<string, unknown>[] } {
  return {
    Grants: (grants ?? []).map((g) => ({
      Grantee: compact({ Type: str(g.Grantee?.Type), URI: str(g.Grantee?.URI), ID: str(g.Grantee?.ID) }),
      Permission: str(g.Permission),
    })),
  };
}

/** The account-level Block Public Access, read once per account (s3control). */
async function accountBlock(ctx: CollectorContext): Promise<Outcome<Record<string, boolean>>> {
  try {
    const s3control = useEndpointAsGiven(ctx.client(S3ControlClient));
    const out = await s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: ctx.account }));
    return { kind: 'ok', value: blockConfig(out.PublicAccessBlockConfiguration) };
  } catch (err) {
    const error = ctx.toCallError(err, 's3control', 'GetPublicAccessBlock');
    if (error.code === 'NoSuchPublicAccessBlockConfiguration') return { kind: 'absent' };
    return { kind: 'failed', error };
  }
}

/** The order of the enriched fields in a bucket's config, whichever call answers first. */
const BUCKET_FIELDS = [
  'Acl',
  'Policy',
  'PublicAccessBlockConfiguration',
  'AccountPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfiguration',
  'Versioning',
  'Logging',
  'Tags',
];

/**
 * The per-bucket calls policies need, each filling its field; `only` narrows them to some fields (a
 * field-scoped re-read). Returns the calls that failed (their errors are also recorded on the bucket).
 */
async function enrichBucket(
  ctx: CollectorContext,
  bucket: Resource,
  name: string,
  region: string,
  account: Outcome<Record<string, boolean>> | undefined,
  only?: ReadonlySet<string>,
): Promise<AwsCallError[]> {
  const s3 = ctx.client(S3Client, region);
  const needs = (path: string) => (only === undefined || only.has(path)) && ctx.needs(TYPE, path);
  const failed: AwsCallError[] = [];
  const call = async <T>(operation: string, path: string, fn: () => Promise<T>, absent: string[] = []) => {
    const o = await enrich(ctx, bucket, { service: SERVICE, operation, path, absent }, fn);
    if (o.kind === 'failed') failed.push(o.error);
    return o;
  };
  const jobs: Promise<void>[] = [];

  if (needs('Acl')) {
    jobs.push(
      call('GetBucketAcl', 'Acl', () => s3.send(new GetBucketAclCommand({ Bucket: name }))).then((o) => {
        if (o.kind === 'ok') bucket.config.Acl = aclConfig(o.value.Grants);
      }),
    );
  }
  if (needs('Policy')) {
    jobs.push(
      call('GetBucketPolicy', 'Policy', () => s3.send(new GetBucketPolicyCommand({ Bucket: name })), [
        'NoSuchBucketPolicy',
      ]).then((o) => {
        if (o.kind !== 'ok') return;
        const doc = parseDocument(o.value.Policy);
        if (doc) bucket.config.Policy = doc;
        else recordInvalidDocument(bucket, 'Policy', 'the bucket policy');
      }),
    );
  }
  if (needs('PublicAccessBlockConfiguration')) {
    jobs.push(
      call(
        'GetPublicAccessBlock',
        'PublicAccessBlockConfiguration',
        () => s3.send(new GetPublicAccessBlockCommand({ Bucket: name })),
        ['NoSuchPublicAccessBlockConfiguration'],
      ).then((o) => {
        if (o.kind === 'ok')
          bucket.config.PublicAccessBlockConfiguration = blockConfig(o.value.PublicAccessBlockConfiguration);
      }),
    );
  }
  if (account) {
    if (account.kind === 'ok') bucket.config.AccountPublicAccessBlockConfiguration = account.value;
    else if (account.kind === 'failed')
      recordError(bucket, 'AccountPublicAccessBlockConfiguration', account.error);
  }
  if (needs('ServerSideEncryptionConfiguration')) {
    jobs.push(
      call(
        'GetBucketEncryption',
        'ServerSideEncryptionConfiguration',
        () => s3.send(new GetBucketEncryptionCommand({ Bucket: name })),
        ['ServerSideEncryptionConfigurationNotFoundError'],
      ).then((o) => {
        if (o.kind !== 'ok') return;
        const rules = o.value.ServerSideEncryptionConfiguration?.Rules ?? [];
        bucket.config.ServerSideEncryptionConfiguration = {
          Rules: rules.map((r) =>
            compact({
              ApplyServerSideEncryptionByDefault: r.ApplyServerSideEncryptionByDefault
                ? compact({
                    SSEAlgorithm: str(r.ApplyServerSideEncryptionByDefault.SSEAlgorithm),
                    KMSMasterKeyID: str(r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID),
                  })
                : undefined,
              BucketKeyEnabled: typeof r.BucketKeyEnabled === 'boolean' ? r.BucketKeyEnabled : undefined,
            }),
          ),
        };
      }),
    );
  }
  if (needs('Versioning')) {
    jobs.push(
      call('GetBucketVersioning', 'Versioning', () =>
        s3.send(new GetBucketVersioningCommand({ Bucket: name })),
      ).then((o) => {
        if (o.kind === 'ok')
          bucket.config.Versioning = compact({
            Status: str(o.value.Status),
            MFADelete: str(o.value.MFADelete),
          });
      }),
    );
  }
  if (needs('Logging')) {
    jobs.push(
      call('GetBucketLogging', 'Logging', () => s3.send(new GetBucketLoggingCommand({ Bucket: name }))).then(
        (o) => {
          if (o.kind !== 'ok') return;
          const enabled = o.value.LoggingEnabled;
          bucket.config.Logging = enabled
            ? {
                LoggingEnabled: {
                  TargetBucket: str(enabled.TargetBucket),
                  TargetPrefix: str(enabled.TargetPrefix) ?? '',
                },
              }
            : {};
        },
      ),
    );
  }
  if (needs('Tags')) {
    jobs.push(
      call('GetBucketTagging', 'Tags', () => s3.send(new GetBucketTaggingCommand({ Bucket: name })), [
        'NoSuchTagSet',
      ]).then((o) => {
        if (o.kind === 'failed') return;
        applyTags(bucket, o.kind === 'ok' ? o.value.TagSet : []);
      }),
    );
  }
  await Promise.all(jobs);
  settleKeyOrder(bucket, BUCKET_FIELDS);
  return failed;
}

async function regionOf(
  ctx: CollectorContext,
  s3: S3Client,
  name: string,
  listed: string | undefined,
): Promise<{ region: string } | { error: AwsCallError }> {
  if (listed) return { region: listed };
  try {
    const out = await ctx.limit(SERVICE, () => s3.send(new GetBucketLocationCommand({ Bucket: name })));
    return { region: bucketRegion(out.LocationConstraint) };
  } catch (err) {
    return { error: ctx.toCallError(err, SERVICE, 'GetBucketLocation') };
  }
}

/** The bucket name of a touched bucket: its name, or what follows `arn:…:s3:::`. */
function bucketName(t: RefreshTarget): string | undefined {
  return t.name ?? t.id?.split(':::')[1];
}

/**
 * Fields a bucket event can name that one per-bucket call re-reads: not the account-wide block, and
 * not Tags (a `Name` tag also names the bucket, so a tag change is re-read whole).
 */
const SCOPABLE = new Set(
  BUCKET_FIELDS.filter((f) => f !== 'AccountPublicAccessBlockConfiguration' && f !== 'Tags'),
);

/**
 * What a field-scoped re-read of a bucket needs: the held bucket, by the same ARN, with a known
 * region, and fields this collector re-reads one by one. Otherwise undefined: a full re-read.
 */
function scopeOf(ctx: CollectorContext, name: string, targets: readonly RefreshTarget[]) {
  const fields = new Set<string>();
  let previous: Resource | undefined;
  for (const t of targets) {
    if (!t.scoped?.fields.every((f) => SCOPABLE.has(f))) return undefined;
    previous ??= t.scoped.previous;
    for (const f of t.scoped.fields) fields.add(f);
  }
  const region = previous?.config.Location;
  if (!previous || previous.type !== TYPE || previous.id !== `arn:${ctx.partition}:s3:::${name}`)
    return undefined;
  if (typeof region !== 'string' || previous.errors?.some((e) => e.path === 'Location')) return undefined;
  return { previous, region, fields: [...fields].filter((f) => ctx.needs(TYPE, f)) };
}

/**
 * Field-scoped re-read: only the calls for the fields the event changed (and policies read), on a
 * copy of the held bucket. NoSuchBucket from any of them: the bucket is gone. Any other failure
 * (a denial included) fails the re-read, so the old state is kept and the event retried.
 */
async function rereadFields(
  ctx: CollectorContext,
  name: string,
  scope: NonNullable<ReturnType<typeof scopeOf>>,
  failures: AwsCallError[],
): Promise<Resource | undefined> {
  const bucket = scopedCopy(ctx, scope.previous, scope.fields);
  const failed = await enrichBucket(ctx, bucket, name, scope.region, undefined, new Set(scope.fields));
  const end = scopedFailure(failed, ['NoSuchBucket']);
  if (end === 'gone') return undefined;
  if (end) {
    end.resourceType = TYPE;
    failures.push(end);
    return undefined;
  }
  return bucket;
}

/**
 * Targeted re-read for watch mode: each touched bucket by name, no ListBuckets. GetBucketLocation
 * doubles as the existence check (NoSuchBucket: the bucket is gone, so it is simply absent); then the
 * same demand-driven per-bucket calls as a full scan. A bucket whose location cannot be read for any
 * other reason is a failure of the re-read: its old state is kept, it is not known to be gone.
 */
async function refreshBuckets(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
): Promise<CollectorOutput | undefined> {
  const names = new Map<string, RefreshTarget[]>();
  for (const t of touched) {
    const name = bucketName(t);
    if (t.type !== TYPE || !name) return undefined;
    names.set(name, [...(names.get(name) ?? []), t]);
  }
  const s3 = ctx.client(S3Client);
  const failures: AwsCallError[] = [];
  const scopes = new Map([...names].map(([name, targets]) => [name, scopeOf(ctx, name, targets)]));
  const whole = [...scopes.values()].some((scope) => scope === undefined);
  const account =
    whole && ctx.needs(TYPE, 'AccountPublicAccessBlockConfiguration') ? await accountBlock(ctx) : undefined;
  const found = await Promise.all(
    [...names.keys()].map(async (name) => {
      const scope = scopes.get(name);
      if (scope) return rereadFields(ctx, name, scope, failures);
      const where = await regionOf(ctx, s3, name, undefined);
      if ('error' in where) {
        if (where.error.code !== 'NoSuchBucket') {
          where.error.resourceType = TYPE;
          failures.push(where.error);
        }
        return undefined;
      }
      const bucket = liveResource(ctx, {
        type: TYPE,
        id: `arn:${ctx.partition}:s3:::${name}`,
        nativeName: name,
        region: where.region,
        config: { Name: name, Location: where.region },
      });
      await enrichBucket(ctx, bucket, name, where.region, account);
      return bucket;
    }),
  );
  return { resources: found.filter((b): b is Resource => b !== undefined), failures };
}

export const s3Collector: Collector = {
  refresh: refreshBuckets,
  service: SERVICE,
  types: [TYPE],
  scope: 'global',
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const s3 = ctx.client(S3Client);
    const buckets = await listAll(
      ctx,
      failures,
      { service: SERVICE, operation: 'ListBuckets', type: TYPE },
      () => collectPages(paginateListBuckets({ client: s3 }, {}), (p) => p.Buckets),
    );
    if (!buckets) return { resources: [], failures };
    const account = ctx.needs(TYPE, 'AccountPublicAccessBlockConfiguration')
      ? await accountBlock(ctx)
      : undefined;
    const resources = await Promise.all(
      buckets.flatMap((b) => {
        const name = str(b.Name);
        if (!name) return [];
        return [
          (async () => {
            const where = await regionOf(ctx, s3, name, str(b.BucketRegion));
            const region = 'region' in where ? where.region : ctx.region;
            const bucket = liveResource(ctx, {
              type: TYPE,
              id: `arn:${ctx.partition}:s3:::${name}`,
              nativeName: name,
              region,
              config: { Name: name, ...('region' in where ? { Location: region } : {}) },
            });
            if ('error' in where) recordError(bucket, 'Location', where.error);
            // A bucket whose region could not be read is still asked from the default endpoint.
            await enrichBucket(ctx, bucket, name, 'region' in where ? region : 'us-east-1', account);
            return bucket;
          })(),
        ];
      }),
    );
    return { resources, failures };
  },
};
