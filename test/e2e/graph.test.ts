import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

/** Runs the built CLI (the `bin`, dist/bundle/) as a user would; `npm test` builds it first. */
function warden(args: string[]) {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/bundle/warden.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'warden-graph-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const SEED = 'examples/terraform-seed';
const SHARED_KEY_PLAN =
  'test/fixtures/policies/aws-ec2-public-instance-shares-key-with-admin-instance/fail/plan.json';

interface Cytoscape {
  elements: {
    nodes: { data: { id: string; type: string; label: string } }[];
    edges: { data: { source: string; target: string; kind: string; evidence: string } }[];
  };
}

describe('warden graph (built CLI)', () => {
  it('exports Cytoscape JSON around a resource', () => {
    const r = warden(['graph', SEED, '--around', 'aws_instance.bastion', '--depth', '1']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Cytoscape;
    assert.deepEqual(doc.elements.nodes.map((n) => n.data.id).sort(), [
      `${SEED}#aws_instance.bastion`,
      `${SEED}#aws_key_pair.ops`,
      `${SEED}#aws_security_group.bastion`,
      `${SEED}#aws_subnet.public`,
    ]);
    const edges = doc.elements.edges.map(
      (e) => `${e.data.kind} ${e.data.source.split('#')[1]} ${e.data.target.split('#')[1]}`,
    );
    assert.deepEqual(edges.sort(), [
      'in-subnet aws_instance.bastion aws_subnet.public',
      'protected-by aws_instance.bastion aws_security_group.bastion',
      'uses-key-pair aws_instance.bastion aws_key_pair.ops',
    ]);
  });

  it('writes DOT and GraphML to a file, filtered by type', () => {
    const dot = join(tmp, 'g.dot');
    const r = warden([
      'graph',
      SEED,
      '--format',
      'dot',
      '--type',
      'aws.ec2.instance',
      '--type',
      'aws.ec2.key-pair',
      '-o',
      dot,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `warden: 3 nodes, 2 edges → ${dot}\n`);
    const text = readFileSync(dot, 'utf8');
    assert.match(text, /^digraph warden \{/);
    assert.match(
      text,
      /"examples\/terraform-seed#aws_instance.worker" -> "examples\/terraform-seed#aws_key_pair.ops" \[label="uses-key-pair"/,
    );
    const g = warden(['graph', SEED, '--format', 'graphml', '--type', 'aws.ec2.key-pair']);
    assert.equal(g.code, 0);
    assert.match(
      g.stdout,
      /<node id="examples\/terraform-seed#aws_key_pair.ops"><data key="label">demo-ops<\/data>/,
    );
  });

  it('rejects an unknown resource and a bad format with exit 2 and one line', () => {
    const r = warden(['graph', SEED, '--around', 'aws_instance.nope']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: no resource "aws_instance.nope" in the graph\n');
    const f = warden(['graph', SEED, '--format', 'svg']);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /expected one of json, dot, graphml/);
  });
});

describe('warden explain (built CLI)', () => {
  it('explains a shared-key finding by fingerprint: the path and the evidence in words', () => {
    const scan = warden([
      'scan',
      SHARED_KEY_PLAN,
      '--format',
      'json',
      '--policy',
      'aws-ec2-public-instance-shares-key-with-admin-instance',
    ]);
    assert.equal(scan.code, 1, scan.stderr);
    const finding = (
      JSON.parse(scan.stdout) as { results: { status: string; fingerprint: string; path?: string[] }[] }
    ).results.find((x) => x.status === 'fail')!;
    assert.equal(finding.path?.length, 3);
    const r = warden(['explain', finding.fingerprint.slice(0, 12), SHARED_KEY_PLAN]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(
      lines[0],
      'aws-ec2-public-instance-shares-key-with-admin-instance [critical] fail: Internet-exposed instance shares its key pair with an instance whose role is admin',
    );
    assert.deepEqual(lines.slice(3, 7), [
      'path:',
      `  1. aws_instance.bastion (aws.ec2.instance) ${SHARED_KEY_PLAN}#aws_instance.bastion`,
      `  2. fixture-ops (aws.ec2.key-pair) ${SHARED_KEY_PLAN}#aws_key_pair.ops`,
      `  3. aws_instance.worker (aws.ec2.instance) ${SHARED_KEY_PLAN}#aws_instance.worker`,
    ]);
    assert.ok(
      lines.includes('  - role fixture-worker-admin: managed policy AdministratorAccess allows * on *'),
      r.stdout,
    );
    assert.ok(lines.includes('  - security group fixture-ssh allows tcp 22 from 0.0.0.0/0'), r.stdout);
  });

  it('explains a resource: relationships and facts', () => {
    const r = warden(['explain', 'aws_instance.worker', SEED]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}→ uses-key-pair demo-ops: KeyName = demo-ops$/m);
    assert.match(r.stdout, /^ {2}internet-exposed: no$/m);
    assert.match(r.stdout, /^ {2}admin-privilege: yes$/m);
    assert.match(r.stdout, /^ {4}- key pair demo-ops is also used by demo-bastion$/m);
  });

  it('an unknown fingerprint or resource is an input error', () => {
    const r = warden(['explain', 'deadbeefdeadbeef', SEED]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `error: no finding with fingerprint or resource named "deadbeefdeadbeef" in ${SEED}\n`,
    );
  });
});

describe('graph findings in the store (built CLI)', () => {
  it('a stored path finding shows its path in `findings`', () => {
    const db = join(tmp, 'warden.db');
    const scan = warden(['scan', SEED, '--db', db, '--soft-fail', '-f', 'json', '-o', join(tmp, 'r.json')]);
    assert.equal(scan.code, 0, scan.stderr);
    const policy = 'aws-ec2-public-instance-shares-key-with-admin-instance';
    const r = warden(['findings', '--db', db, '--policy', policy, '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { findings: { resource: { id: string }; path?: string[] }[] };
    assert.deepEqual(
      doc.findings.map((f) => [f.resource.id, f.path]),
      [
        [
          `${SEED}#aws_instance.bastion`,
          [`${SEED}#aws_instance.bastion`, `${SEED}#aws_key_pair.ops`, `${SEED}#aws_instance.worker`],
        ],
      ],
    );
    const table = warden(['findings', '--db', db, '--policy', policy, '-f', 'table']);
    assert.match(
      table.stdout,
      / examples\/terraform-seed#aws_instance\.bastion → examples\/terraform-seed#aws_key_pair\.ops → examples\/terraform-seed#aws_instance\.worker\n$/,
    );
  });
});
