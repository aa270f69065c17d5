import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Result } from '../../../src/model/result.js';
import { GithubTrigger } from '../../../src/remediate/redeploy/github.js';
import { inputsFor, renderInputs } from '../../../src/remediate/redeploy/inputs.js';
import { JenkinsTrigger } from '../../../src/remediate/redeploy/jenkins.js';
import { TriggerError } from '../../../src/remediate/redeploy/types.js';
import { recordingServer } from '../../support/pipeline-servers.js';

const finding: Result = {
  policy: 'aws-ec2-public-instance-shares-key-with-admin-instance',
  resource: {
    id: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0abc',
    type: 'aws.ec2.instance',
    provider: 'aws',
    account: '111111111111',
    region: 'us-east-1',
    name: 'bastion',
  },
  status: 'fail',
  severity: 'critical',
  message: 'shares key',
  evidence: [],
  source: { kind: 'live' },
  fingerprint: '0123456789abcdef0123456789abcdef',
  frameworks: {},
};

describe('redeploy inputs', () => {
  test('default inputs for the shared-key finding ask for a unique key pair per instance', () => {
    assert.deepEqual(inputsFor(finding), {
      instance: 'bastion',
      key_pair_name: 'warden-bastion-01234567',
      warden_policy: 'aws-ec2-public-instance-shares-key-with-admin-instance',
      warden_finding: '0123456789abcdef0123456789abcdef',
    });
  });

  test('templates from the policy replace the defaults; unknown placeholders are input errors', () => {
    assert.deepEqual(
      renderInputs({ encryption: true, target: '${resource.region}/${resource.name}' }, finding),
      {
        encryption: 'true',
        target: 'us-east-1/bastion',
      },
    );
    assert.throws(
      () => renderInputs({ x: '${resource.password}' }, finding),
      /unknown placeholder \$\{resource.password\}/,
    );
  });
});

describe('Jenkins buildWithParameters', () => {
  const user = 'warden';
  const apiToken = '11aa22bb33cc';
  let jenkins: Awaited<ReturnType<typeof recordingServer>>;
  let queuePolls = 0;

  before(async () => {
    jenkins = await recordingServer((req, res, base) => {
      const basic = `Basic ${Buffer.from(`${user}:${apiToken}`).toString('base64')}`;
      if (req.headers.authorization !== basic) {
        res.writeHead(401).end();
        return;
      }
      if (req.method === 'GET' && req.url === '/crumbIssuer/api/json') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': 'JSESSIONID.1f2e=node0abc; Path=/; HttpOnly',
        });
        res.end(
          JSON.stringify({
            _class: 'hudson.security.csrf.DefaultCrumbIssuer',
            crumb: 'c7f1',
            crumbRequestField: 'Jenkins-Crumb',
          }),
        );
        return;
      }
      if (req.method === 'POST' && req.url === '/job/infra/job/deploy/buildWithParameters') {
        // This Jenkins enforces CSRF protection for every POST, as older or hardened set-ups do.
        if (req.headers['jenkins-crumb'] !== 'c7f1' || req.headers.cookie !== 'JSESSIONID.1f2e=node0abc') {
          res
            .writeHead(403, { 'content-type': 'text/html' })
            .end('<html><body>Error 403 No valid crumb was included in the request</body></html>');
          return;
        }
        res.writeHead(201, { location: `${base}/queue/item/7/` }).end();
        return;
      }
      if (req.method === 'GET' && req.url === '/queue/item/7/api/json') {
        queuePolls++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            queuePolls < 2
              ? { _class: 'hudson.model.Queue$WaitingItem', why: 'In the quiet period.' }
              : {
                  _class: 'hudson.model.Queue$LeftItem',
                  executable: { number: 42, url: `${base}/job/infra/job/deploy/42/` },
                },
          ),
        );
        return;
      }
      res.writeHead(404).end();
    });
  });
  after(() => new Promise<void>((resolve) => jenkins.server.close(() => resolve())));

  test('posts the parameters with user + API token, fetches the crumb when asked, and follows the queue to the build', async () => {
    const trigger = new JenkinsTrigger({
      url: `${jenkins.base}/`,
      job: 'infra/deploy',
      user,
      apiToken,
      pollIntervalMs: 10,
    });
    const result = await trigger.trigger({ key_pair_name: 'warden-bastion-01234567', instance: 'bastion' });
    assert.equal(result.queuedUrl, `${jenkins.base}/queue/item/7/`);
    assert.equal(result.runUrl, `${jenkins.base}/job/infra/job/deploy/42/`);
    const posts = jenkins.seen.filter((s) => s.method === 'POST');
    assert.equal(posts.length, 2, 'one refused without crumb, one accepted with it');
    assert.equal(posts[1]!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(posts[1]!.body)), {
      key_pair_name: 'warden-bastion-01234567',
      instance: 'bastion',
    });
    assert.equal(
      trigger.describe({ b: '1', a: '2' }),
      `POST ${jenkins.base}/job/infra/job/deploy/buildWithParameters (a, b)`,
    );
  });

  test('a refused trigger is an error naming the status, never the token', async () => {
    const trigger = new JenkinsTrigger({
      url: jenkins.base,
      job: 'infra/deploy',
      user,
      apiToken: 'wrong-token',
    });
    await assert.rejects(trigger.trigger({}), (err: unknown) => {
      assert.ok(err instanceof TriggerError);
      assert.equal(err.status, 401);
      assert.doesNotMatch(err.message, /wrong-token/);
      return true;
    });
  });

  test('the build token is sent as token= for jobs triggered remotely', async () => {
    const before = jenkins.seen.length;
    const trigger = new JenkinsTrigger({
      url: jenkins.base,
      job: 'infra/deploy',
      user,
      apiToken,
      buildToken: 'remote-1',
      waitForBuildMs: 10,
      pollIntervalMs: 10,
    });
    await trigger.trigger({ encryption: 'true' });
    const post = jenkins.seen
      .slice(before)
      .filter((s) => s.method === 'POST')
      .at(-1)!;
    assert.equal(new URLSearchParams(post.body).get('token'), 'remote-1');
  });
});

