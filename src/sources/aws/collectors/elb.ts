import {
  DescribeLoadBalancerAttributesCommand as DescribeClassicAttributesCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  ElasticLoadBalancingClient,
  paginateDescribeLoadBalancers as paginateClassic,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Resource } from '../../../model/resource.js';
import { arn, liveResource, plain, plainObject, recordError } from '../resource.js';
import type { AwsCallError, Collector, CollectorContext } from '../types.js';
import { collectPages, enrich, listAll } from './support/calls.js';
import { num, str, type TagList } from './support/resource.js';
import { applyTags } from './support/tags.js';

/**
 * Load balancers: v2 (application, network, gateway) with listeners, attributes and tags, their
 * target groups with registered targets, and classic ELBs with attributes and tags. Listeners,
 * attributes and target health are per resource (made only when a policy reads them); tags are read
 * 20 resources per call.
 */
const SERVICE = 'elasticloadbalancing';
const V2 = 'aws.elbv2.load-balancer';
const TG = 'aws.elbv2.target-group';
const CLASSIC = 'aws.elb.load-balancer';
const TAG_BATCH = 20;

/** Tags for many resources at once; a failed batch is recorded on each of its resources. */
async function tagInBatches(
  ctx: CollectorContext,
  resources: readonly Resource[],
  key: (r: Resource) => string,
  fetch: (keys: string[]) => Promise<{ key: string | undefined; tags: TagList }[]>,
): Promise<void> {
  for (let i = 0; i < resources.length; i += TAG_BATCH) {
    const batch = resources.slice(i, i + TAG_BATCH);
    try {
      const answers = await ctx.limit(SERVICE, () => fetch(batch.map(key)));
      for (const a of answers) {
        const r = batch.find((b) => key(b) === a.key);
        if (r) applyTags(r, a.tags);
      }
    } catch (err) {
      const error = ctx.toCallError(err, SERVICE, 'DescribeTags');
      for (const r of batch) recordError(r, 'Tags', error);
    }
  }
}

async function loadBalancersV2(
  ctx: CollectorContext,
  client: ElasticLoadBalancingV2Client,
  failures: AwsCallError[],
): Promise<Resource[]> {
  const listed = await listAll(
    ctx,
    failures,
    { service: SERVICE, operation: 'DescribeLoadBalancers', type: V2 },
    () => collectPages(paginateDescribeLoadBalancers({ client }, {}), (p) => p.LoadBalancers),
  );
  const lbs: Resource[] = [];
  for (const lb of listed ?? []) {
    const id = str(lb.LoadBalancerArn);
    const name = str(lb.LoadBalancerName);
    if (id && name) lbs.push(liveResource(ctx, { type: V2, id, nativeName: name, config: plainObject(lb) }));
  }
  await Promise.all(
    lbs.map(async (lb) => {
      const LoadBalancerArn = lb.id;
      if (ctx.needs(V2, 'Listeners')) {
        const o = await enrich(
          ctx,
          lb,
          { service: SERVICE, operation: 'DescribeListeners', path: 'Listeners' },
          () => client.send(new DescribeListenersCommand({ LoadBalancerArn })),
        );
        if (o.kind === 'ok') lb.config.Listeners = plain(o.value.Listeners ?? []);
      }
      if (ctx.needs(V2, 'Attributes')) {
        const o = await enrich(
          ctx,
          lb,
          { service: SERVICE, operation: 'DescribeLoadBalancerAttributes', path: 'Attributes' },
          () => client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn })),
        );
        if (o.kind === 'ok') {
          const attrs: Record<string, string> = {};
          for (const a of o.value.Attributes ?? []) {
            if (typeof a.Key === 'string' && typeof a.Value === 'string') attrs[a.Key] = a.Value;
          }
          lb.config.Attributes = attrs;
        }
      }
    }),
  );
  return lbs;
}

