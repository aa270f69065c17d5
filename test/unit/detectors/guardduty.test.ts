import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { detectGuardDuty, guardDutyPolicyId, guardDutySeverity } from '../../../src/detectors/index.js';
import { InputError } from '../../../src/util/errors.js';

const FILE = 'test/fixtures/detectors/guardduty-events.jsonl';
const tmp = mkdtempSync(join(tmpdir(), 'warden-gd-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('GuardDuty findings from EventBridge', () => {
  it('maps severities and types to Warden ids', () => {
    assert.deepEqual([1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(guardDutySeverity), [
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
    assert.equal(
      guardDutyPolicyId('UnauthorizedAccess:EC2/SSHBruteForce'),
      'guardduty-unauthorizedaccess-ec2-sshbruteforce',
    );
    assert.equal(
      guardDutyPolicyId('CryptoCurrency:Runtime/BitcoinTool.B!DNS'),
      'guardduty-cryptocurrency-runtime-bitcointool-b-dns',
    );
  });

  it('names the resources of each finding, skips archived findings and other events', () => {
    const run = detectGuardDuty([FILE]);
    assert.deepEqual(
      run.results.map((r) => [r.policy, r.severity, r.resource.type, r.resource.id]),
      [
        [
          'guardduty-unauthorizedaccess-ec2-sshbruteforce',
          'low',
          'aws.ec2.instance',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-99999999',
        ],
        [
          'guardduty-policy-s3-bucketblockpublicaccessdisabled',
          'medium',
          'aws.iam.user',
          'arn:aws:iam::123456789012:user/deployer',
        ],
        [
          'guardduty-policy-s3-bucketblockpublicaccessdisabled',
          'medium',
          'aws.s3.bucket',
          'arn:aws:s3:::acme-reports',
        ],
        [
          'guardduty-cryptocurrency-runtime-bitcointool-b-dns',
          'critical',
          'aws.guardduty.container',
          'arn:aws:guardduty:eu-west-1:123456789012:detector/x/finding/4d',
        ],
      ],
    );
    const ssh = run.results[0]!;
    assert.equal(
      ssh.message,
      '203.0.113.77 is performing SSH brute force attacks against i-99999999. (GuardDuty severity 2)',
    );
    assert.deepEqual(ssh.evidence, [
      { path: 'type', value: 'UnauthorizedAccess:EC2/SSHBruteForce' },
      { path: 'severity', value: 2 },
      { path: 'count', value: 214 },
      { path: 'window', value: { first: '2026-11-23T12:01:00.000Z', last: '2026-11-23T12:39:59.000Z' } },
      {
        path: 'findingArn',
        value:
          'arn:aws:guardduty:us-east-1:123456789012:detector/123456789012abcd/finding/16afba5c5c43e07c9e3e5e2e544e95df',
      },
    ]);
    assert.deepEqual(ssh.source, { kind: 'event', file: `${FILE}[0]` });
    assert.deepEqual(run.notes, [
      `${FILE}[2]: finding 3c is archived`,
      `${FILE}[3]: not a GuardDuty Finding event`,
    ]);
    assert.deepEqual(
      run.definitions.map((d) => d.id),
      [
        'guardduty-unauthorizedaccess-ec2-sshbruteforce',
        'guardduty-policy-s3-bucketblockpublicaccessdisabled',
        'guardduty-cryptocurrency-runtime-bitcointool-b-dns',
      ],
    );
  });

  it('a broken line is an input error with its line number', () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, '{"detail-type":"GuardDuty Finding"}\n{"detail-type": \n');
    assert.throws(
      () => detectGuardDuty([file]),
      (err: unknown) => err instanceof InputError && err.format() === `${file}:2:1: not JSON`,
    );
  });
});
