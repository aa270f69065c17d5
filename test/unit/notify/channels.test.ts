import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import {
  DeliveryError,
  emailChannel,
  jiraChannel,
  pagerDutyChannel,
  slackChannel,
  snsChannel,
  sqsChannel,
  verifyWebhook,
  webhookChannel,
} from '../../../src/notify/index.js';
import { VERSION } from '../../../src/version.js';
import { finding, type Receiver, RUN, startReceiver } from './support.js';

const HEADLINE =
  '[HIGH] Security group allows SSH or RDP from the internet - bastion-sg (aws.ec2.security-group, 111122223333/eu-west-1)';
const ARN = 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0a1b';

let rx: Receiver;
before(async () => {
  rx = await startReceiver();
});
after(async () => {
  await rx.close();
});

function take(): {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  json: unknown;
  body: string;
} {
  assert.equal(rx.requests.length, 1, `expected one request, got ${rx.requests.length}`);
  const r = rx.requests.pop()!;
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch {
    json = undefined;
  }
  return { method: r.method, url: r.url, headers: r.headers as Record<string, unknown>, json, body: r.body };
}

describe('Slack (incoming webhook, Block Kit)', () => {
  it('posts the exact Block Kit payload naming resource, policy, why and fix', async () => {
    await slackChannel({ name: 'secops', url: `${rx.url}/services/T000/B000/XXXX` }).send(
      { run: RUN, findings: [finding()] },
      'ob-1',
    );
    const r = take();
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/services/T000/B000/XXXX');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json, {
      text: HEADLINE,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: HEADLINE, emoji: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              ':large_orange_circle: *HIGH* Security group allows SSH or RDP from the internet',
              '*Resource:* bastion-sg (aws.ec2.security-group, 111122223333/eu-west-1)',
              `\`${ARN}\``,
              '*Policy:* `aws-ec2-sg-admin-ports-open`',
              '*Why:* Security group allows SSH or RDP from the internet: tcp 22 from 0.0.0.0/0',
              '• `IpPermissions[0].IpRanges[0].CidrIp = 0.0.0.0/0 (tcp 22 from 0.0.0.0/0)`',
              '*Fix:* Remove the rule or narrow its source to known administration ranges.',
            ].join('\n'),
          },
        },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Warden scan `scan-20261123-1300`' }] },
      ],
    });
  });

  it('aggregates a run into one message, escapes untrusted text, caps the blocks', async () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      finding({
        fingerprint: `fp${i}`,
        state: i === 0 ? 'resolved' : 'open',
        resource: { ...finding().resource, name: i === 1 ? '<b>&x' : `sg-${i}` },
      }),
    );
    await slackChannel({ name: 'secops', url: `${rx.url}/hook` }).send({ run: RUN, findings: many }, 'ob-2');
    const body = take().json as {
      text: string;
      blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    };
    assert.equal(body.text, 'Warden scan scan-20261123-1300: 22 new, 1 resolved findings');
    assert.equal(body.blocks.length, 1 + 20 * 2 + 1);
    assert.match(body.blocks[1]!.text!.text, /^:white_check_mark: \*Resolved\* /);
    assert.match(body.blocks[3]!.text!.text, /\*Resource:\* &lt;b&gt;&amp;x \(/);
    assert.equal(
      body.blocks.at(-1)!.elements![0]!.text,
      'Warden scan `scan-20261123-1300` — 3 more findings not shown',
    );
  });

  it('classifies receiver answers: 5xx and 429 retryable (with Retry-After), 4xx permanent; the URL never appears', async () => {
    const slack = slackChannel({ name: 'secops', url: `${rx.url}/services/SECRET-TOKEN` });
    rx.respond(() => ({ status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } }));
    await assert.rejects(slack.send({ run: RUN, findings: [finding()] }, 'x'), (e: unknown) => {
      assert.ok(e instanceof DeliveryError);
      assert.deepEqual(
        [e.message, e.retryable, e.retryAfterMs],
        ['secops: HTTP 429 rate_limited', true, 7000],
      );
      return true;
    });
    rx.respond(() => ({ status: 404, body: 'no_service' }));
    await assert.rejects(slack.send({ run: RUN, findings: [finding()] }, 'x'), (e: unknown) => {
      assert.ok(e instanceof DeliveryError);
      assert.deepEqual([e.message, e.retryable], ['secops: HTTP 404 no_service', false]);
      assert.ok(!e.message.includes('SECRET-TOKEN'));
      return true;
    });
    rx.respond(() => ({ status: 200 }));
    rx.requests.length = 0;
    const closed = await startReceiver();
    await closed.close();
    const down = slackChannel({ name: 'secops', url: `${closed.url}/SECRET-TOKEN` });
    await assert.rejects(down.send({ run: RUN, findings: [finding()] }, 'x'), (e: unknown) => {
      assert.ok(e instanceof DeliveryError);
      assert.equal(e.retryable, true);
      assert.match(e.message, /^secops: receiver unreachable \(ECONNREFUSED\)$/);
      return true;
    });
  });
});

