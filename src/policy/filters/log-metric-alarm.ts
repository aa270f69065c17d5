import type { Resource } from '../../model/resource.js';
import { asArray, asObj, objectItems } from '../../util/narrow.js';
import { EvalContext } from '../context.js';
import { canonicalPattern, type PatternNode, parseFilterPattern, patternCovers } from '../filter-pattern.js';
import { SpecError } from '../spec-error.js';
import { type Verdict, verdict } from '../verdict.js';
import { trailEventsFilter } from './trail-events.js';
import type { CompiledFilter, FilterSpec, TypedFilter } from './types.js';

const TRAIL_PATHS = [
  'IsMultiRegionTrail',
  'CloudWatchLogsLogGroupArn',
  'Status',
  'EventSelectors',
  'AdvancedEventSelectors',
];
const FILTER_PATHS = ['logGroupName', 'filterPattern', 'metricTransformations'];
const ALARM_PATHS = ['MetricName', 'Namespace', 'AlarmActions', 'ActionsEnabled'];
const TOPIC_PATHS = ['Subscriptions'];

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → name and region. */
function logGroupOf(arn: unknown): { name: string; region: string } | undefined {
  if (typeof arn !== 'string') return undefined;
  const m = /^arn:[^:]+:logs:([^:]*):[^:]*:log-group:([^:]+)/.exec(arn);
  return m ? { region: m[1]!, name: m[2]! } : undefined;
}

/** A confirmed subscription: a real ARN, not `PendingConfirmation`/`Deleted`. */
function confirmed(topic: Resource): boolean {
  return objectItems(topic.config.Subscriptions).some(
    (s) => typeof s.SubscriptionArn === 'string' && s.SubscriptionArn.startsWith('arn:'),
  );
}

/**
 * `log-metric-alarm`: true when the account monitors an event pattern the CIS way (4.1–4.15): a
 * multi-region, logging trail with all management events delivers to a CloudWatch Logs group; a
 * metric filter on that group has a pattern covering `pattern` (see filter-pattern.ts for the rule);
 * an enabled alarm watches the filter's metric with an action; the action's SNS topic has at least one
 * confirmed subscription. `pattern` may be a list of accepted alternatives. A link that could not be
 * read makes the answer `error` unless another complete chain exists.
 */
export const logMetricAlarmFilter: TypedFilter = {
  name: 'log-metric-alarm',
  description: 'a trail → metric filter → alarm → subscribed SNS topic chain watches an event pattern',
  resourceTypes: ['aws.iam.account'],
  options: ['pattern'],
  compile(spec: FilterSpec, env): CompiledFilter {
    const raw = Array.isArray(spec.pattern) ? spec.pattern : [spec.pattern];
    const required: PatternNode[] = raw.map((p, i) => {
      const node = typeof p === 'string' ? parseFilterPattern(p) : undefined;
      if (!node)
        throw new SpecError(
          [...env.at, 'pattern', ...(Array.isArray(spec.pattern) ? [i] : [])],
          'pattern must be a CloudWatch Logs JSON filter pattern such as { ($.eventName = X) || ($.eventName = Y) }',
        );
      return node;
    });
    const management = trailEventsFilter.compile({ category: 'management' }, env);
    return {
      paths: [],
      evaluate(account: Resource, ctx: EvalContext): Verdict {
        const inv = ctx.inventory;
        const undecided: Verdict[] = [];
        const check = (r: Resource, paths: string[]): boolean => {
          const u = new EvalContext(r, ctx.now, inv).undecided(paths);
          if (u) undecided.push(verdict(u.truth, u.evidence, `${r.type} ${r.name}: ${u.reason}`));
          return u === undefined;
        };
        let furthest = 'no multi-region, logging trail with all management events sends to CloudWatch Logs';
        let depth = 0;
        const reach = (level: number, note: string) => {
          if (level >= depth) {
            depth = level;
            furthest = note;
          }
        };
        for (const trail of inv.inAccount(account.account, 'aws.cloudtrail.trail')) {
          if (!check(trail, TRAIL_PATHS)) continue;
          const c = trail.config;
          const group = logGroupOf(c.CloudWatchLogsLogGroupArn);
          if (c.IsMultiRegionTrail !== true || asObj(c.Status).IsLogging !== true || !group) continue;
          if (management.evaluate(trail, new EvalContext(trail, ctx.now, inv)).truth !== true) continue;
          reach(1, `trail ${trail.name} → log group ${group.name}: no metric filter matches the pattern`);
          for (const mf of inv.inAccount(account.account, 'aws.logs.metric-filter')) {
            if (
              mf.config.logGroupName !== group.name ||
              (group.region && mf.region && mf.region !== group.region)
            )
              continue;
            if (!check(mf, FILTER_PATHS)) continue;
            const found = parseFilterPattern(String(mf.config.filterPattern ?? ''));
            if (!found || !required.some((r) => patternCovers(found, r))) continue;
            for (const t of objectItems(mf.config.metricTransformations)) {
              reach(
                2,
                `trail ${trail.name} → metric filter ${mf.name}: no enabled alarm with an action on metric ${String(t.metricNamespace)}/${String(t.metricName)}`,
              );
              for (const alarm of inv.inAccount(account.account, 'aws.cloudwatch.alarm')) {
                const a = alarm.config;
                if (a.MetricName !== t.metricName || a.Namespace !== t.metricNamespace) continue;
                if (mf.region && alarm.region && alarm.region !== mf.region) continue;
                if (!check(alarm, ALARM_PATHS)) continue;
                const actions = asArray(a.AlarmActions).filter((x): x is string => typeof x === 'string');
                if (a.ActionsEnabled === false || actions.length === 0) continue;
                reach(
                  3,
                  `metric filter ${mf.name} → alarm ${alarm.name}: no SNS topic of its actions has a confirmed subscription`,
                );
                for (const topic of inv.inAccount(account.account, 'aws.sns.topic')) {
                  if (!actions.includes(String(topic.config.TopicArn))) continue;
                  if (!check(topic, TOPIC_PATHS)) continue;
                  if (confirmed(topic)) {
                    return verdict(true, [
                      {
                        path: 'aws.logs.metric-filter',
                        value: mf.config.filterPattern,
                        note: `trail ${trail.name} → metric filter ${mf.name} → alarm ${alarm.name} → topic ${topic.name}`,
                      },
                    ]);
                  }
                }
              }
            }
          }
        }
        const worst = undecided.find((u) => u.truth === 'error') ?? undecided[0];
        if (worst) return worst;
        return verdict(false, [
          { path: 'aws.logs.metric-filter', value: canonicalPattern(required[0]!), note: furthest },
        ]);
      },
    };
  },
};
