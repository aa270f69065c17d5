import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { verifyWebhook } from '../../src/notify/index.js';
import { startReceiver } from '../unit/notify/support.js';

/** Runs the built CLI without blocking this process, whose loopback receiver must keep answering. */
function warden(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
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

const tmp = mkdtempSync(join(tmpdir(), 'warden-drift-notify-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const SECRET = 'drift-webhook-secret-0001';

function groups(name: string, openSsh: string[]): string {
  const file = join(tmp, name);
  const resources = ['web', 'api', 'db'].map((g) => {
    const perms: Record<string, unknown>[] = [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ];
    if (openSsh.includes(g))
      perms.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    return {
      id: `arn:aws:ec2:eu-west-1:111122223333:security-group/sg-${g}`,
      provider: 'aws',
      type: 'aws.ec2.security-group',
      account: '111122223333',
      region: 'eu-west-1',
      name: g,
      config: { GroupId: `sg-${g}`, GroupName: g, IpPermissions: perms, IpPermissionsEgress: [] },
    };
  });
  writeFileSync(file, JSON.stringify({ kind: 'warden-inventory', version: 1, resources }));
  return file;
}

describe('drift --notify (built CLI)', () => {
  it('sends one aggregated, signed message per drift run and none for the same drift again', async () => {
    const hook = await startReceiver();
    try {
      const db = join(tmp, 'warden.db');
      const config = join(tmp, 'notify.yaml');
      writeFileSync(
        config,
        [
          'channels:',
          `  siem: { type: webhook, url: "${hook.url}/drift", secret: "\${env:E2E_HOOK_SECRET}" }`,
          'routes:',
          '  - match: { policy: "warden-drift" }',
          '    channels: [siem]',
        ].join('\n'),
      );
      const env = { E2E_HOOK_SECRET: SECRET };
      const created = await warden([
        'baseline',
        'create',
        '--name',
        'prod',
        '--snapshot',
        groups('a.json', []),
        '--db',
        db,
      ]);
      assert.equal(created.code, 0, created.stderr);
      const drifted = groups('b.json', ['web', 'api']);
      const args = [
        'drift',
        '--baseline',
        'prod',
        '--snapshot',
        drifted,
        '--db',
        db,
        '-f',
        'json',
        '--notify',
        config,
      ];
      const r = await warden(args, env);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(hook.requests.length, 1, 'two drifted groups, one message');
      const req = hook.requests[0]!;
      assert.equal(
        verifyWebhook(
          SECRET,
          {
            timestamp: req.headers['x-warden-timestamp'] as string,
            signature: req.headers['x-warden-signature'] as string,
          },
          req.body,
          Math.floor(Date.now() / 1000),
        ),
        true,
      );
      const body = JSON.parse(req.body) as {
        run: { kind: string };
        findings: { policy: string; message: string; evidence: { path: string; note: string }[] }[];
      };
      assert.equal(body.run.kind, 'drift');
      assert.equal(body.findings.length, 1);
      assert.equal(body.findings[0]!.message, '2 changed, 0 added, 0 removed since baseline prod v1');
      assert.deepEqual(body.findings[0]!.evidence.map((e) => `${e.path}: ${e.note}`).sort(), [
        'aws.ec2.security-group api: IpPermissions[+]: tcp 22 from 0.0.0.0/0',
        'aws.ec2.security-group web: IpPermissions[+]: tcp 22 from 0.0.0.0/0',
      ]);
      // The same drift on the next run is deduplicated by the outbox: nobody is paged twice.
      const again = await warden(args, env);
      assert.equal(again.code, 1, again.stderr);
      assert.equal(hook.requests.length, 1);
      const clean = await warden(
        [
          'drift',
          '--baseline',
          'prod',
          '--snapshot',
          groups('c.json', []),
          '--db',
          db,
          '--notify',
          config,
          '-f',
          'json',
        ],
        env,
      );
      assert.equal(clean.code, 0, clean.stderr);
      assert.equal(hook.requests.length, 1, 'no drift, no message');
    } finally {
      await hook.close();
    }
  });
});
