import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { diffInventories } from '../../../src/drift/diff.js';
import { loadDriftRules } from '../../../src/drift/rules.js';
import { enforceDrift } from '../../../src/enforce/enforce.js';
import { AwsExecutor, describeAwsError } from '../../../src/enforce/execute.js';
import { auditEntries } from '../../../src/store/audit.js';
import { resource } from '../../helpers/resources.js';
import { forEachStore } from '../../support/stores.js';

/**
 * --apply through the real AWS SDK against a real HTTP receiver on loopback that speaks KMS's JSON
 * protocol: one call succeeds, one is denied. (The moto round trip over every reverter comes with
 * the shared moto harness.)
 */
const requests: { headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
const saved: Record<string, string | undefined> = {};
const ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'eu-west-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_MAX_ATTEMPTS: '1',
};

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      const denied = body.includes('key-denied');
      res.writeHead(denied ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        denied ? JSON.stringify({ __type: 'AccessDeniedException', message: 'not allowed here' }) : '{}',
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  for (const [k, v] of Object.entries({
    ...ENV,
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

after(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise((r) => server.close(r));
});

const key = (id: string, on: boolean) =>
  resource(
    'aws.kms.key',
    { KeyId: id, KeyRotationEnabled: on },
    { id: `arn:aws:kms:eu-west-1:111122223333:key/${id}`, region: 'eu-west-1' },
  );

forEachStore('drift --enforce --apply', (target) => {
  it('sends each revert through the SDK and audits it before and after, failures included', async () => {
    const store = await target.fresh();
    requests.length = 0;
    const baseline = [key('key-ok', true), key('key-denied', true)];
    const current = [key('key-ok', false), key('key-denied', false)];
    const drift = diffInventories(baseline, current, loadDriftRules());
    const executor = new AwsExecutor();
    const summary = await enforceDrift(
      drift,
      new Map(baseline.map((r) => [r.id, r])),
      new Map(current.map((r) => [r.id, r])),
      {
        apply: true,
        state: { paused: false, reason: null, until: null, by: null, updatedAt: null },
        who: 'ana',
        db: store.db,
        sender: executor,
        describeError: describeAwsError,
      },
    ).finally(() => executor.close());

    assert.deepEqual(
      summary.reverts.map((r) => [r.resource.split('/')[1], r.status, r.error]),
      [
        ['key-denied', 'failed', 'AccessDeniedException: not allowed here'],
        ['key-ok', 'applied', undefined],
      ],
    );
    assert.deepEqual(
      requests.map((r) => [r.headers['x-amz-target'], JSON.parse(r.body)]),
      [
        ['TrentService.EnableKeyRotation', { KeyId: 'key-denied' }],
        ['TrentService.EnableKeyRotation', { KeyId: 'key-ok' }],
      ],
    );
    const audit = await auditEntries(store.db);
    assert.deepEqual(
      audit.map((a) => [a.who, a.action, a.resource.split('/')[1], a.result, a.calls]),
      [
        [
          'ana',
          'drift-revert',
          'key-denied',
          'failed: AccessDeniedException: not allowed here',
          [
            {
              service: 'kms',
              command: 'EnableKeyRotation',
              input: { KeyId: 'key-denied' },
              region: 'eu-west-1',
            },
          ],
        ],
        [
          'ana',
          'drift-revert',
          'key-ok',
          'ok',
          [{ service: 'kms', command: 'EnableKeyRotation', input: { KeyId: 'key-ok' }, region: 'eu-west-1' }],
        ],
      ],
    );
  });
});
