import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateFramework, requirementStatus } from '../../../src/compliance/evaluate.js';
import { resolveFramework } from '../../../src/compliance/framework.js';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Resource } from '../../../src/model/resource.js';
import type { Result } from '../../../src/model/result.js';
import { availablePacks, loadPolicies } from '../../../src/policy/load.js';
import { inventoryOf, live, NOW, scenario } from '../../helpers/live.js';

const SCENARIO = 'test/fixtures/compliance/cis-account.json';

function cisReport() {
  const policies = loadPolicies({ packs: ['core', 'cis-aws-v3'] });
  const scan = scanInventory(scenario(SCENARIO), policies, NOW);
  return evaluateFramework(resolveFramework('cis-aws-3.0'), scan, { now: NOW });
}

const result = (status: Result['status']): Result =>
  ({ status, policy: 'p', severity: 'low', resource: {}, evidence: [], frameworks: {} }) as unknown as Result;

describe('requirement status', () => {
  it('error beats fail beats unknown beats pass; exempt-only passes; nothing in scope is not applicable', () => {
    const s = (...list: Result['status'][]) => requirementStatus(list.map(result), 1);
    assert.deepEqual(s('pass', 'fail', 'error'), { status: 'error', reason: '1 resource could not be read' });
    assert.deepEqual(s('pass', 'fail', 'fail', 'unknown'), { status: 'fail', reason: '2 resources failed' });
    assert.deepEqual(s('pass', 'unknown'), {
      status: 'manual',
      reason: '1 result could not be decided automatically',
    });
    assert.deepEqual(s('pass', 'exempt'), { status: 'pass', reason: '1 resource passed, 1 exempt' });
    assert.deepEqual(s('exempt'), { status: 'pass', reason: 'all 1 resource exempt' });
    assert.deepEqual(s(), { status: 'not-applicable', reason: 'no resources in scope' });
    assert.deepEqual(requirementStatus([], 0), {
      status: 'manual',
      reason: 'no automated check: review by hand',
    });
  });
});

