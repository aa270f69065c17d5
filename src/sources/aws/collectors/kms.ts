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
import type { AwsCallError, Collector, CollectorContext, CollectorOutput, RefreshTarget } from '../types.js';
import {
  collectPages,
  enrich,
  listAll,
  parseDocument,
  recordInvalidDocument,
  settleKeyOrder,
} from './support/calls.js';
import { str } from './support/resource.js';
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

async function enrichKey(ctx: CollectorContext, kms: KMSClient, key: Resource): Promise<void> {
  const KeyId = String(key.config.KeyId);
  const call = <T>(operation: string, path: string, fn: () => Promise<T>) =>
    enrich(ctx, key, { service: SERVICE, operation, path }, fn);
  const jobs: Promise<void>[] = [];
  if (ctx.needs(TYPE, 'KeyRotationEnabled') && rotationApplies(key.config)) {
    jobs.push(
      call('GetKeyRotationStatus', 'KeyRotationEnabled', () =>
        kms.send(new GetKeyRotationStatusCommand({ KeyId })),
      ).then((o) => {
        if (o.kind === 'ok') key.config.KeyRotationEnabled = o.value.KeyRotationEnabled === true;
      }),
    );
  }
  if (ctx.needs(TYPE, 'Policy')) {
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
  if (ctx.needs(TYPE, 'Tags')) {
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
  settleKeyOrder(key, ['KeyRotationEnabled', 'Policy', 'Tags']);
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

async function refreshKeys(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
): Promise<CollectorOutput | undefined> {
  if (touched.some((t) => !t.id && !t.name)) return undefined;
  const kms = ctx.client(KMSClient);
  const failures: AwsCallError[] = [];
  const keys = await Promise.all(touched.map((t) => refreshKey(ctx, kms, t, failures)));
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
