import {
  type AliasListEntry,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
  paginateListResourceTags,
} from '@aws-sdk/client-kms';
import type { Resource } from '../../../model/resource.js';
import { liveResource, plainObject, recordError } from '../resource.js';
import {
  AwsCallError,
  type Collector,
  type CollectorContext,
  type CollectorOutput,
  type RefreshTarget,
} from '../types.js';
import {
  collectPages,
  enrich,
  listAll,
  parseDocument,
  recordInvalidDocument,
  settleKeyOrder,
} from './support/calls.js';
import { str } from './support/resource.js';
import { scopedCopy, scopedFailure } from './support/scoped.js';
import { applyTags } from './support/tags.js';

/**
 * Customer-managed KMS keys. There is no bulk describe: DescribeKey runs per key (it is what tells
 * customer keys from AWS-managed ones); rotation status, key policy and tags are one more call each,
 * made only when a policy reads them. Aliases come from one ListAliases walk per region.
 */
const SERVICE = 'kms';
const TYPE = 'aws.kms.key';

/** Rotation exists only for enabled or disabled symmetric keys; other states answer with errors. */
function rotationApplies(config: Record<string, unknown>): boolean {
  return (
    config.KeySpec === 'SYMMETRIC_DEFAULT' &&
    (config.KeyState === 'Enabled' || config.KeyState === 'Disabled')
  );
}

/**
 * Aliases by target key, from one ListAliases walk (of the region, or of one key's aliases); the error
 * when the walk failed.
 */
async function aliasesByKey(
  ctx: CollectorContext,
  kms: KMSClient,
  KeyId?: string,
): Promise<Map<string, string[]> | AwsCallError> {
  const out = new Map<string, string[]>();
  let aliases: AliasListEntry[];
  try {
    aliases = await collectPages(
      paginateListAliases({ client: kms }, KeyId ? { KeyId } : {}),
      (p) => p.Aliases,
    );
  } catch (err) {
    return ctx.toCallError(err, SERVICE, 'ListAliases');
  }
  for (const a of aliases) {
    const target = str(a.TargetKeyId);
    const name = str(a.AliasName);
    if (!target || !name) continue;
    out.set(target, [...(out.get(target) ?? []), name]);
  }
  return out;
}

/** The fields one call each fills after DescribeKey, in their config order. */
const ENRICHED = ['KeyRotationEnabled', 'Policy', 'Tags'];

/**
 * The per-key calls policies need; `only` narrows them to some fields (a field-scoped re-read).
 * Returns the calls that failed (their errors are also recorded on the key).
 */
async function enrichKey(
  ctx: CollectorContext,
  kms: KMSClient,
  key: Resource,
  only?: ReadonlySet<string>,
): Promise<AwsCallError[]> {
  const KeyId = String(key.config.KeyId);
  const failed: AwsCallError[] = [];
  const call = async <T>(operation: string, path: string, fn: () => Promise<T>) => {
    const o = await enrich(ctx, key, { service: SERVICE, operation, path }, fn);
    if (o.kind === 'failed') failed.push(o.error);
    return o;
  };
  const needs = (path: string) => (only === undefined || only.has(path)) && ctx.needs(TYPE, path);
  const jobs: Promise<void>[] = [];
  if (needs('KeyRotationEnabled') && rotationApplies(key.config)) {
    jobs.push(
      call('GetKeyRotationStatus', 'KeyRotationEnabled', () =>
        kms.send(new GetKeyRotationStatusCommand({ KeyId })),
      ).then((o) => {
        if (o.kind === 'ok') key.config.KeyRotationEnabled = o.value.KeyRotationEnabled === true;
      }),
    );
  }
  if (needs('Policy')) {
    jobs.push(
      call('GetKeyPolicy', 'Policy', () =>
        kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' })),
      ).then((o) => {
        if (o.kind !== 'ok') return;
        const doc = parseDocument(o.value.Policy);
        if (doc) key.config.Policy = doc;
        else recordInvalidDocument(key, 'Policy', 'the key policy');
      }),
    );
  }
  if (needs('Tags')) {
    jobs.push(
      call('ListResourceTags', 'Tags', () =>
        collectPages(paginateListResourceTags({ client: kms }, { KeyId }), (p) => p.Tags),
      ).then((o) => {
        if (o.kind !== 'ok') return;
        // KMS names its tag members TagKey/TagValue.
        applyTags(
          key,
          o.value.map((t) => ({ Key: t.TagKey, Value: t.TagValue })),
        );
      }),
    );
  }
  await Promise.all(jobs);
  settleKeyOrder(key, ENRICHED);
  return failed;
}

