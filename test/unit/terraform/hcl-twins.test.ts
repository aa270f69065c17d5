import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readHclDirectoryWithStats } from '../../../src/sources/terraform/hcl/index.js';
import { POLICY_FIXTURES } from './hcl-helpers.js';

/** Every built-in policy has HCL twins; these cases are the ones the HCL inputs provide. */
const CASES: Record<string, string[]> = {
  'aws-s3-bucket-public': ['exempt', 'fail', 'pass'],
  'aws-ec2-sg-admin-ports-open': ['exempt', 'fail', 'pass'],
  'aws-ec2-instance-admin-role': ['fail', 'pass'],
  'aws-rds-storage-unencrypted': ['fail', 'pass', 'unknown'],
  'aws-rds-publicly-accessible': ['fail', 'pass'],
  'aws-ebs-volume-unencrypted': ['fail', 'pass'],
  'aws-kms-key-rotation-disabled': ['fail', 'pass'],
  'aws-cloudtrail-not-multi-region': ['fail', 'pass'],
  'aws-vpc-flow-logs-disabled': ['fail', 'pass'],
  'azure-storage-public': ['fail', 'pass'],
  'azure-nsg-admin-ports-open': ['fail', 'pass'],
  'gcp-storage-public': ['fail', 'pass'],
  'gcp-firewall-admin-ports-open': ['fail', 'pass'],
  'openstack-secgroup-admin-ports-open': ['fail', 'pass'],
};

interface Expected {
  address: string;
  status: string;
}

function expectedOf(dir: string): Expected[] {
  const parsed: unknown = JSON.parse(readFileSync(join(dir, 'expected-hcl.json'), 'utf8'));
  assert.ok(
    Array.isArray(parsed) && parsed.length > 0,
    `${dir}: expected-hcl.json must be a non-empty array`,
  );
  return parsed as Expected[];
}

describe('HCL twin fixtures for the built-in policies', () => {
  it('has main.tf and expected-hcl.json for exactly the listed cases', () => {
    for (const [policy, cases] of Object.entries(CASES)) {
      const present = readdirSync(join(POLICY_FIXTURES, policy))
        .filter((c) => existsSync(join(POLICY_FIXTURES, policy, c, 'main.tf')))
        .sort();
      assert.deepEqual(present, cases, policy);
      for (const c of cases)
        assert.ok(existsSync(join(POLICY_FIXTURES, policy, c, 'expected-hcl.json')), `${policy}/${c}`);
    }
  });

  for (const [policy, cases] of Object.entries(CASES)) {
    for (const c of cases) {
      it(`${policy}/${c}: loads, and every expected address is a resource with the case's status`, async () => {
        const dir = join(POLICY_FIXTURES, policy, c);
        const { resources, skippedModules } = await readHclDirectoryWithStats(dir);
        assert.deepEqual(skippedModules, []);
        const addresses = new Set(resources.map((r) => r.address));
        for (const e of expectedOf(dir)) {
          assert.ok(addresses.has(e.address), `${e.address} is not in ${dir}`);
          assert.equal(e.status, c, `${e.address}: a ${c} case lists only ${c} results`);
        }
      });
    }
  }

  it('carries the inline skips of the exempt security groups', async () => {
    const { resources } = await readHclDirectoryWithStats(
      join(POLICY_FIXTURES, 'aws-ec2-sg-admin-ports-open', 'exempt'),
    );
    assert.deepEqual(
      resources.map((r) => [r.address, r.skips]),
      [
        [
          'aws_security_group.bastion',
          [
            {
              policy: 'aws-ec2-sg-admin-ports-open',
              reason: 'Bastion host; SSH keys are gated by hardware MFA (SEC-1234)',
            },
          ],
        ],
        [
          'aws_security_group.rdp_jump',
          [{ policy: 'aws-ec2-sg-admin-ports-open', reason: 'Windows jump host behind the VPN appliance' }],
        ],
      ],
    );
  });
});
