import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
} from '@aws-sdk/client-cloudtrail';
import type { Resource } from '../../../model/resource.js';
import { liveResource, plain, plainObject, recordError } from '../resource.js';
import type { AwsCallError, Collector, CollectorContext } from '../types.js';
import { enrich, listAll } from './support/calls.js';
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

export const cloudtrailCollector: Collector = {
  service: SERVICE,
  types: [TYPE],
  scope: 'regional',
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
      const arn = str(t.TrailARN);
      const name = str(t.Name);
      if (!arn || !name || (t.HomeRegion !== undefined && t.HomeRegion !== ctx.region)) continue;
      trails.push(liveResource(ctx, { type: TYPE, id: arn, nativeName: name, config: plainObject(t) }));
    }
    await Promise.all(trails.map((t) => trailDetails(ctx, ct, t)));
    if (ctx.needs(TYPE, 'Tags')) await tagTrails(ctx, ct, trails);
    return { resources: trails, failures };
  },
};
