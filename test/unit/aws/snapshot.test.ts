import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeSnapshot, snapshotInventory, toSnapshot } from '../../../src/sources/snapshot/index.js';
import { parseSnapshot } from '../../../src/sources/snapshot/read.js';
import { InputError } from '../../../src/util/errors.js';

const resource = {
  id: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-1',
  provider: 'aws' as const,
  type: 'aws.ec2.volume',
  account: '123456789012',
  region: 'us-east-1',
  name: 'vol-1',
  tags: {},
  config: { VolumeId: 'vol-1', Encrypted: false },
  source: { kind: 'live' as const, collectedAt: '2026-01-01T00:00:00.000Z' },
};

function snapshot() {
  return toSnapshot(
    {
      inventory: { resources: [resource], unsupported: {}, inputs: [] },
      accounts: [
        { accountId: '123456789012', via: 'default chain', regions: [], skippedRegions: [], durationMs: 1 },
      ],
      unreachable: [],
      failures: [],
      stats: { operations: [], totals: { calls: 0, attempts: 0, retries: 0, throttles: 0, errors: 0 } },
    },
    new Date('2026-01-01T00:00:00Z'),
  );
}

describe('inventory snapshots', () => {
  it('round-trips through JSON and marks resources as read from the snapshot', () => {
    const doc = JSON.parse(JSON.stringify(snapshot())) as unknown;
    assert.equal(looksLikeSnapshot(doc), true);
    const inv = snapshotInventory(parseSnapshot(doc, 'inv.json'), 'inv.json');
    assert.deepEqual(inv.inputs, ['inv.json']);
    assert.deepEqual(inv.resources[0]?.source, {
      kind: 'snapshot',
      collectedAt: '2026-01-01T00:00:00.000Z',
      file: 'inv.json',
    });
    assert.deepEqual(inv.resources[0]?.config, resource.config);
  });

  it('rejects a malformed snapshot with the JSON path of the first problem', () => {
    const doc = JSON.parse(JSON.stringify(snapshot())) as { resources: Record<string, unknown>[] };
    (doc.resources[0] as Record<string, unknown>).provider = 'oracle';
    assert.throws(
      () => parseSnapshot(doc, 'inv.json'),
      (e: unknown) =>
        e instanceof InputError &&
        /^inv\.json: not a valid Warden inventory snapshot: resources\[0\]\.provider: /.test(e.format()),
    );
    assert.throws(() => parseSnapshot({ kind: 'warden-inventory', version: 2 }, 'x.json'), /version/);
  });
});
