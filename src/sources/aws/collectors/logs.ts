import {
  CloudWatchLogsClient,
  paginateDescribeLogGroups,
  paginateDescribeMetricFilters,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Resource } from '../../../model/resource.js';
import { arn, liveResource, plainObject } from '../resource.js';
import type { AwsCallError, Collector } from '../types.js';
import { collectPages, listAll } from './support/calls.js';
import { str } from './support/resource.js';

/**
 * CloudWatch Logs log groups and metric filters, one Describe walk each per region (CloudWatch Logs'
 * own camelCase field names are kept). Metric filters have no ARN; their id extends the log group's.
 */
const SERVICE = 'logs';
const GROUP = 'aws.logs.log-group';
const FILTER = 'aws.logs.metric-filter';

export const logsCollector: Collector = {
  service: SERVICE,
  types: [GROUP, FILTER],
  scope: 'regional',
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const logs = ctx.client(CloudWatchLogsClient);
    const [groups, filters] = await Promise.all([
      listAll(ctx, failures, { service: SERVICE, operation: 'DescribeLogGroups', type: GROUP }, () =>
        collectPages(paginateDescribeLogGroups({ client: logs }, {}), (p) => p.logGroups),
      ),
      listAll(ctx, failures, { service: SERVICE, operation: 'DescribeMetricFilters', type: FILTER }, () =>
        collectPages(paginateDescribeMetricFilters({ client: logs }, {}), (p) => p.metricFilters),
      ),
    ]);
    const groupArn = (name: string) => arn(ctx, 'logs', `log-group:${name}`);
    const resources: Resource[] = [];
    for (const g of groups ?? []) {
      const name = str(g.logGroupName);
      if (!name) continue;
      resources.push(
        liveResource(ctx, { type: GROUP, id: groupArn(name), nativeName: name, config: plainObject(g) }),
      );
    }
    for (const f of filters ?? []) {
      const name = str(f.filterName);
      const group = str(f.logGroupName);
      if (!name || !group) continue;
      resources.push(
        liveResource(ctx, {
          type: FILTER,
          id: `${groupArn(group)}:metric-filter:${name}`,
          nativeName: name,
          config: plainObject(f),
        }),
      );
    }
    return { resources, failures };
  },
};
