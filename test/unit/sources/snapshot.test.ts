import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshotInventory } from '../../../src/sources/snapshot/index.js';
import { parseSnapshot, readSnapshotFile } from '../../../src/sources/snapshot/read.js';
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
    parseSnapshot(doc, 'snap.json');
  } catch (err) {
    assert.ok(err instanceof InputError);
    return err.format();
  }
  assert.fail('accepted');
}

describe('warden-inventory snapshots (minimal scenario files)', () => {
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

  it('loads without accounts, stats or collectedAt, and without tags or source on a resource', () => {
    const snap = parseSnapshot({ kind: 'warden-inventory', version: 1, resources: [base] }, 's.json');
    assert.deepEqual([snap.accounts, snap.stats, snap.collectedAt], [undefined, undefined, undefined]);
    const inv = snapshotInventory(snap, 's.json');
    assert.deepEqual(inv.resources, [{ ...base, tags: {}, source: { kind: 'snapshot', file: 's.json' } }]);
  });

  it('counts unknown types as unsupported instead of failing', () => {
    const doc = {
      kind: 'warden-inventory',
      version: 1,
      resources: [base, { ...base, id: 'x', type: 'aws.future.thing' }],
    };
    const inv = snapshotInventory(parseSnapshot(doc, 's.json'), 's.json');
    assert.deepEqual([inv.resources.length, inv.unsupported], [1, { 'aws.future.thing': 1 }]);
  });

  it('rejects malformed snapshots with the file and the JSON path', () => {
    const prefix = 'snap.json: not a valid Warden inventory snapshot:';
    assert.equal(
      error({ kind: 'warden-inventory', version: 2, resources: [] }),
      `${prefix} version: Invalid input: expected 1`,
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: {} }),
      `${prefix} resources: Invalid input: expected array, received object`,
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: [base, base] }),
      `${prefix} resources[1].id: duplicate resource id "arn:aws:s3:::b"`,
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: [{ ...base, provider: 'aliyun' }] }),
      `${prefix} resources[0].provider: Invalid option: expected one of "aws"|"azure"|"gcp"|"openstack"`,
    );
    assert.equal(
      error({ kind: 'warden-inventory', version: 1, resources: [{ ...base, extra: 1 }] }),
      `${prefix} resources[0]: Unrecognized key: "extra"`,
    );
  });

  it('a file that is not a snapshot, or not JSON, is one line with the file', () => {
    assert.throws(
      () => readSnapshotFile('test/fixtures/compliance/README.md'),
      (e: unknown) =>
        e instanceof InputError &&
        /^test\/fixtures\/compliance\/README\.md:\d+:\d+: invalid JSON/.test(e.format()),
    );
    assert.throws(
      () => readSnapshotFile('package.json'),
      (e: unknown) =>
        e instanceof InputError &&
        e.format() === 'package.json:1:1: not a Warden inventory snapshot (written by `warden collect`)',
    );
  });
});