describe('GitHub workflow_dispatch', () => {
  const token = 'ghp_test_0000';
  let github: Awaited<ReturnType<typeof recordingServer>>;

  before(async () => {
    github = await recordingServer((req, res) => {
      if (
        req.headers.authorization !== `Bearer ${token}` ||
        req.headers['x-github-api-version'] !== '2022-11-28'
      ) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
        return;
      }
      const path = req.url.split('?')[0];
      if (req.method === 'POST' && path === '/repos/acme/infra/actions/workflows/deploy.yml/dispatches') {
        const body = JSON.parse(req.body) as { ref?: string; inputs?: Record<string, unknown> };
        if (body.ref !== 'main') {
          res.writeHead(422, { 'content-type': 'application/json' }).end('{"message":"No ref found for: x"}');
          return;
        }
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && path === '/repos/acme/infra/actions/workflows/deploy.yml/runs') {
        const query = new URL(req.url, 'http://x').searchParams;
        assert.equal(query.get('event'), 'workflow_dispatch');
        assert.match(query.get('created') ?? '', /^>=\d{4}-\d\d-\d\dT/);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            total_count: 2,
            workflow_runs: [
              {
                id: 10,
                event: 'workflow_dispatch',
                created_at: '2026-11-23T10:00:00Z',
                html_url: 'https://github.com/acme/infra/actions/runs/10',
              },
              {
                id: 11,
                event: 'workflow_dispatch',
                created_at: '2026-11-23T10:00:05Z',
                html_url: 'https://github.com/acme/infra/actions/runs/11',
              },
            ],
          }),
        );
        return;
      }
      res.writeHead(404).end();
    });
  });
  after(() => new Promise<void>((resolve) => github.server.close(() => resolve())));

  test('dispatches with ref and inputs and records the newest dispatch run', async () => {
    const trigger = new GithubTrigger({
      apiUrl: github.base,
      repository: 'acme/infra',
      workflow: 'deploy.yml',
      ref: 'main',
      token,
      pollIntervalMs: 10,
    });
    const result = await trigger.trigger({ encryption: 'true', bucket: 'logs' });
    assert.equal(result.runUrl, 'https://github.com/acme/infra/actions/runs/11');
    const post = github.seen.find((s) => s.method === 'POST')!;
    assert.equal(post.headers.accept, 'application/vnd.github+json');
    assert.deepEqual(JSON.parse(post.body), { ref: 'main', inputs: { encryption: 'true', bucket: 'logs' } });
  });

  test('a refused dispatch is an error with the status', async () => {
    const trigger = new GithubTrigger({
      apiUrl: github.base,
      repository: 'acme/infra',
      workflow: 'deploy.yml',
      ref: 'nope',
      token,
    });
    await assert.rejects(
      trigger.trigger({}),
      /GitHub answered 422 to workflow_dispatch of deploy.yml in acme\/infra/,
    );
    assert.throws(
      () => new GithubTrigger({ repository: 'not a repo', workflow: 'x', ref: 'main', token }),
      /OWNER\/NAME/,
    );
  });
});
