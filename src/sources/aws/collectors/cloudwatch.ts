import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import type { Resource } from '../../../model/resource.js';
import { liveResource, plainObject } from '../resource.js';
import type { AwsCallError, Collector } from '../types.js';
import { collectPages, listAll } from './support/calls.js';
import { str } from './support/resource.js';

/** CloudWatch metric alarms, one DescribeAlarms walk per region. */
const SERVICE = 'cloudwatch';
const TYPE = 'aws.cloudwatch.alarm';

export const cloudwatchCollector: Collector = {
  service: SERVICE,
  types: [TYPE],
  scope: 'regional',
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const cw = ctx.client(CloudWatchClient);
    const alarms = await listAll(
      ctx,
      failures,
      { service: SERVICE, operation: 'DescribeAlarms', type: TYPE },
      () =>
        collectPages(
          paginateDescribeAlarms({ client: cw }, { AlarmTypes: ['MetricAlarm'] }),
          (p) => p.MetricAlarms,
        ),
    );
    const resources: Resource[] = [];
    for (const a of alarms ?? []) {
      const id = str(a.AlarmArn);
      const name = str(a.AlarmName);
      if (id && name)
        resources.push(liveResource(ctx, { type: TYPE, id, nativeName: name, config: plainObject(a) }));
    }
    return { resources, failures };
  },
};