describe('generic webhook (HMAC-SHA256)', () => {
  it('signs timestamp.body; the receiver verifies the signature and rejects tampering and replays', async () => {
    const secret = 'whsec-0123456789abcdef';
    const now = 1_795_000_000_000;
    await webhookChannel({ name: 'siem', url: `${rx.url}/warden`, secret }, () => now).send(
      { run: RUN, findings: [finding()] },
      'ob-42',
    );
    const r = take();
    const ts = r.headers['x-warden-timestamp'] as string;
    const sig = r.headers['x-warden-signature'] as string;
    assert.equal(ts, '1795000000');
    // Independent recomputation of the documented scheme.
    assert.equal(sig, `v1=${createHmac('sha256', secret).update(`1795000000.${r.body}`).digest('hex')}`);
    assert.equal(r.headers['x-warden-delivery'], 'ob-42');
    assert.equal(r.headers['user-agent'], `warden/${VERSION}`);
    assert.equal(verifyWebhook(secret, { timestamp: ts, signature: sig }, r.body, 1_795_000_100), true);
    assert.equal(
      verifyWebhook(secret, { timestamp: ts, signature: sig }, r.body.replace('high', 'low'), 1_795_000_100),
      false,
    );
    assert.equal(
      verifyWebhook('another-secret-value', { timestamp: ts, signature: sig }, r.body, 1_795_000_100),
      false,
    );
    assert.equal(
      verifyWebhook(secret, { timestamp: ts, signature: sig }, r.body, 1_795_000_000 + 301),
      false,
    );
    assert.equal(
      verifyWebhook(secret, { timestamp: ts, signature: undefined }, r.body, 1_795_000_000),
      false,
    );
    assert.deepEqual(r.json, { tool: { name: 'warden', version: VERSION }, run: RUN, findings: [finding()] });
  });
});

describe('PagerDuty Events v2', () => {
  it('triggers and resolves with dedup_key = fingerprint', async () => {
    const pd = pagerDutyChannel({
      name: 'oncall',
      routingKey: 'R0UTINGKEY0000000000000000000000',
      endpoint: `${rx.url}/v2/enqueue`,
    });
    await pd.send({ run: RUN, findings: [finding()] }, 'ob-1');
    const t = take();
    assert.equal(t.url, '/v2/enqueue');
    assert.deepEqual(t.json, {
      routing_key: 'R0UTINGKEY0000000000000000000000',
      event_action: 'trigger',
      dedup_key: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      payload: {
        summary: HEADLINE,
        source: ARN,
        severity: 'error',
        component: 'aws.ec2.security-group',
        group: '111122223333',
        class: 'aws-ec2-sg-admin-ports-open',
        custom_details: {
          policy: 'aws-ec2-sg-admin-ports-open',
          resource: finding().resource,
          why: 'Security group allows SSH or RDP from the internet: tcp 22 from 0.0.0.0/0',
          evidence: finding().evidence,
          remediation: 'Remove the rule or narrow its source to known administration ranges.',
          frameworks: { 'cis-aws-3.0': ['5.2'] },
        },
      },
    });
    await pd.send({ run: RUN, findings: [finding({ state: 'resolved' })] }, 'ob-2');
    assert.deepEqual(take().json, {
      routing_key: 'R0UTINGKEY0000000000000000000000',
      event_action: 'resolve',
      dedup_key: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    });
  });
});

