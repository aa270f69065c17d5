import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateTerraform } from '../../../src/sources/terraform/index.js';
import { byId, tf } from './helpers.js';

describe('terraform sub-resource joins', () => {
  it('keeps a sub-resource whose parent is missing visible in unsupported, and emits no resource for it', () => {
    const inv = translateTerraform(
      [
        tf(
          'aws_s3_bucket_policy.p',
          { bucket: 'elsewhere', policy: '{}' },
          { refs: [{ attribute: 'bucket', target: 'aws_s3_bucket.gone' }] },
        ),
        tf('aws_security_group_rule.r', {
          type: 'ingress',
          security_group_id: 'sg-x',
          protocol: 'tcp',
          from_port: 22,
          to_port: 22,
        }),
        tf('aws_s3_account_public_access_block.a', { block_public_acls: true }),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(inv.resources, []);
    assert.deepEqual(inv.unsupported, {
      'aws_s3_bucket_policy (parent not in input)': 1,
      'aws_security_group_rule (parent not in input)': 1,
      'aws_s3_account_public_access_block (parent not in input)': 1,
    });
  });

  it('pairs count-parallel sub-resources with the parent of the same index', () => {
    const byBlock = [{ attribute: 'bucket', target: 'aws_s3_bucket.b' }];
    const inv = translateTerraform(
      [
        tf('aws_s3_bucket.b[0]', { bucket: 'b0' }),
        tf('aws_s3_bucket.b[1]', { bucket: 'b1' }),
        tf(
          'aws_s3_bucket_versioning.v[1]',
          { versioning_configuration: [{ status: 'Enabled' }] },
          { refs: byBlock },
        ),
        tf(
          'aws_s3_bucket_versioning.v[0]',
          { versioning_configuration: [{ status: 'Suspended' }] },
          { refs: byBlock },
        ),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'aws_s3_bucket.b[0]').config.Versioning, { Status: 'Suspended' });
    assert.deepEqual(byId(inv, 'aws_s3_bucket.b[1]').config.Versioning, { Status: 'Enabled' });
    assert.deepEqual(inv.unsupported, {});
  });

  it('prefers the reference to a value that names another resource, and resolves an exact instance', () => {
    const inv = translateTerraform(
      [
        tf('aws_s3_bucket.a', { bucket: 'a' }),
        tf('aws_s3_bucket.edge[0]', { bucket: 'e0' }),
        tf('aws_s3_bucket.edge[1]', { bucket: 'e1' }),
        tf(
          'aws_s3_bucket_policy.p',
          { bucket: 'a', policy: '{"Id":"p"}' },
          { refs: [{ attribute: 'bucket', target: 'aws_s3_bucket.edge[1]' }] },
        ),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'aws_s3_bucket.edge[1]').config.Policy, { Id: 'p' });
    assert.equal(byId(inv, 'aws_s3_bucket.a').config.Policy, undefined);
  });

  it('does not guess between parents a value matches equally', () => {
    const inv = translateTerraform(
      [
        tf('aws_iam_role.one', { name: 'same' }),
        tf('module.m.aws_iam_role.two', { name: 'same' }),
        tf('aws_iam_role_policy_attachment.x', {
          role: 'same',
          policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'aws_iam_role.one').config.AttachedManagedPolicies, []);
    assert.deepEqual(inv.unsupported, { 'aws_iam_role_policy_attachment (parent not in input)': 1 });
  });

  it('moves the child references onto the parent under the native attribute, minus the parent link', () => {
    const inv = translateTerraform(
      [
        tf('aws_iam_role.r', { name: 'r' }),
        tf(
          'aws_iam_role_policy_attachment.a',
          { role: 'r' },
          {
            refs: [
              { attribute: 'role', target: 'aws_iam_role.r' },
              { attribute: 'policy_arn', target: 'aws_iam_policy.p' },
              { attribute: 'depends_on', target: 'aws_iam_policy.q' },
            ],
          },
        ),
      ],
      'terraform-hcl',
    );
    const role = byId(inv, 'aws_iam_role.r');
    assert.deepEqual(role.refs, [{ attribute: 'AttachedManagedPolicies', target: 'aws_iam_policy.p' }]);
    assert.deepEqual(role.config.AttachedManagedPolicies, [{}]);
  });

  it('keeps a flow log on a subnet as a resource without a VPC join or an unsupported count', () => {
    const inv = translateTerraform(
      [
        tf('aws_vpc.v', { id: 'vpc-1' }),
        tf('aws_flow_log.subnet', {
          subnet_id: 'subnet-1',
          traffic_type: 'ALL',
          log_destination: 'arn:aws:s3:::logs',
          log_destination_type: 's3',
        }),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'aws_vpc.v').config.FlowLogs, []);
    assert.equal(byId(inv, 'aws_flow_log.subnet').config.ResourceId, 'subnet-1');
    assert.deepEqual(inv.unsupported, {});
  });

  it('joins by ARN tail when a sub-resource names its parent by ARN', () => {
    const inv = translateTerraform(
      [
        tf('aws_kms_key.k', { key_id: '1234-abcd' }),
        tf('aws_kms_alias.a', {
          name: 'alias/app',
          target_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/1234-abcd',
        }),
        tf('aws_route_table.rt', { id: 'rtb-1' }),
        tf('aws_route.internet', {
          route_table_id: 'rtb-1',
          destination_cidr_block: '0.0.0.0/0',
          gateway_id: 'igw-1',
        }),
        tf('aws_route_table_association.a', { route_table_id: 'rtb-1', subnet_id: 'subnet-1' }),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'aws_kms_key.k').config.Aliases, ['alias/app']);
    const rt = byId(inv, 'aws_route_table.rt');
    assert.deepEqual(rt.config.Routes, [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }]);
    assert.deepEqual(rt.config.Associations, [{ SubnetId: 'subnet-1', Main: false }]);
  });
});

describe('terraform HCL name references', () => {
  it('fills an unknown bucket id from the referenced bucket name, without touching the caller IR', () => {
    const UNKNOWN = Symbol.for('warden.unknown');
    const logging = tf(
      'aws_s3_bucket_logging.l',
      { bucket: UNKNOWN, target_bucket: UNKNOWN, target_prefix: 'x/' },
      {
        refs: [
          { attribute: 'bucket', target: 'aws_s3_bucket.data' },
          { attribute: 'target_bucket', target: 'aws_s3_bucket.logs' },
        ],
      },
    );
    const trail = tf(
      'aws_cloudtrail.t',
      { name: 't', s3_bucket_name: UNKNOWN },
      { refs: [{ attribute: 's3_bucket_name', target: 'aws_s3_bucket.logs' }] },
    );
    const inv = translateTerraform(
      [
        tf('aws_s3_bucket.data', { bucket: 'data-bucket' }),
        tf('aws_s3_bucket.logs', { bucket: 'log-bucket' }),
        logging,
        trail,
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'aws_s3_bucket.data').config.Logging, {
      LoggingEnabled: { TargetBucket: 'log-bucket', TargetPrefix: 'x/' },
    });
    assert.equal(byId(inv, 'aws_cloudtrail.t').config.S3BucketName, 'log-bucket');
    assert.equal(logging.values.target_bucket, UNKNOWN);
  });
});