async function targetGroups(
  ctx: CollectorContext,
  client: ElasticLoadBalancingV2Client,
  failures: AwsCallError[],
): Promise<Resource[]> {
  const listed = await listAll(
    ctx,
    failures,
    { service: SERVICE, operation: 'DescribeTargetGroups', type: TG },
    () => collectPages(paginateDescribeTargetGroups({ client }, {}), (p) => p.TargetGroups),
  );
  const groups: Resource[] = [];
  for (const tg of listed ?? []) {
    const id = str(tg.TargetGroupArn);
    const name = str(tg.TargetGroupName);
    if (id && name)
      groups.push(liveResource(ctx, { type: TG, id, nativeName: name, config: plainObject(tg) }));
  }
  if (ctx.needs(TG, 'Targets')) {
    await Promise.all(
      groups.map(async (tg) => {
        const o = await enrich(
          ctx,
          tg,
          { service: SERVICE, operation: 'DescribeTargetHealth', path: 'Targets' },
          () => client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.id })),
        );
        if (o.kind !== 'ok') return;
        tg.config.Targets = (o.value.TargetHealthDescriptions ?? []).flatMap((d) => {
          const targetId = str(d.Target?.Id);
          if (!targetId) return [];
          const port = num(d.Target?.Port);
          return [{ Id: targetId, ...(port !== undefined ? { Port: port } : {}) }];
        });
      }),
    );
  }
  return groups;
}

async function classicLoadBalancers(
  ctx: CollectorContext,
  client: ElasticLoadBalancingClient,
  failures: AwsCallError[],
): Promise<Resource[]> {
  const listed = await listAll(
    ctx,
    failures,
    { service: SERVICE, operation: 'DescribeLoadBalancers', type: CLASSIC },
    () => collectPages(paginateClassic({ client }, {}), (p) => p.LoadBalancerDescriptions),
  );
  const lbs: Resource[] = [];
  for (const lb of listed ?? []) {
    const name = str(lb.LoadBalancerName);
    if (!name) continue;
    lbs.push(
      liveResource(ctx, {
        type: CLASSIC,
        id: arn(ctx, 'elasticloadbalancing', `loadbalancer/${name}`),
        nativeName: name,
        config: plainObject(lb),
      }),
    );
  }
  if (ctx.needs(CLASSIC, 'Attributes')) {
    await Promise.all(
      lbs.map(async (lb) => {
        const LoadBalancerName = String(lb.config.LoadBalancerName);
        const o = await enrich(
          ctx,
          lb,
          { service: SERVICE, operation: 'DescribeLoadBalancerAttributes', path: 'Attributes' },
          () => client.send(new DescribeClassicAttributesCommand({ LoadBalancerName })),
        );
        if (o.kind === 'ok') lb.config.Attributes = plainObject(o.value.LoadBalancerAttributes);
      }),
    );
  }
  if (ctx.needs(CLASSIC, 'Tags')) {
    await tagInBatches(
      ctx,
      lbs,
      (r) => String(r.config.LoadBalancerName),
      async (LoadBalancerNames) => {
        const out = await client.send(new DescribeClassicTagsCommand({ LoadBalancerNames }));
        return (out.TagDescriptions ?? []).map((d) => ({ key: d.LoadBalancerName, tags: d.Tags }));
      },
    );
  }
  return lbs;
}

export const elbCollector: Collector = {
  service: SERVICE,
  types: [V2, TG, CLASSIC],
  scope: 'regional',
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const v2 = ctx.client(ElasticLoadBalancingV2Client);
    const [lbs, groups, classic] = await Promise.all([
      loadBalancersV2(ctx, v2, failures),
      targetGroups(ctx, v2, failures),
      classicLoadBalancers(ctx, ctx.client(ElasticLoadBalancingClient), failures),
    ]);
    const tagged = [...(ctx.needs(V2, 'Tags') ? lbs : []), ...(ctx.needs(TG, 'Tags') ? groups : [])];
    await tagInBatches(
      ctx,
      tagged,
      (r) => r.id,
      async (ResourceArns) => {
        const out = await v2.send(new DescribeTagsCommand({ ResourceArns }));
        return (out.TagDescriptions ?? []).map((d) => ({ key: d.ResourceArn, tags: d.Tags }));
      },
    );
    return { resources: [...lbs, ...groups, ...classic], failures };
  },
};
