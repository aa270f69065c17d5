import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGraph } from '../../../src/graph/build.js';
import { toCytoscape, toDot, toGraphml } from '../../../src/graph/export/formats.js';
import { selectGraph } from '../../../src/graph/select.js';
import type { Resource } from '../../../src/model/resource.js';
import { InputError } from '../../../src/util/errors.js';
import { ADMIN, instance, keyPair, network, profile, role } from '../../helpers/live-network.js';

function twoAccounts(): Resource[] {
  const mine = [
    ...network(),
    keyPair('ops'),
    role('worker', { managed: [ADMIN] }),
    profile('worker', 'worker'),
    instance('i-0a', {
      subnet: 'subnet-0pub',
      vpc: 'vpc-0a1',
      groups: ['sg-0ssh'],
      key: 'ops',
      profile: 'worker',
    }),
  ];
  const theirs = instance('i-0b', { subnet: 'subnet-0other', vpc: 'vpc-0b', groups: [], key: 'ops' });
  theirs.account = '999988887777';
  theirs.id = 'arn:aws:ec2:eu-west-1:999988887777:instance/i-0b';
  return [...mine, theirs];
}

describe('graph selection and export', () => {
  it('--account keeps that account and the external nodes its resources point at', () => {
    const g = buildGraph(twoAccounts());
    const sel = selectGraph(g, { account: '999988887777' });
    assert.deepEqual(
      sel.nodes.map((n) => n.id),
      ['arn:aws:ec2:eu-west-1:999988887777:instance/i-0b', 'key-pair:999988887777:eu-west-1:ops'],
    );
    assert.deepEqual(
      sel.edges.map((e) => e.kind),
      ['uses-key-pair'],
    );
  });

  it('--around with --depth 0 is the node alone; an ambiguous or unknown name is an input error', () => {
    const g = buildGraph(twoAccounts());
    assert.deepEqual(
      selectGraph(g, { around: 'i-0a', depth: 0 }).nodes.map((n) => n.label),
      ['i-0a'],
    );
    assert.throws(() => selectGraph(g, { around: 'nothing' }), InputError);
    assert.throws(() => selectGraph(g, { around: 'ops' }), /names 2 resources/);
  });

  it('escapes names in DOT and GraphML and writes Cytoscape elements', () => {
    const rs = twoAccounts();
    rs[0]!.name = 'a "quoted" <vpc> & co';
    const sel = selectGraph(buildGraph(rs), { types: ['aws.ec2.vpc'] });
    assert.match(toDot(sel), /\[label="a \\"quoted\\" <vpc> & co\\naws.ec2.vpc"\];/);
    assert.match(toGraphml(sel), /<data key="label">a &quot;quoted&quot; &lt;vpc&gt; &amp; co<\/data>/);
    const doc = JSON.parse(toCytoscape(sel)) as {
      elements: { nodes: { data: { label: string } }[]; edges: unknown[] };
    };
    assert.deepEqual(
      doc.elements.nodes.map((n) => n.data.label),
      ['a "quoted" <vpc> & co'],
    );
    assert.deepEqual(doc.elements.edges, []);
  });
});