describe('Jira (REST create issue)', () => {
  it('creates one issue per open finding with basic auth', async () => {
    const jira = jiraChannel({
      name: 'jira',
      url: `${rx.url}/`,
      user: 'bot@acme.example',
      token: 'jira-token-123',
      project: 'SEC',
    });
    await jira.send(
      { run: RUN, findings: [finding(), finding({ state: 'resolved', fingerprint: 'zz' })] },
      'ob-1',
    );
    const r = take();
    assert.equal(r.url, '/rest/api/2/issue');
    assert.equal(
      r.headers.authorization,
      `Basic ${Buffer.from('bot@acme.example:jira-token-123').toString('base64')}`,
    );
    assert.equal(r.headers.accept, 'application/json');
    assert.deepEqual(r.json, {
      fields: {
        project: { key: 'SEC' },
        issuetype: { name: 'Bug' },
        summary: '[Warden] Security group allows SSH or RDP from the internet: bastion-sg',
        description: [
          '*Resource:* bastion-sg (aws.ec2.security-group, 111122223333/eu-west-1)',
          `{noformat}${ARN}{noformat}`,
          '*Policy:* aws-ec2-sg-admin-ports-open (severity high)',
          '*Why:* Security group allows SSH or RDP from the internet: tcp 22 from 0.0.0.0/0',
          '* {{IpPermissions[0].IpRanges[0].CidrIp = 0.0.0.0/0 (tcp 22 from 0.0.0.0/0)}}',
          '*How to fix:* Remove the rule or narrow its source to known administration ranges.',
          '',
          'Warden fingerprint: a1b2c3d4e5f60718293a4b5c6d7e8f90',
        ].join('\n'),
        labels: ['warden', 'warden-high'],
      },
    });
  });
});

