import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshotInventory } from '../../../src/sources/snapshot/read.js';
import { InputError } from '../../../src/util/errors.js';
import { scenario } from '../../helpers/live.js';

const base = {
  id: 'arn:aws:s3:::b',
  provider: 'aws',
  type: 'aws.s3.bucket',
  account: '1',
  region: 'us-east-1',
  name: 'b',
  config: {},
};

function error(doc: unknown): string {
  try {
    snapshotInventory(doc, 'snap.json');
  } catch (err) {
    assert.ok(err instanceof InputError);
    return err.format();
  }
  assert.fail('accepted');
}

describe('warden-inventory snapshots', () => {
  it('reads the CIS scenario with its sources marked as snapshot', () => {
    const inv = scenario('test/fixtures/compliance/cis-account.json');
    assert.equal(inv.resources.length, 30);
    assert.deepEqual(inv.inputs, ['test/fixtures/compliance/cis-account.json']);
    assert.deepEqual(inv.resources[0]!.source, {
      kind: 'snapshot',
      collectedAt: '2026-11-20T00:00:00Z',
      file: 'test/fixtures/compliance/cis-account.json',
    });
  });

  it('counts unknown types as unsupported instead of failing', () => {
    const inv = snapshotInventory(
      {
        kind: 'warden-inventory',
        version: 1,
        resources: [base, { ...base, id: 'x', type: 'aws.future.thing' }],
      },
      's.json',
    );
    assert.deepEqual([inv.resources.length, inv.unsupported], [1, { 'aws.future.thing': 1 }]);
  });

  it('rejects malformed snapshots with the file and the resource', () => {
    assert.equal(
      error({ kind: 'warden-inventory', version: 2, resources: [] }),
      'snap.json: unsupported snapshot version 2 (expected 1)',
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: {} }),
      'snap.json: "resources" must be a list',
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: [base, base] }),
      'snap.json: resources[1] (arn:aws:s3:::b): duplicate resource id',
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: [{ ...base, provider: 'aliyun' }] }),
      'snap.json: resources[0] (arn:aws:s3:::b): provider: Invalid option: expected one of "aws"|"azure"|"gcp"|"openstack"',
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: [{ ...base, extra: 1 }] }),
      'snap.json: resources[0] (arn:aws:s3:::b): Unrecognized key: "extra"',
    );
  });
});
