import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNotifyConfig, routeFinding, teamsOf } from '../../../src/notify/index.js';
import { InputError } from '../../../src/util/errors.js';
import { finding } from './support.js';

const CONFIG = `
channels:
  secops-slack: { type: slack, url: "\${env:SLACK_URL}" }
  payments-slack: { type: slack, url: "https://hooks.slack.com/services/T/B/payments" }
  oncall: { type: pagerduty, routingKey: "\${env:PD_KEY}" }
  jira: { type: jira, url: "https://acme.atlassian.net", user: bot@acme.example, token: "\${env:JIRA_TOKEN}", project: SEC }
  audit: { type: sqs, queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/audit" }
teams:
  payments: { accounts: ["444455556666"], tags: { team: payments } }
  data: { tags: { team: data } }
rateLimits: { secops-slack: 30 }
routes:
  - name: guardduty to on-call only
    match: { policy: "guardduty-*" }
    channels: oncall
    stop: true
  - name: everything to the audit queue
    channels: [audit]
  - match: { minSeverity: high }
    channels: [secops-slack]
  - match: { severity: [critical], account: ["111122223333"] }
    channels: [oncall]
  - match: { team: payments }
    channels: [payments-slack]
  - match: { policy: ["aws-s3-*", "aws-rds-*"], tags: { env: prod } }
    channels: [jira]
`;
const ENV = {
  SLACK_URL: 'https://hooks.slack.com/services/T/B/secops',
  PD_KEY: 'pd-routing-key',
  JIRA_TOKEN: 'jira-api-token',
};

describe('notification routing', () => {
  const config = parseNotifyConfig(CONFIG, 'notify.yaml', ENV);

  it('reads the config with secrets from the environment', () => {
    assert.deepEqual(config.channels['secops-slack'], { type: 'slack', url: ENV.SLACK_URL });
    assert.deepEqual(config.channels.oncall, { type: 'pagerduty', routingKey: 'pd-routing-key' });
    assert.deepEqual(config.rateLimits, { 'secops-slack': 30 });
  });

  it('routes by severity, policy, account, tag and team', () => {
    const route = (over: Parameters<typeof finding>[0]) => routeFinding(finding(over), config);
    // high, team payments by tag, not prod-S3.
    assert.deepEqual(route({}), ['audit', 'secops-slack', 'payments-slack']);
    // critical in the listed account, no team.
    assert.deepEqual(route({ severity: 'critical', tags: {} }), ['audit', 'secops-slack', 'oncall']);
    // medium S3 in prod, team by account.
    assert.deepEqual(
      route({
        severity: 'medium',
        policy: 'aws-s3-bucket-public',
        tags: { env: 'prod' },
        resource: { ...finding().resource, account: '444455556666' },
      }),
      ['audit', 'payments-slack', 'jira'],
    );
    // low, nothing but the audit queue.
    assert.deepEqual(route({ severity: 'low', tags: { team: 'data' } }), ['audit']);
    // GuardDuty goes to on-call and stops there.
    assert.deepEqual(
      route({ policy: 'guardduty-unauthorizedaccess-ec2-sshbruteforce', severity: 'critical' }),
      ['oncall'],
    );
    // An explicit team on the finding wins over derived ones.
    assert.deepEqual(route({ team: 'data' }), ['audit', 'secops-slack']);
  });

  it('derives teams from accounts and tags', () => {
    assert.deepEqual(teamsOf(finding({ tags: { team: 'data' } }), config.teams), ['data']);
    assert.deepEqual(
      teamsOf(
        finding({ tags: {}, resource: { ...finding().resource, account: '444455556666' } }),
        config.teams,
      ),
      ['payments'],
    );
  });

  it('bad configs are one clear error with file and line, never echoing secrets', () => {
    const cases: [string, string][] = [
      [
        'channels: {a: {type: slack, url: x}}\nroutes: [{channels: [a]}]\n',
        'notify.yaml:1:34: channels.a.url: Invalid URL',
      ],
      [
        'channels: {a: {type: telegram}}\nroutes: [{channels: [a]}]\n',
        "notify.yaml:1:22: channels.a.type: Invalid discriminator value. Expected 'slack' | 'webhook'",
      ],
      [
        'channels:\n  a: {type: slack, url: "https://h.example/x"}\nroutes:\n  - channels: [b]\n',
        'notify.yaml:4:15: routes.0.channels: unknown channel "b"',
      ],
      [
        'channels:\n  a: {type: slack, url: "${env:NOPE_URL}"}\nroutes: [{channels: [a]}]\n',
        'notify.yaml: environment variable not set: NOPE_URL',
      ],
      [
        'channels: {a: {type: webhook, url: "https://h.example", secret: short}}\nroutes: [{channels: [a]}]\n',
        'notify.yaml:1:65: channels.a.secret: use a secret of 16 characters or more',
      ],
      ['channels: [\n', 'notify.yaml:2:1: '],
    ];
    for (const [text, expected] of cases) {
      assert.throws(
        () => parseNotifyConfig(text, 'notify.yaml', {}),
        (err: unknown) => {
          assert.ok(err instanceof InputError, String(err));
          assert.ok(err.format().startsWith(expected), `${err.format()} should start with ${expected}`);
          return true;
        },
      );
    }
  });
});
