import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { loadInputs } from '../../../src/sources/index.js';
import { NOW } from '../../helpers/live.js';

/**
 * The CIS controls Terraform can show before deploy, on one HCL root with a failing and a passing
 * resource per control: the same policies as on live data, through the Terraform adapter.
 */
describe('CIS AWS v3.0 pack on Terraform', () => {
  it('fails and passes the IaC-visible controls', async () => {
    const inventory = await loadInputs(['test/fixtures/compliance/terraform-cis']);
    const report = scanInventory(inventory, loadPolicies({ packs: ['cis-aws-v3'] }), NOW);
    const by: Record<string, string[]> = {};
    for (const r of report.results) {
      by[r.policy] = [...(by[r.policy] ?? []), `${r.source.address} ${r.status}`];
    }
    assert.deepEqual(by, {
      'aws-iam-user-two-active-keys': ['aws_iam_user.fail_user pass', 'aws_iam_user.pass_user pass'],
      'aws-iam-user-direct-policies': ['aws_iam_user.fail_user fail', 'aws_iam_user.pass_user pass'],
      'aws-ec2-instance-no-profile': ['aws_instance.fail_vm fail', 'aws_instance.pass_vm pass'],
      'aws-iam-cloudshell-full-access': ['aws_iam_user.fail_user fail', 'aws_iam_user.pass_user pass'],
      'aws-cloudtrail-log-validation-disabled': [
        'aws_cloudtrail.fail_trail fail',
        'aws_cloudtrail.pass_trail pass',
      ],
      'aws-cloudtrail-bucket-access-logging-disabled': [
        'aws_cloudtrail.fail_trail fail',
        'aws_cloudtrail.pass_trail pass',
      ],
      'aws-cloudtrail-not-kms-encrypted': [
        'aws_cloudtrail.fail_trail fail',
        'aws_cloudtrail.pass_trail pass',
      ],
      'aws-ec2-nacl-admin-ports-open': ['aws_network_acl.fail_nacl fail', 'aws_network_acl.pass_nacl pass'],
      'aws-ec2-default-sg-allows-traffic': [
        'aws_default_security_group.fail_default fail',
        'aws_default_security_group.pass_default pass',
      ],
      'aws-ec2-instance-imdsv1': ['aws_instance.fail_vm fail', 'aws_instance.pass_vm pass'],
      'aws-s3-bucket-allows-http': ['aws_s3_bucket.fail_plain fail', 'aws_s3_bucket.pass_hardened pass'],
      'aws-s3-bucket-mfa-delete-disabled': [
        'aws_s3_bucket.fail_plain fail',
        'aws_s3_bucket.pass_hardened pass',
      ],
      'aws-s3-bucket-block-public-access-incomplete': [
        'aws_s3_bucket.fail_plain fail',
        'aws_s3_bucket.pass_hardened pass',
      ],
      'aws-rds-auto-minor-upgrade-disabled': ['aws_db_instance.fail_db fail', 'aws_db_instance.pass_db pass'],
    });
  });
});