describe('CIS AWS v3.0 on the scenario account', () => {
  const report = cisReport();
  const status = Object.fromEntries(report.requirements.map((r) => [r.id, r.status]));

  it('lists every control of the benchmark with a status', () => {
    assert.equal(report.requirements.length, 62);
    const by = (s: string) => report.requirements.filter((r) => r.status === s).map((r) => r.id);
    assert.deepEqual(by('pass'), [
      '1.2',
      '1.4',
      '1.5',
      '1.6',
      '1.7',
      '1.9',
      '1.10',
      '1.12',
      '1.14',
      '1.17',
      '1.22',
      '2.3.1',
      '2.3.3',
      '2.4.1',
      '3.1',
      '3.2',
      '3.4',
      '3.5',
      '3.6',
      '3.7',
      '3.8',
      '3.9',
      '4.3',
    ]);
    assert.deepEqual(by('error'), ['2.1.1']);
    assert.deepEqual(by('manual'), ['1.1', '1.3', '1.11', '1.21', '2.1.3', '5.5']);
    assert.deepEqual(by('not-applicable'), []);
    assert.equal(by('fail').length, 32);
  });

  it('scores passed over assessed requirements, overall and per section', () => {
    const { requirements, severity, ...counts } = report.summary;
    assert.deepEqual(counts, {
      pass: 23,
      fail: 32,
      error: 1,
      manual: 6,
      'not-applicable': 0,
      assessed: 56,
      score: 41.1,
    });
    assert.equal(requirements, 62);
    assert.deepEqual(
      report.sections.map((s) => `${s.id} ${s.pass}/${s.assessed} ${s.score} manual=${s.manual}`),
      [
        '1 11/18 61.1 manual=4',
        '2 3/8 37.5 manual=1',
        '3 8/9 88.9 manual=0',
        '4 1/16 6.3 manual=0',
        '5 0/5 0 manual=1',
      ],
    );
  });

  it('an unreadable resource makes its requirement error, never pass', () => {
    const r = report.requirements.find((x) => x.id === '2.1.1')!;
    assert.equal(r.status, 'error');
    assert.deepEqual(r.counts, { fail: 1, pass: 1, error: 1, unknown: 0, exempt: 0 });
    assert.deepEqual(
      r.errors.map((e) => `${e.resource.name}: ${e.reason}`),
      ['restricted-111122223333: could not read Policy (AccessDenied: s3:GetBucketPolicy denied)'],
    );
  });

  it('failing resources carry evidence and remediation', () => {
    const r = report.requirements.find((x) => x.id === '5.1')!;
    assert.deepEqual(
      r.failing.map((f) => [f.resource.name, f.evidence.map((e) => e.note)]),
      [['acl-0open', ['rule 100 allows TCP 3389 from 0.0.0.0/0']]],
    );
    assert.match(r.failing[0]!.remediation, /lower-numbered deny entry/);
  });

  it('requirements without an automated check are manual with what to check', () => {
    const r13 = report.requirements.find((x) => x.id === '1.3')!;
    assert.deepEqual(
      [r13.status, r13.reason, r13.manual],
      [
        'manual',
        'no automated check: review by hand',
        'Root user → challenge questions configured. Always MANUAL; record the attestation.',
      ],
    );
    assert.equal(status['1.1'], 'manual');
    // Every policy the benchmark maps exists in this build.
    assert.deepEqual(report.warnings, []);
  });

  it('names a mapped policy that is not loaded and keeps its requirement manual', () => {
    const policies = loadPolicies({ packs: ['core', 'cis-aws-v3'] });
    const without = {
      definitions: policies.definitions.filter((d) => d.id !== 'aws-iam-root-access-keys'),
      compiled: policies.compiled.filter((c) => c.id !== 'aws-iam-root-access-keys'),
    };
    const r = evaluateFramework(
      resolveFramework('cis-aws-3.0'),
      scanInventory(scenario(SCENARIO), without, NOW),
      { now: NOW },
    );
    const r14 = r.requirements.find((x) => x.id === '1.4')!;
    assert.deepEqual(
      [r14.status, r14.reason, r14.missingPolicies],
      [
        'manual',
        'not implemented in this build (policy aws-iam-root-access-keys not loaded): review by hand',
        ['aws-iam-root-access-keys'],
      ],
    );
    assert.deepEqual(
      r.warnings.map((w) => w.replace(/ which is not loaded.*/, '')),
      ['packs/frameworks/cis-aws-3.0.yaml:41: requirement 1.4 maps policy "aws-iam-root-access-keys",'],
    );
  });

  it('breaks the score down per account and region', () => {
    assert.deepEqual(
      report.scopes.map((s) => `${s.account}/${s.region} ${s.pass}/${s.assessed}`),
      ['111122223333/eu-west-1 0/4', '111122223333/global 16/35', '111122223333/us-east-1 13/23'],
    );
  });

  it('orders what to fix first by worst severity, then by how many resources', () => {
    assert.deepEqual(report.priorities, [
      '1.16',
      '5.2',
      '5.3',
      '2.1.1',
      '1.8',
      '1.13',
      '1.18',
      '1.19',
      '2.1.4',
      '2.2.1',
    ]);
  });

  it('counts failing resources by severity once, however many requirements they fail', () => {
    // aws-ec2-sg-admin-ports-open on sg-web fails 5.2 and 5.3 and counts once.
    assert.deepEqual(report.summary.severity, { critical: 0, high: 2, medium: 14, low: 18, info: 0 });
  });
});

