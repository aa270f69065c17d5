import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Resource } from '../../../src/model/resource.js';
import { type PatternNode, parseFilterPattern } from '../../../src/policy/filter-pattern.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { ACCOUNT, live, runPolicy } from '../../helpers/live.js';

/** The CIS 4.1–4.15 policies: trail → log group → metric filter → alarm → subscribed SNS topic. */
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;

/** Re-prints a pattern with the terms of every group reversed, no spaces and every value quoted. */
function reshuffled(node: PatternNode): string {
  if (node.kind === 'term') {
    const m = /^(\S+) (!=|>=|<=|=|>|<) (.*)$/.exec(node.text);
    return m ? `(${m[1]}${m[2]}"${m[3]}")` : `(${node.text})`;
  }
  return `(${[...node.children]
    .reverse()
    .map(reshuffled)
    .join(node.kind === 'and' ? '&&' : '||')})`;
}

function chain(
  pattern: string,
  overrides: { trail?: object; alarm?: object; topic?: object; filter?: object } = {},
): Resource[] {
  return [
    live('aws.iam.account', 'acct', { AccountId: ACCOUNT }, { region: 'global' }),
    live('aws.cloudtrail.trail', 'main', {
      Name: 'main',
      IsMultiRegionTrail: true,
      Status: { IsLogging: true },
      CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:trail-group:*`,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      ...overrides.trail,
    }),
    live('aws.logs.metric-filter', 'mf', {
      filterName: 'mf',
      logGroupName: 'trail-group',
      filterPattern: pattern,
      metricTransformations: [{ metricName: 'M', metricNamespace: 'CIS', metricValue: '1' }],
      ...overrides.filter,
    }),
    live('aws.cloudwatch.alarm', 'alarm', {
      AlarmName: 'alarm',
      MetricName: 'M',
      Namespace: 'CIS',
      ActionsEnabled: true,
      AlarmActions: [TOPIC],
      ...overrides.alarm,
    }),
    live('aws.sns.topic', 'alerts', {
      TopicArn: TOPIC,
      Subscriptions: [
        { SubscriptionArn: `${TOPIC}:0b9d4a8e-1111-4222-8333-944445555666`, Protocol: 'email' },
      ],
      ...overrides.topic,
    }),
  ];
}

const chainPolicies = loadPolicies({ packs: ['cis-aws-v3'] }).definitions.filter((d) =>
  d.id.startsWith('aws-cloudwatch-no-alarm-'),
);

function requiredPattern(id: string): string {
  const def = chainPolicies.find((d) => d.id === id)!;
  const filter = (def.filters[0] as { not: { pattern: string[] }[] }).not[0]!;
  return filter.pattern[0]!;
}

describe('CIS 4.1–4.15 metric filter and alarm chains', () => {
  it('covers the fifteen controls', () => {
    assert.deepEqual(
      chainPolicies.map((d) => d.frameworks['cis-aws-3.0']![0]),
      [
        '4.1',
        '4.2',
        '4.3',
        '4.4',
        '4.5',
        '4.6',
        '4.7',
        '4.8',
        '4.9',
        '4.10',
        '4.11',
        '4.12',
        '4.13',
        '4.14',
        '4.15',
      ],
    );
  });

  for (const def of chainPolicies) {
    const pattern = requiredPattern(def.id);
    it(`${def.id}: passes with the pattern re-ordered and re-spaced`, () => {
      const text = `{${reshuffled(parseFilterPattern(pattern)!)}}`;
      assert.notEqual(text.replace(/\s/g, ''), pattern.replace(/\s/g, ''));
      assert.deepEqual(runPolicy(def.id, chain(text)), ['acct pass']);
    });
    it(`${def.id}: fails when the filter misses one clause`, () => {
      const node = parseFilterPattern(pattern)!;
      // Drop the last term of the first group that has several: the filter watches less than CIS asks.
      const drop = (n: PatternNode): PatternNode =>
        n.kind === 'term'
          ? n
          : n.children.some((c) => c.kind !== 'term')
            ? { ...n, children: n.children.map(drop) }
            : { ...n, children: n.children.slice(0, -1) };
      const weaker = `{${reshuffled(drop(node))}}`;
      assert.deepEqual(runPolicy(def.id, chain(weaker)), ['acct fail']);
    });
  }

  const ROOT = requiredPattern('aws-cloudwatch-no-alarm-root-usage');
  const broken: [string, Parameters<typeof chain>[1]][] = [
    ['the trail is single-region', { trail: { IsMultiRegionTrail: false } }],
    ['the trail is not logging', { trail: { Status: { IsLogging: false } } }],
    [
      'the trail records write events only',
      { trail: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] } },
    ],
    ['the filter is on another log group', { filter: { logGroupName: 'other' } }],
    ['the alarm watches another metric', { alarm: { MetricName: 'Other' } }],
    ['the alarm has no action', { alarm: { AlarmActions: [] } }],
    ['the alarm actions are disabled', { alarm: { ActionsEnabled: false } }],
    [
      'the topic subscription is pending',
      { topic: { Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email' }] } },
    ],
  ];
  for (const [what, overrides] of broken) {
    it(`fails when ${what}`, () => {
      assert.deepEqual(runPolicy('aws-cloudwatch-no-alarm-root-usage', chain(ROOT, overrides)), [
        'acct fail',
      ]);
    });
  }

  it('an extra AND condition narrows the alert and does not count', () => {
    const narrowed = ROOT.replace(/}\s*$/, ' && $.awsRegion = "us-east-1" }');
    assert.deepEqual(runPolicy('aws-cloudwatch-no-alarm-root-usage', chain(narrowed)), ['acct fail']);
  });

  it('explains how far the chain got', () => {
    const policies = loadPolicies({ packs: ['cis-aws-v3'], only: ['aws-cloudwatch-no-alarm-root-usage'] });
    const inventory = {
      resources: chain(ROOT, { alarm: { AlarmActions: [] } }),
      unsupported: {},
      inputs: [],
    };
    const [result] = scanInventory(inventory, policies).results;
    assert.equal(
      result!.message,
      'No CloudWatch alarm for use of the root user: trail main → metric filter mf: no enabled alarm with an action on metric CIS/M',
    );
  });

  it('an unreadable link is an error unless another complete chain exists', () => {
    const resources = chain(ROOT);
    resources[4]!.errors = [
      { path: 'Subscriptions', code: 'AccessDenied', message: 'sns:ListSubscriptionsByTopic denied' },
    ];
    assert.deepEqual(runPolicy('aws-cloudwatch-no-alarm-root-usage', resources), ['acct error']);
    const second = live('aws.sns.topic', 'backup', {
      TopicArn: `${TOPIC}-2`,
      Subscriptions: [{ SubscriptionArn: `${TOPIC}-2:aa`, Protocol: 'sms' }],
    });
    (resources[3]!.config.AlarmActions as string[]).push(`${TOPIC}-2`);
    assert.deepEqual(runPolicy('aws-cloudwatch-no-alarm-root-usage', [...resources, second]), ['acct pass']);
  });

  it('resources of another account do not complete the chain', () => {
    const resources = chain(ROOT).map((r, i) => (i === 0 ? r : { ...r, account: '999988887777' }));
    assert.deepEqual(runPolicy('aws-cloudwatch-no-alarm-root-usage', resources), ['acct fail']);
  });
});
