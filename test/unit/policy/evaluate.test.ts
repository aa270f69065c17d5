import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkResources } from '../../../src/graph/link.js';
import type { Resource } from '../../../src/model/resource.js';
import { evaluate, fingerprint } from '../../../src/policy/evaluate.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { resource } from '../../helpers/resources.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const ALL_USERS = {
  Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
  Permission: 'READ',
};

function statuses(resources: Resource[], only: string[], parameters = {}) {
  const set = loadPolicies({ only, parameters });
  return evaluate(set.compiled, { resources, unsupported: {}, inputs: [] }, { now: NOW }).map((r) => ({
    policy: r.policy,
    name: r.resource.name,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
  }));
}

describe('evaluate', () => {
  it('gives every (policy, resource of its type) one result, in policy then resource order', () => {
    const results = statuses(
      [
        resource('aws.ec2.volume', { VolumeId: 'v1', Encrypted: false }, { name: 'v1' }),
        resource('aws.ec2.volume', { VolumeId: 'v2', Encrypted: true }, { name: 'v2' }),
        resource('aws.s3.bucket', { Name: 'b' }),
      ],
      ['aws-ebs-volume-unencrypted'],
    );
    assert.deepEqual(results, [
      { policy: 'aws-ebs-volume-unencrypted', name: 'v1', status: 'fail' },
      { policy: 'aws-ebs-volume-unencrypted', name: 'v2', status: 'pass' },
    ]);
  });

  it('exempts by policy exception tag and by inline skip, with the reason', () => {
    const results = statuses(
      [
        resource(
          'aws.s3.bucket',
          { Name: 'site', Acl: { Grants: [ALL_USERS] } },
          { tags: { Content: 'Marketing' } },
        ),
        resource('aws.s3.bucket', { Name: 'data', Acl: { Grants: [ALL_USERS] } }),
        resource(
          'aws.s3.bucket',
          { Name: 'legacy', Acl: { Grants: [ALL_USERS] } },
          {
            skips: [{ policy: 'aws-s3-bucket-public', reason: 'migrating, ticket SEC-12' }],
          },
        ),
      ],
      ['aws-s3-bucket-public'],
    );
    assert.deepEqual(results, [
      {
        policy: 'aws-s3-bucket-public',
        name: 'site',
        status: 'exempt',
        reason: 'marketing content is public by design (tag Content=Marketing)',
      },
      { policy: 'aws-s3-bucket-public', name: 'data', status: 'fail' },
      {
        policy: 'aws-s3-bucket-public',
        name: 'legacy',
        status: 'exempt',
        reason: 'inline skip: migrating, ticket SEC-12',
      },
    ]);
  });

  it('the allowedCidrs parameter turns SSH from an unknown range into a failure', () => {
    const sg = resource('aws.ec2.security-group', {
      GroupName: 'bastion',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          IpRanges: [{ CidrIp: '198.51.100.0/24' }],
          Ipv6Ranges: [],
        },
      ],
    });
    assert.equal(statuses([sg], ['aws-ec2-sg-admin-ports-open'])[0]?.status, 'pass');
    const withParam = statuses([sg], ['aws-ec2-sg-admin-ports-open'], {
      'aws-ec2-sg-admin-ports-open': { allowedCidrs: ['203.0.113.0/24'] },
    });
    assert.equal(withParam[0]?.status, 'fail');
  });

  it('unknown and error verdicts carry their reason', () => {
    const results = statuses(
      [
        resource(
          'aws.rds.instance',
          { DBInstanceIdentifier: 'a' },
          { name: 'a', unknown: ['StorageEncrypted'] },
        ),
        resource(
          'aws.rds.instance',
          { DBInstanceIdentifier: 'b' },
          {
            name: 'b',
            errors: [
              { path: 'StorageEncrypted', code: 'AccessDenied', message: 'rds:DescribeDBInstances denied' },
            ],
          },
        ),
      ],
      ['aws-rds-storage-unencrypted'],
    );
    assert.deepEqual(results, [
      {
        policy: 'aws-rds-storage-unencrypted',
        name: 'a',
        status: 'unknown',
        reason: 'StorageEncrypted is known only after apply',
      },
      {
        policy: 'aws-rds-storage-unencrypted',
        name: 'b',
        status: 'error',
        reason: 'could not read StorageEncrypted (AccessDenied: rds:DescribeDBInstances denied)',
      },
    ]);
  });

  it('fingerprints are stable per (policy, resource id)', () => {
    assert.equal(fingerprint('p', 'arn:aws:s3:::b'), fingerprint('p', 'arn:aws:s3:::b'));
    assert.notEqual(fingerprint('p', 'arn:aws:s3:::b'), fingerprint('q', 'arn:aws:s3:::b'));
    assert.match(fingerprint('p', 'x'), /^[0-9a-f]{32}$/);
  });

  it('fingerprints keep their documented value: sha256 of "<policy>\\n<resource id>", 32 hex digits', () => {
    // Stores and suppressions key findings on this value: it must never change with the implementation.
    // printf 'aws-s3-bucket-public\nplan.json#aws_s3_bucket.b' | sha256sum
    assert.equal(
      fingerprint('aws-s3-bucket-public', 'plan.json#aws_s3_bucket.b'),
      'e26ca97ec534dacacfbef490eaacaacb',
    );
  });
});

