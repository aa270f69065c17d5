import { paginateListSubscriptions, paginateListTopics, SNSClient } from '@aws-sdk/client-sns';
import type { Resource } from '../../../model/resource.js';
import { liveResource, recordError } from '../resource.js';
import type { AwsCallError, Collector } from '../types.js';
import { collectPages, listAll } from './support/calls.js';
import { str } from './support/resource.js';

/**
 * SNS topics with their subscriptions. Subscriptions come from one account-wide ListSubscriptions
 * walk per region instead of a call per topic; endpoints (addresses, phone numbers, URLs) are not
 * copied, only the subscription's identity and protocol.
 */
const SERVICE = 'sns';
const TYPE = 'aws.sns.topic';

export const snsCollector: Collector = {
  service: SERVICE,
  types: [TYPE],
  scope: 'regional',
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const sns = ctx.client(SNSClient);
    const topics = await listAll(
      ctx,
      failures,
      { service: SERVICE, operation: 'ListTopics', type: TYPE },
      () => collectPages(paginateListTopics({ client: sns }, {}), (p) => p.Topics),
    );
    const resources: Resource[] = [];
    for (const t of topics ?? []) {
      const id = str(t.TopicArn);
      if (!id) continue;
      const name = id.slice(id.lastIndexOf(':') + 1);
      resources.push(liveResource(ctx, { type: TYPE, id, nativeName: name, config: { TopicArn: id } }));
    }
    if (resources.length === 0 || !ctx.needs(TYPE, 'Subscriptions')) return { resources, failures };
    try {
      const subs = await collectPages(paginateListSubscriptions({ client: sns }, {}), (p) => p.Subscriptions);
      const byTopic = new Map(resources.map((r) => [r.id, [] as Record<string, unknown>[]]));
      for (const s of subs) {
        const list = byTopic.get(String(s.TopicArn));
        if (list) list.push({ SubscriptionArn: str(s.SubscriptionArn), Protocol: str(s.Protocol) });
      }
      for (const r of resources) r.config.Subscriptions = byTopic.get(r.id) ?? [];
    } catch (err) {
      const error = ctx.toCallError(err, SERVICE, 'ListSubscriptions');
      for (const r of resources) recordError(r, 'Subscriptions', error);
    }
    return { resources, failures };
  },
};
