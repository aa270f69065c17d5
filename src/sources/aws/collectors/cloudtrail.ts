import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import type { Resource } from '../../../model/resource.js';
import { liveResource, plain, plainObject, recordError } from '../resource.js';
import type { AwsCallError, Collector, CollectorContext, CollectorOutput, RefreshTarget } from '../types.js';
import { enrich, listAll, settleKeyOrder } from './support/calls.js';
import { str } from './support/resource.js';
import { applyTags } from './support/tags.js';

/**
 * CloudTrail trails, each collected in its home region only: a multi-region trail also shows up in
 * every other region as a "shadow", and counting it there would duplicate it. Status and event
 * selectors are one call each per trail, made only when a policy reads them.
 */
const SERVICE = 'cloudtrail';
const TYPE = 'aws.cloudtrail.trail';
/** ListTags takes at most 20 trail ARNs per call. */
const TAG_BATCH = 20;

async function trailDetails(ctx: CollectorContext, ct: CloudTrailClient, trail: Resource): Promise<void> {
  const Name = trail.id;
  const jobs: Promise<void>[] = [];
  if (ctx.needs(TYPE, 'Status')) {
    jobs.push(
      enrich(ctx, trail, { service: SERVICE, operation: 'GetTrailStatus', path: 'Status' }, () =>
        ct.send(new GetTrailStatusCommand({ Name })),
      ).then((o) => {
        if (o.kind !== 'ok') return;
        const { $metadata: _, ...status } = o.value;
        trail.config.Status = plainObject(status);
      }),
    );
  }
  if (ctx.needs(TYPE, 'EventSelectors') || ctx.needs(TYPE, 'AdvancedEventSelectors')) {
    jobs.push(
      enrich(ctx, trail, { service: SERVICE, operation: 'GetEventSelectors', path: 'EventSelectors' }, () =>
        ct.send(new GetEventSelectorsCommand({ TrailName: Name })),
      ).then((o) => {
        if (o.kind !== 'ok') {
          // One call answers both fields: an unread call leaves both unreadable.
          if (o.kind === 'failed') recordError(trail, 'AdvancedEventSelectors', o.error);
          return;
        }
        trail.config.EventSelectors = plain(o.value.EventSelectors ?? []);
        trail.config.AdvancedEventSelectors = plain(o.value.AdvancedEventSelectors ?? []);
      }),
    );
  }
  await Promise.all(jobs);
  settleKeyOrder(trail, ['Status', 'EventSelectors', 'AdvancedEventSelectors']);
}

async function tagTrails(
  ctx: CollectorContext,
  ct: CloudTrailClient,
  trails: readonly Resource[],
): Promise<void> {
  for (let i = 0; i < trails.length; i += TAG_BATCH) {
    const batch = trails.slice(i, i + TAG_BATCH);
    try {
      const out = await ctx.limit(SERVICE, () =>
        ct.send(new ListTagsCommand({ ResourceIdList: batch.map((t) => t.id) })),
      );
      for (const entry of out.ResourceTagList ?? []) {
        const trail = batch.find((t) => t.id === entry.ResourceId);
        if (!trail) continue;
        applyTags(trail, entry.TagsList);
      }
    } catch (err) {
      const error = ctx.toCallError(err, SERVICE, 'ListTags');
      for (const t of batch) recordError(t, 'Tags', error);
    }
  }
}

/** A trail in its home region; undefined for a shadow (another region's multi-region trail) or a nameless one. */
function trailResource(ctx: CollectorContext, t: Trail): Resource | undefined {
  const arn = str(t.TrailARN);
  const name = str(t.Name);
  if (!arn || !name || (t.HomeRegion !== undefined && t.HomeRegion !== ctx.region)) return undefined;
  return liveResource(ctx, { type: TYPE, id: arn, nativeName: name, config: plainObject(t) });
}

/** Status, selectors and tags as the loaded policies demand them; one definition for full and targeted reads. */
async function complete(
  ctx: CollectorContext,
  ct: CloudTrailClient,
  trails: readonly Resource[],
): Promise<void> {
  await Promise.all(trails.map((t) => trailDetails(ctx, ct, t)));
  if (ctx.needs(TYPE, 'Tags')) await tagTrails(ctx, ct, trails);
}

/** Touched trails by name or ARN, one GetTrail each: TrailNotFound = gone, any other error = failed. */
async function refreshTrails(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
): Promise<CollectorOutput | undefined> {
  if (touched.some((t) => !t.id && !t.name)) return undefined;
  const ct = ctx.client(CloudTrailClient);
  const failures: AwsCallError[] = [];
  const found = await Promise.all(
    touched.map(async (t) => {
      try {
        const out = await ctx.limit(SERVICE, () => ct.send(new GetTrailCommand({ Name: t.id ?? t.name })));
        return out.Trail ? trailResource(ctx, out.Trail) : undefined;
      } catch (err) {
        const error = ctx.toCallError(err, SERVICE, 'GetTrail');
        if (/^TrailNotFound(Exception)?$/.test(error.code)) return undefined;
        error.resourceType = TYPE;
        failures.push(error);
        return undefined;
      }
    }),
  );
  const trails = [...new Map(found.flatMap((r) => (r ? [[r.id, r] as const] : []))).values()];
  await complete(ctx, ct, trails);
  return { resources: trails, failures };
}

export const cloudtrailCollector: Collector = {
  service: SERVICE,
  types: [TYPE],
  scope: 'regional',
  refresh: refreshTrails,
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const ct = ctx.client(CloudTrailClient);
    const out = await listAll(
      ctx,
      failures,
      { service: SERVICE, operation: 'DescribeTrails', type: TYPE },
      () => ct.send(new DescribeTrailsCommand({ includeShadowTrails: false })),
    );
    const trails: Resource[] = [];
    for (const t of out?.trailList ?? []) {
      const r = trailResource(ctx, t);
      if (r) trails.push(r);
    }
    await complete(ctx, ct, trails);
    return { resources: trails, failures };
  },
};