describe('link stage', () => {
  it('resolves instance → profile → role → customer policy through IaC references', () => {
    const policy = resource(
      'aws.iam.policy',
      { PolicyName: 'all', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      {
        source: { kind: 'terraform-plan', address: 'aws_iam_policy.all' },
      },
    );
    const role = resource(
      'aws.iam.role',
      { RoleName: 'app', AttachedManagedPolicies: [{}] },
      {
        source: { kind: 'terraform-plan', address: 'aws_iam_role.app' },
        refs: [{ attribute: 'AttachedManagedPolicies', target: 'aws_iam_policy.all' }],
      },
    );
    const profile = resource(
      'aws.iam.instance-profile',
      { InstanceProfileName: 'app', Roles: [] },
      {
        source: { kind: 'terraform-plan', address: 'aws_iam_instance_profile.app' },
        refs: [{ attribute: 'Roles', target: 'aws_iam_role.app' }],
      },
    );
    const instance = resource(
      'aws.ec2.instance',
      {},
      {
        name: 'web',
        source: { kind: 'terraform-plan', address: 'aws_instance.web[0]' },
        unknown: ['IamInstanceProfile'],
        refs: [{ attribute: 'IamInstanceProfile', target: 'aws_iam_instance_profile.app' }],
      },
    );
    const all = [policy, role, profile, instance];
    linkResources(all);
    const roles = (instance.config.IamInstanceProfile as { Roles: unknown[] }).Roles;
    assert.equal(roles[0], role.config);
    assert.deepEqual(statuses(all, ['aws-ec2-instance-admin-role']), [
      { policy: 'aws-ec2-instance-admin-role', name: 'web', status: 'fail' },
    ]);
  });

  it('resolves by names and ARNs on live data; AWS managed policies come from the table', () => {
    const role = resource('aws.iam.role', {
      RoleName: 'ops',
      Arn: 'arn:aws:iam::111111111111:role/ops',
      AttachedManagedPolicies: [
        { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      ],
    });
    const profile = resource('aws.iam.instance-profile', {
      InstanceProfileName: 'ops',
      Arn: 'arn:aws:iam::111111111111:instance-profile/ops',
      Roles: [{ RoleName: 'ops', Arn: 'arn:aws:iam::111111111111:role/ops' }],
    });
    const instance = resource(
      'aws.ec2.instance',
      { IamInstanceProfile: { Arn: 'arn:aws:iam::111111111111:instance-profile/ops' } },
      { name: 'i-1' },
    );
    const other = resource(
      'aws.ec2.instance',
      { IamInstanceProfile: { Arn: 'arn:aws:iam::111111111111:instance-profile/gone' } },
      { name: 'i-2' },
    );
    const all = [role, profile, instance, other];
    linkResources(all);
    assert.deepEqual(statuses(all, ['aws-ec2-instance-admin-role']), [
      { policy: 'aws-ec2-instance-admin-role', name: 'i-1', status: 'fail' },
      {
        policy: 'aws-ec2-instance-admin-role',
        name: 'i-2',
        status: 'unknown',
        reason:
          'the role of arn:aws:iam::111111111111:instance-profile/gone is not in the input (scan the account or the IAM code too)',
      },
    ]);
  });
});
