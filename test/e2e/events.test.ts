import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

function warden(args: string[]) {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/bundle/warden.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'warden-events-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const F = 'test/fixtures/events';

describe('warden events (built CLI)', () => {
  it('normalises AWS, Azure and GCP events and names the policies to re-evaluate', () => {
    const r = warden([
      'events',
      `${F}/eventbridge-sg-ingress.json`,
      `${F}/azure-activity.json`,
      `${F}/gcp-audit.jsonl`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            event: { provider: string; name: string; touched: { type: string; id: string }[] };
            policies: string[];
          },
      );
    assert.deepEqual(
      rows.map((x) => [x.event.provider, x.event.name, x.event.touched.map((t) => t.id), x.policies]),
      [
        [
          'aws',
          'AuthorizeSecurityGroupIngress',
          ['arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0a1b2c3d4e5f60718'],
          ['aws-ec2-sg-admin-ports-open'],
        ],
        [
          'azure',
          'Microsoft.Network/networkSecurityGroups/securityRules/write',
          [
            '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-web/providers/Microsoft.Network/networkSecurityGroups/web-nsg',
          ],
          ['azure-nsg-admin-ports-open'],
        ],
        [
          'gcp',
          'v1.compute.firewalls.insert',
          ['https://www.googleapis.com/compute/v1/projects/acme-prod/global/firewalls/allow-ssh'],
          ['gcp-firewall-admin-ports-open'],
        ],
      ],
    );
    assert.equal(
      r.stderr,
      'warden: 3 changes; ignored 0 read-only, 0 failed calls, 1 unmapped, 1 other\nwarden: unmapped operations: compute.googleapis.com:v1.compute.instances.start (1)\n',
    );
  });

  it('malformed events: reasons on stderr with where, nothing on stdout, exit 2', () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(
      file,
      '{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","eventTime":"2026-11-23T00:00:00Z"}\nnot json\n',
    );
    const r = warden(['events', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const [first, second] = r.stderr.split('\n');
    assert.equal(first, `error: ${file}:1: CloudTrail record without eventID`);
    assert.match(second!, new RegExp(`^error: ${file.replaceAll('.', '\\.')}:2: not JSON: `));
    const missing = warden(['events', join(tmp, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `error: ${join(tmp, 'nope.json')}: cannot read: ENOENT\n`);
  });
});
