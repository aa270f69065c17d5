import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import type { Resource } from '../../../model/resource.js';
import type { Collector, CollectorContext, CollectorOutput } from '../types.js';
import { CONFIG_TYPES, itemResource, joinFlowLogs, parseItem } from './translate.js';

/**
 * `--via-config`: the EC2/VPC types read in bulk from AWS Config's recorded configuration items (one
 * SelectResourceConfig per page of 100 items) instead of one describe call per type and region. With an
 * aggregator name, one query in the home region answers for every account and region it aggregates.
 */
const FIELDS = 'resourceId, resourceName, resourceType, arn, accountId, awsRegion, configuration, tags';

export function configExpression(): string {
  const types = Object.keys(CONFIG_TYPES)
    .map((t) => `'${t}'`)
    .join(', ');
  return `SELECT ${FIELDS} WHERE resourceType IN (${types})`;
}

/** Bounded: 10,000 pages of 100 items is a million resources. */
const MAX_PAGES = 10_000;

async function query(ctx: CollectorContext, aggregator: string | undefined): Promise<string[]> {
  const client = ctx.client(ConfigServiceClient);
  const Expression = configExpression();
  const results: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const next = token ? { NextToken: token } : {};
    const out = aggregator
      ? await client.send(
          new SelectAggregateResourceConfigCommand({
            Expression,
            ConfigurationAggregatorName: aggregator,
            Limit: 100,
            ...next,
          }),
        )
      : await client.send(new SelectResourceConfigCommand({ Expression, Limit: 100, ...next }));
    results.push(...(out.Results ?? []).filter((r): r is string => typeof r === 'string'));
    token = out.NextToken;
    if (!token) break;
  }
  return results;
}

export function makeConfigCollector(aggregator?: string): Collector {
  const types = Object.values(CONFIG_TYPES);
  return {
    service: 'config',
    // An aggregator answers for the whole organization in one place; without one, Config is regional.
    scope: aggregator ? 'global' : 'regional',
    types,
    async collect(ctx): Promise<CollectorOutput> {
      let raw: string[];
      try {
        raw = await query(ctx, aggregator);
      } catch (err) {
        const e = ctx.toCallError(
          err,
          'config',
          aggregator ? 'SelectAggregateResourceConfig' : 'SelectResourceConfig',
        );
        e.resourceType = types.join(',');
        return { resources: [], failures: [e] };
      }
      const collectedAt = ctx.now.toISOString();
      const resources: Resource[] = [];
      for (const text of raw) {
        const item = parseItem(text);
        // Only what this account/region asked for: a hostile answer cannot inject other accounts.
        if (!item) continue;
        if (!aggregator && (item.accountId !== ctx.account || item.awsRegion !== ctx.region)) continue;
        const r = itemResource(item, ctx.partition, collectedAt);
        if (r) resources.push(r);
      }
      joinFlowLogs(resources);
      return { resources, failures: [] };
    },
  };
}
