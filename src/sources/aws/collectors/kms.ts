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
import type { AwsCallError, Collector, CollectorContext } from '../types.js';
import { collectPages, enrich, listAll, parseDocument, recordInvalidDocument } from './support/calls.js';
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

/** Aliases by target key, from one ListAliases walk; the error when the walk failed. */
async function aliasesByKey(
  ctx: CollectorContext,
  kms: KMSClient,
): Promise<Map<string, string[]> | AwsCallError> {
  const out = new Map<string, string[]>();
  let aliases: AliasListEntry[];
  try {
    aliases = await collectPages(paginateListAliases({ client: kms }, {}), (p) => p.Aliases);
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
}

export const kmsCollector: Collector = {
  service: SERVICE,
  types: [TYPE],
  scope: 'regional',
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
        const key = liveResource(ctx, {
          type: TYPE,
          id: arn,
          nativeName: KeyId,
          config: { KeyId, Arn: arn },
        });
        const described = await enrich(
          ctx,
          key,
          { service: SERVICE, operation: 'DescribeKey', path: '' },
          () => kms.send(new DescribeKeyCommand({ KeyId })),
        );
        if (described.kind !== 'ok') return key;
        const meta = plainObject(described.value.KeyMetadata);
        if (meta.KeyManager !== 'CUSTOMER') return undefined;
        Object.assign(key.config, meta);
        if (aliases instanceof Map) {
          const names = aliases.get(KeyId) ?? [];
          key.config.Aliases = names;
          if (names[0]) key.name = names[0];
        } else recordError(key, 'Aliases', aliases);
        await enrichKey(ctx, kms, key);
        return key;
      }),
    );
    return { resources: keys.filter((k): k is Resource => k !== undefined), failures };
  },
};