describe('collection gaps', () => {
  it('a requirement over a type that could not be inventoried is an error, never a pass', () => {
    const policies = loadPolicies({ packs: ['core', 'cis-aws-v3'] });
    const scan = scanInventory(scenario(SCENARIO), policies, NOW);
    const plain = evaluateFramework(resolveFramework('cis-aws-3.0'), scan, { now: NOW });
    const gap = evaluateFramework(resolveFramework('cis-aws-3.0'), scan, {
      now: NOW,
      notInventoried: ['aws.rds.instance'],
    });
    const r = (report: typeof gap, id: string) => {
      const q = report.requirements.find((x) => x.id === id)!;
      return [q.status, q.reason];
    };
    assert.deepEqual(r(plain, '2.3.1'), ['pass', '1 resource passed']);
    assert.deepEqual(r(gap, '2.3.1'), [
      'error',
      'aws.rds.instance could not be inventoried (see the collection summary); 1 resource passed',
    ]);
    // Requirements over other types are untouched.
    assert.deepEqual(r(gap, '1.4'), r(plain, '1.4'));
  });
});

describe('frameworks over IaC and custom frameworks', () => {
  it('a requirement whose resources are all absent is not applicable', () => {
    const policies = loadPolicies({ packs: ['core', 'cis-aws-v3'] });
    const scan = scanInventory(
      inventoryOf([live('aws.rds.instance', 'db', { AutoMinorVersionUpgrade: true })]),
      policies,
      NOW,
    );
    const report = evaluateFramework(resolveFramework('cis-aws-3.0'), scan, { now: NOW });
    const r = Object.fromEntries(report.requirements.map((x) => [x.id, x.status]));
    assert.deepEqual([r['2.3.2'], r['2.2.1'], r['1.3']], ['pass', 'not-applicable', 'manual']);
  });

  it('a custom framework maps its own ids to built-in and own policies', () => {
    const policies = loadPolicies({
      packs: availablePacks(),
      paths: ['test/fixtures/frameworks/acme-policies.yaml'],
    });
    const inventory = inventoryOf([
      live('aws.s3.bucket', 'owned', { Name: 'owned' }, { tags: { owner: 'data' } }),
      live('aws.s3.bucket', 'orphan', { Name: 'orphan' }),
      live('aws.ec2.security-group', 'sg', {
        GroupName: 'sg',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    ]);
    const report = evaluateFramework(
      resolveFramework(undefined, ['test/fixtures/frameworks/acme.yaml']),
      scanInventory(inventory, policies, NOW),
      { now: NOW },
    );
    assert.deepEqual(
      report.requirements.map((r) => `${r.id} ${r.status}`),
      // GOV-2's live-only policy ran on live data that holds no account: nothing in scope.
      ['NET-1 fail', 'LOG-1 not-applicable', 'LOG-2 manual', 'GOV-1 fail', 'GOV-2 not-applicable'],
    );
    assert.deepEqual(
      report.requirements[3]!.failing.map((f) => [f.resource.name, f.remediation]),
      [['orphan', 'Tag the bucket with its owning team (tag owner).']],
    );
    assert.deepEqual(report.warnings, []);
    assert.deepEqual([report.summary.score, report.summary.assessed], [0, 2]);
  });

  it('a requirement decided only by live-only policies is manual on an IaC-only scan, saying why', () => {
    const policies = loadPolicies({
      packs: availablePacks(),
      paths: ['test/fixtures/frameworks/acme-policies.yaml'],
    });
    const iac = (r: Resource): Resource => ({ ...r, source: { kind: 'terraform-plan', file: 'plan.json' } });
    const inventory = inventoryOf([
      iac(live('aws.iam.account', 'acct', { AccountId: '111122223333' })),
      iac(live('aws.s3.bucket', 'orphan', { Name: 'orphan' })),
    ]);
    const report = evaluateFramework(
      resolveFramework(undefined, ['test/fixtures/frameworks/acme.yaml']),
      scanInventory(inventory, policies, NOW),
      { now: NOW },
    );
    const gov2 = report.requirements.find((r) => r.id === 'GOV-2')!;
    assert.deepEqual(
      [gov2.status, gov2.reason],
      [
        'manual',
        'checked only on live account data, and this scan read none: report on --aws or a collected snapshot, or review by hand',
      ],
    );
  });
});
