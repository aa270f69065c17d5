import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { verifyWebhook } from '../../src/notify/index.js';
import { startReceiver } from '../unit/notify/support.js';

/** Runs the built CLI without blocking this process, whose loopback receivers must keep answering. */
function warden(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/bundle/warden.js'), ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'warden-notify-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const SECRET = 'e2e-webhook-secret-0001';

describe('warden notify (built CLI)', () => {
  it('sends detector findings to Slack and a signed webhook per the routes', async () => {
    const slack = await startReceiver();
    const hook = await startReceiver();
    try {
      const report = join(tmp, 'detect.json');
      const d = await warden([
        'detect',
        '--lb-logs',
        'test/fixtures/detectors/elb-seed-scanner.txt',
        '--format',
        'json',
        '-o',
        report,
      ]);
      assert.equal(d.code, 1, d.stderr);
      const config = join(tmp, 'notify.yaml');
      writeFileSync(
        config,
        [
          'channels:',
          `  chat: { type: slack, url: "${slack.url}/services/T/B/\${env:E2E_SLACK_TOKEN}" }`,
          `  siem: { type: webhook, url: "${hook.url}/in", secret: "\${env:E2E_HOOK_SECRET}" }`,
          'routes:',
          '  - match: { policy: "detector-*" }',
          '    channels: [chat, siem]',
        ].join('\n'),
      );
      const env = { E2E_SLACK_TOKEN: 'tok123', E2E_HOOK_SECRET: SECRET };
      const v = await warden(['notify', 'validate', config], env);
      assert.deepEqual([v.code, v.stdout], [0, 'ok: 2 channels, 1 route\n']);
      const r = await warden(
        ['notify', 'send', report, '-c', config, '--kind', 'detect', '--run-id', 'detect-1'],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, 'warden: 1 findings, 2 notifications, 2 delivered, 0 matched no route\n');
      assert.equal(slack.requests.length, 1);
      assert.equal(slack.requests[0]!.url, '/services/T/B/tok123');
      const blocks = (JSON.parse(slack.requests[0]!.body) as { blocks: { text?: { text: string } }[] })
        .blocks;
      assert.match(blocks[1]!.text!.text, /\*Policy:\* `detector-lb-scanner`/);
      assert.match(blocks[1]!.text!.text, /\*Fix:\* Block the source at the edge/);
      assert.equal(hook.requests.length, 1);
      const req = hook.requests[0]!;
      const ok = verifyWebhook(
        SECRET,
        {
          timestamp: req.headers['x-warden-timestamp'] as string,
          signature: req.headers['x-warden-signature'] as string,
        },
        req.body,
        Math.floor(Date.now() / 1000),
      );
      assert.equal(ok, true);
      const body = JSON.parse(req.body) as { run: unknown; findings: { policy: string; title: string }[] };
      assert.deepEqual(body.run, { id: 'detect-1', kind: 'detect' });
      assert.deepEqual(
        body.findings.map((f) => [f.policy, f.title]),
        [['detector-lb-scanner', 'Scanner probing admin paths through the load balancer']],
      );
    } finally {
      await slack.close();
      await hook.close();
    }
  });

  it('a receiver that stays down: exit 3 and what was not delivered, never the secret URL', async () => {
    const down = await startReceiver();
    await down.close();
    const report = join(tmp, 'r.json');
    writeFileSync(
      report,
      JSON.stringify({
        results: [
          {
            policy: 'aws-s3-bucket-public',
            resource: {
              id: 'arn:aws:s3:::b',
              type: 'aws.s3.bucket',
              provider: 'aws',
              account: '1',
              region: '',
              name: 'b',
            },
            status: 'fail',
            severity: 'high',
            message: 'public',
            evidence: [],
            source: { kind: 'live' },
            fingerprint: 'fp1',
            frameworks: {},
          },
        ],
      }),
    );
    const config = join(tmp, 'down.yaml');
    writeFileSync(
      config,
      `channels:\n  chat: { type: slack, url: "${down.url}/services/SECRET" }\nroutes:\n  - channels: [chat]\n`,
    );
    const r = await warden(['notify', 'send', report, '-c', config, '--wait', '1']);
    assert.equal(r.code, 4);
    assert.match(
      r.stderr,
      /^warden: 1 findings, 1 notifications, 0 delivered, 0 matched no route\nerror: chat: 1 not delivered: chat: receiver unreachable \(ECONNREFUSED\)\n$/,
    );
    assert.ok(!r.stderr.includes('SECRET'));
    const bad = await warden(['notify', 'send', config, '-c', config]);
    assert.equal(bad.code, 2);
    assert.ok(bad.stderr.startsWith(`error: ${config}: not JSON: `), bad.stderr);
  });
});
