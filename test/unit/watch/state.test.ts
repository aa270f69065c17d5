import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import type { Result } from '../../../src/model/result.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { diffFindings } from '../../../src/watch/diff.js';
import { LiveState } from '../../../src/watch/state.js';
import {
  ACCOUNT,
  ADMIN,
  instance,
  keyPair,
  network,
  profile,
  REGION,
  role,
  sg,
} from '../../helpers/live-network.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const SHARED_KEY = 'aws-ec2-public-instance-shares-key-with-admin-instance';
const SSH_OPEN = 'aws-ec2-sg-admin-ports-open';
const policies = loadPolicies({ only: [SHARED_KEY, SSH_OPEN, 'aws-ec2-internet-exposed-admin-instance'] });

const bastion = instance('i-0bastion', {
  subnet: 'subnet-0pub',
  vpc: 'vpc-0a1',
  groups: ['sg-0ssh'],
  key: 'ops',
  publicIp: '198.51.100.7',
});
const adminWorker = instance('i-0worker', {
  subnet: 'subnet-0prv',
  vpc: 'vpc-0a1',
  groups: ['sg-0app'],
  key: 'ops',
  profile: 'admin',
});

function startState(resources: Resource[]): LiveState {
  const inventory: Inventory = { resources, unsupported: {}, inputs: [] };
  return new LiveState(inventory, policies, scanInventory(inventory, policies, NOW).results);
}

const touch = (r: Resource) => ({ type: r.type, id: r.id, name: r.id.split('/').at(-1)!, region: REGION });
const summary = (changes: { change: string; result: Result }[]) =>
  changes
    .map((c) => `${c.change} ${c.result.policy} ${c.result.resource.id.split('/').at(-1)} ${c.result.status}`)
    .sort();

describe('watch state', () => {
  it('RunInstances with a shared key raises the shared-key finding on the other instance, termination resolves it', () => {
    const state = startState([
      ...network(),
      role('admin', { managed: [ADMIN] }),
      profile('admin', 'admin'),
      keyPair('ops'),
      bastion,
    ]);
    assert.deepEqual(
      state
        .allResults()
        .filter((r) => r.status === 'fail')
        .map((r) => `${r.policy} ${r.resource.name}`),
      [`${SSH_OPEN} sg-0ssh`],
    );
    const launched = state.apply(
      [{ account: ACCOUNT, touched: [touch(adminWorker)], fresh: [adminWorker] }],
      NOW,
    );
    assert.deepEqual(summary(launched.changes), [`new ${SHARED_KEY} i-0bastion fail`]);
    const [finding] = launched.changes;
    assert.deepEqual(finding!.result.path, [bastion.id, keyPair('ops').id, adminWorker.id]);

    // Terminated: the re-read no longer finds it.
    const gone = state.apply([{ account: ACCOUNT, touched: [touch(adminWorker)], fresh: [] }], NOW);
    assert.deepEqual(summary(gone.changes), [`resolved ${SHARED_KEY} i-0bastion pass`]);
    assert.equal(state.size, network().length + 4);
  });

  it('a security group change re-evaluates the graph policies of the instances behind it', () => {
    const exposed = instance('i-0adminpub', {
      subnet: 'subnet-0pub',
      vpc: 'vpc-0a1',
      groups: ['sg-0ssh'],
      publicIp: '198.51.100.9',
      profile: 'admin',
    });
    const state = startState([
      ...network(),
      role('admin', { managed: [ADMIN] }),
      profile('admin', 'admin'),
      exposed,
    ]);
    const closed = sg('sg-0ssh', 'vpc-0a1', []);
    const out = state.apply([{ account: ACCOUNT, touched: [touch(closed)], fresh: [closed] }], NOW);
    assert.deepEqual(summary(out.changes), [
      'resolved aws-ec2-internet-exposed-admin-instance i-0adminpub pass',
      `resolved ${SSH_OPEN} sg-0ssh pass`,
    ]);
    // Only the SG policy (its type) and the graph policies ran: not every policy.
    assert.equal(out.policies, 3);
    assert.deepEqual(
      state.apply([{ account: ACCOUNT, touched: [touch(closed)], fresh: [closed] }], NOW).changes,
      [],
    );
  });

  it('rolls back an apply whose effect could not be stored, so the redelivery finds the same changes', () => {
    const open = sg('sg-0ssh', 'vpc-0a1', [{ port: 22, cidr: '0.0.0.0/0' }]);
    const state = startState([...network(), open]);
    const closed = sg('sg-0ssh', 'vpc-0a1', []);
    const first = state.apply([{ account: ACCOUNT, touched: [touch(closed)], fresh: [closed] }], NOW);
    assert.deepEqual(summary(first.changes), [`resolved ${SSH_OPEN} sg-0ssh pass`]);
    assert.deepEqual(
      [first.versions.map((v) => v.resource.id), first.gone, first.results.upsert.map((r) => r.status)],
      [[closed.id], [], ['pass']],
    );
    state.rollback();
    const apply = () => state.apply([{ account: ACCOUNT, touched: [touch(closed)], fresh: [closed] }], NOW);
    assert.deepEqual(summary(apply().changes), [`resolved ${SSH_OPEN} sg-0ssh pass`]);
    // A later message that touched nothing (GuardDuty only) rolls back nothing but itself.
    state.apply([], NOW);
    state.rollback();
    assert.deepEqual(apply().changes, []);
  });
});

describe('finding diff', () => {
  const base = scanInventory(
    { resources: [sg('sg-1', 'vpc-0a1', [{ port: 22, cidr: '0.0.0.0/0' }])], unsupported: {}, inputs: [] },
    loadPolicies({ only: [SSH_OPEN] }),
    NOW,
  ).results;
  it('reports changed evidence as changed and an unchanged finding not at all', () => {
    const moved = base.map((r) => ({ ...r, message: `${r.message} (port 3389 too)` }));
    assert.deepEqual(
      diffFindings(base, moved).map((c) => c.change),
      ['changed'],
    );
    assert.deepEqual(diffFindings(base, base), []);
    assert.deepEqual(
      diffFindings(base, []).map((c) => [c.change, c.result.status]),
      [['resolved', 'pass']],
    );
  });
});

describe('watch state: full rescan', () => {
  it('replaces everything and reports what the rescan changed', () => {
    const open = sg('sg-9', 'vpc-0a1', [{ port: 22, cidr: '0.0.0.0/0' }]);
    const state = startState([open]);
    const closed = sg('sg-9', 'vpc-0a1', []);
    const inventory: Inventory = { resources: [closed], unsupported: {}, inputs: [] };
    const rescan = scanInventory(inventory, policies, NOW).results;
    assert.deepEqual(summary(state.replaceAll(inventory, rescan)), [`resolved ${SSH_OPEN} sg-9 pass`]);
    assert.deepEqual(state.replaceAll(inventory, rescan), []);
  });
});