describe('email (SMTP)', () => {
  it('delivers one mail per run to a real SMTP server, with auth', async () => {
    const mails: { from: string; to: string[]; raw: string; user?: string }[] = [];
    const server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'warden' && auth.password === 'smtp-pass-1') cb(null, { user: auth.username });
        else cb(new Error('bad credentials'));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: session.user as string | undefined,
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (server.server.address() as AddressInfo).port;
      const mail = emailChannel({
        name: 'mail',
        host: '127.0.0.1',
        port,
        user: 'warden',
        password: 'smtp-pass-1',
        from: 'warden@acme.example',
        to: ['secops@acme.example', 'payments@acme.example'],
      });
      await mail.send(
        { run: RUN, findings: [finding(), finding({ fingerprint: 'f2', severity: 'critical' })] },
        'ob-77',
      );
      assert.equal(mails.length, 1);
      const m = mails[0]!;
      assert.equal(m.user, 'warden');
      assert.equal(m.from, 'warden@acme.example');
      assert.deepEqual(m.to, ['secops@acme.example', 'payments@acme.example']);
      const headers = m.raw.slice(0, m.raw.indexOf('\r\n\r\n')).replace(/\r\n(?=[ \t])/g, '');
      assert.match(headers, /^Subject: Warden scan scan-20261123-1300: 2 new findings$/m);
      assert.match(headers, /^X-Warden-Delivery: ob-77$/m);
      const decoded = m.raw
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
      assert.ok(
        decoded.includes(`${HEADLINE}\r\nResource: ${ARN}\r\nPolicy: aws-ec2-sg-admin-ports-open\r\n`),
        decoded,
      );
      assert.ok(
        decoded.includes('Fix: Remove the rule or narrow its source to known administration ranges.'),
      );
      assert.ok(decoded.includes('[CRITICAL] Security group allows SSH'));
      assert.ok(!decoded.includes('smtp-pass-1'));
      const wrong = emailChannel({
        name: 'mail',
        host: '127.0.0.1',
        port,
        user: 'warden',
        password: 'nope',
        from: 'a@b.c',
        to: ['x@y.z'],
      });
      await assert.rejects(wrong.send({ run: RUN, findings: [finding()] }, 'ob-78'), (e: unknown) => {
        assert.ok(e instanceof DeliveryError);
        assert.equal(e.message, 'mail: SMTP 535');
        assert.equal(e.retryable, false);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('SNS and SQS (AWS SDK v3, request building against a loopback endpoint)', () => {
  // No moto in this branch (test/support/moto.ts): a loopback server answers in each API's wire
  // format and the test asserts the exact requests the SDK built.
  before(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAWARDENTEST000000';
    process.env.AWS_SECRET_ACCESS_KEY = 'warden-test-secret';
  });

  it('SNS Publish carries the subject, the JSON body and a severity attribute', async () => {
    rx.respond(() => ({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
    }));
    const topicArn = 'arn:aws:sns:eu-west-1:111122223333:warden-findings';
    await snsChannel({ name: 'sns', topicArn, endpoint: rx.url }).send(
      { run: RUN, findings: [finding()] },
      'ob-5',
    );
    const r = take();
    assert.match(
      String(r.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIAWARDENTEST000000\/\d{8}\/eu-west-1\/sns\/aws4_request/,
    );
    const form = Object.fromEntries(new URLSearchParams(r.body));
    assert.deepEqual(form, {
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: topicArn,
      Subject: HEADLINE.slice(0, 100),
      Message: JSON.stringify({
        tool: { name: 'warden', version: VERSION },
        run: RUN,
        findings: [finding()],
      }),
      'MessageAttributes.entry.1.Name': 'severity',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'high',
    });
    rx.respond(() => ({
      status: 403,
      headers: { 'content-type': 'text/xml' },
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>denied</Message></Error><RequestId>r</RequestId></ErrorResponse>',
    }));
    await assert.rejects(
      snsChannel({ name: 'sns', topicArn, endpoint: rx.url }).send({ run: RUN, findings: [finding()] }, 'x'),
      (e: unknown) => {
        assert.ok(e instanceof DeliveryError);
        assert.deepEqual([e.message, e.retryable], ['sns: AuthorizationErrorException (HTTP 403)', false]);
        return true;
      },
    );
    rx.requests.length = 0;
  });

  it('SQS SendMessage carries the JSON body, severity and delivery id', async () => {
    rx.respond((req) => {
      const body = JSON.parse(req.body) as { MessageBody: string };
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({
          MessageId: 'm-2',
          MD5OfMessageBody: createHash('md5').update(body.MessageBody).digest('hex'),
        }),
      };
    });
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/111122223333/warden-findings';
    await sqsChannel({ name: 'sqs', queueUrl, endpoint: rx.url }).send(
      { run: RUN, findings: [finding()] },
      'ob-6',
    );
    const r = take();
    assert.equal(r.headers['x-amz-target'], 'AmazonSQS.SendMessage');
    assert.equal(r.headers['content-type'], 'application/x-amz-json-1.0');
    assert.deepEqual(r.json, {
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify({
        tool: { name: 'warden', version: VERSION },
        run: RUN,
        findings: [finding()],
      }),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'high' },
        delivery: { DataType: 'String', StringValue: 'ob-6' },
      },
    });
    rx.respond(() => ({ status: 200 }));
  });
});