/** Marks a key with its aliases (its first alias names it), or the reason they are unknown. */
function applyAliases(key: Resource, aliases: Map<string, string[]> | AwsCallError): void {
  if (aliases instanceof Map) {
    const names = aliases.get(String(key.config.KeyId)) ?? [];
    key.config.Aliases = names;
    if (names[0]) key.name = names[0];
  } else recordError(key, 'Aliases', aliases);
}

function keyShell(ctx: CollectorContext, KeyId: string, arn: string): Resource {
  return liveResource(ctx, { type: TYPE, id: arn, nativeName: KeyId, config: { KeyId, Arn: arn } });
}

/** DescribeKey's metadata on the key; false when the key is AWS managed (not inventoried). */
function describe(key: Resource, metadata: unknown): boolean {
  const meta = plainObject(metadata);
  if (meta.KeyManager !== 'CUSTOMER') return false;
  Object.assign(key.config, meta);
  return true;
}

/**
 * One touched key: DescribeKey (NotFound = gone, AWS managed = not inventoried), its aliases from
 * ListAliases narrowed to the key, then the same demand-driven calls as the full collection.
 */
async function refreshKey(
  ctx: CollectorContext,
  kms: KMSClient,
  t: RefreshTarget,
  failures: AwsCallError[],
): Promise<Resource | undefined> {
  const ref = t.id ?? t.name;
  if (!ref) return undefined;
  try {
    const described = await ctx.limit(SERVICE, () => kms.send(new DescribeKeyCommand({ KeyId: ref })));
    const KeyId = str(described.KeyMetadata?.KeyId);
    const arn = str(described.KeyMetadata?.Arn);
    if (!KeyId || !arn) return undefined;
    const key = keyShell(ctx, KeyId, arn);
    if (!describe(key, described.KeyMetadata)) return undefined;
    const aliases = await aliasesByKey(ctx, kms, KeyId);
    applyAliases(key, aliases);
    await enrichKey(ctx, kms, key);
    return key;
  } catch (err) {
    const error = ctx.toCallError(err, SERVICE, 'DescribeKey');
    if (error.code === 'NotFoundException') return undefined;
    error.resourceType = TYPE;
    failures.push(error);
    return undefined;
  }
}

/**
 * Field-scoped re-read of a held key. DescribeKey fields (state, deletion date, …) come back together
 * from one DescribeKey and replace the held metadata; rotation status and key policy are one call
 * each. A state change that makes rotation apply or stop applying re-reads or drops
 * `KeyRotationEnabled` too, as the full read would. NotFoundException: gone; any other failure fails
 * the re-read (old state kept, event retried).
 */
async function rereadKeyFields(
  ctx: CollectorContext,
  kms: KMSClient,
  scope: { fields: readonly string[]; previous: Resource },
  failures: AwsCallError[],
): Promise<Resource | undefined> {
  const { previous } = scope;
  const KeyId = String(previous.config.KeyId);
  const fail = (error: AwsCallError) => {
    if (error.code === 'NotFoundException') return undefined;
    error.resourceType = TYPE;
    failures.push(error);
    return undefined;
  };
  let metadata: unknown;
  if (scope.fields.some((f) => !ENRICHED.includes(f))) {
    try {
      const described = await ctx.limit(SERVICE, () => kms.send(new DescribeKeyCommand({ KeyId })));
      metadata = described.KeyMetadata;
      // An answer without metadata proves nothing: not "gone", not "unchanged".
      if (metadata === undefined)
        return fail(new AwsCallError(SERVICE, 'DescribeKey', 'EmptyResponse', 'DescribeKey returned no key'));
    } catch (err) {
      return fail(ctx.toCallError(err, SERVICE, 'DescribeKey'));
    }
  }
  const fields = scope.fields.filter((f) => ENRICHED.includes(f));
  if (metadata !== undefined) {
    const state = plainObject(metadata);
    if (rotationApplies(state) !== rotationApplies(previous.config)) fields.push('KeyRotationEnabled');
  }
  const key = scopedCopy(
    ctx,
    previous,
    fields.filter((f) => ctx.needs(TYPE, f)),
  );
  if (metadata !== undefined) {
    // The held key's metadata is replaced whole (a cancelled deletion drops DeletionDate); what the
    // later calls filled keeps its place after it.
    const later = ['Aliases', ...ENRICHED].filter((k) => Object.hasOwn(key.config, k));
    const kept = Object.fromEntries(later.map((k) => [k, key.config[k]]));
    key.config = { KeyId, Arn: previous.config.Arn };
    if (!describe(key, metadata)) return undefined;
    Object.assign(key.config, kept);
  }
  const failed = await enrichKey(ctx, kms, key, new Set(fields));
  const end = scopedFailure(failed, ['NotFoundException']);
  return end === 'gone' ? undefined : end ? fail(end) : key;
}

/** A held key a field-scoped re-read can start from (described, same ARN, no Aliases/Tags change). */
function scopeOf(t: RefreshTarget): RefreshTarget['scoped'] {
  const s = t.scoped;
  if (!s || s.previous.type !== TYPE || typeof s.previous.config.KeyId !== 'string') return undefined;
  if (t.id !== undefined && s.previous.id !== t.id) return undefined;
  if (s.fields.some((f) => f === 'Aliases' || f === 'Tags')) return undefined;
  if (s.previous.errors?.some((e) => e.path === '')) return undefined;
  return s;
}

async function refreshKeys(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
): Promise<CollectorOutput | undefined> {
  if (touched.some((t) => !t.id && !t.name)) return undefined;
  const kms = ctx.client(KMSClient);
  const failures: AwsCallError[] = [];
  const keys = await Promise.all(
    touched.map((t) => {
      const scope = scopeOf(t);
      return scope ? rereadKeyFields(ctx, kms, scope, failures) : refreshKey(ctx, kms, t, failures);
    }),
  );
  return { resources: keys.filter((k): k is Resource => k !== undefined), failures };
}

export const kmsCollector: Collector = {
  service: SERVICE,
  types: [TYPE],
  scope: 'regional',
  refresh: refreshKeys,
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const kms = ctx.client(KMSClient);
    const listed = await listAll(ctx, failures, { service: SERVICE, operation: 'ListKeys', type: TYPE }, () =>
      collectPages(paginateListKeys({ client: kms }, {}), (p) => p.Keys),
    );
    if (!listed || listed.length === 0) return { resources: [], failures };
    const aliases = await aliasesByKey(ctx, kms);
    const keys = await Promise.all(
      listed.map(async (k): Promise<Resource | undefined> => {
        const KeyId = str(k.KeyId);
        const arn = str(k.KeyArn);
        if (!KeyId || !arn) return undefined;
        // Without DescribeKey a key cannot even be told customer-managed: it is kept with the error.
        const key = keyShell(ctx, KeyId, arn);
        const described = await enrich(
          ctx,
          key,
          { service: SERVICE, operation: 'DescribeKey', path: '' },
          () => kms.send(new DescribeKeyCommand({ KeyId })),
        );
        if (described.kind !== 'ok') return key;
        if (!describe(key, described.value.KeyMetadata)) return undefined;
        applyAliases(key, aliases);
        await enrichKey(ctx, kms, key);
        return key;
      }),
    );
    return { resources: keys.filter((k): k is Resource => k !== undefined), failures };
  },
};
