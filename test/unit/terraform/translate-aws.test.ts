import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateTerraform } from '../../../src/sources/terraform/index.js';
import { byId, tf } from './helpers.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

describe('terraform → native model: AWS', () => {
  it('reads provider v3 inline bucket blocks', () => {
    const inv = translateTerraform(
      [
        tf('aws_s3_bucket.legacy', {
          bucket: 'legacy',
          acl: 'public-read',
          policy:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::legacy/*"}]}',
          versioning: [{ enabled: true, mfa_delete: false }],
          logging: [{ target_bucket: 'logs', target_prefix: 'legacy/' }],
          server_side_encryption_configuration: [
            {
              rule: [
                {
                  apply_server_side_encryption_by_default: [
                    { sse_algorithm: 'aws:kms', kms_master_key_id: 'key-1' },
                  ],
                  bucket_key_enabled: true,
                },
              ],
            },
          ],
          tags: { Name: 'Legacy bucket' },
        }),
      ],
      'terraform-hcl',
    );
    const b = byId(inv, 'aws_s3_bucket.legacy');
    assert.equal(b.name, 'Legacy bucket');
    assert.deepEqual(b.config, {
      Name: 'legacy',
      Location: 'eu-west-1',
      Acl: {
        Grants: [
          { Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
        ],
      },
      Policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::legacy/*' },
        ],
      },
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'key-1' },
            BucketKeyEnabled: true,
          },
        ],
      },
      Versioning: { Status: 'Enabled', MFADelete: 'Disabled' },
      Logging: { LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'legacy/' } },
      Tags: [{ Key: 'Name', Value: 'Legacy bucket' }],
    });
    assert.deepEqual(b.source, { kind: 'terraform-hcl', address: 'aws_s3_bucket.legacy', file: 'main.tf' });
  });

  it('expands ACL grants, canned ACLs and account-level public access blocks', () => {
    const inv = translateTerraform(
      [
        tf('aws_s3_bucket.a', { bucket: 'a' }),
        tf('aws_s3_bucket.b', { bucket: 'b' }),
        tf('aws_s3_bucket_acl.a', {
          bucket: 'a',
          access_control_policy: [
            {
              grant: [{ grantee: [{ type: 'Group', uri: ALL_USERS }], permission: 'READ' }],
              owner: [{ id: 'owner-1' }],
            },
          ],
        }),
        tf('aws_s3_bucket_acl.b', { bucket: 'b', acl: 'authenticated-read' }),
        tf('aws_s3_account_public_access_block.acct', { block_public_acls: true, ignore_public_acls: true }),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'aws_s3_bucket.a').config.Acl, {
      Grants: [{ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' }],
    });
    assert.deepEqual(byId(inv, 'aws_s3_bucket.b').config.Acl, {
      Grants: [
        { Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' },
          Permission: 'READ',
        },
      ],
    });
    for (const id of ['aws_s3_bucket.a', 'aws_s3_bucket.b']) {
      assert.deepEqual(byId(inv, id).config.AccountPublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      });
    }
    assert.deepEqual(inv.unsupported, {});
  });

  it('normalises security group rules of every kind to one IpPermissions shape', () => {
    const inv = translateTerraform(
      [
        tf('aws_security_group.web', {
          id: 'sg-web',
          name: 'web',
          ingress: [
            { protocol: '6', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], description: 'ssh' },
            { protocol: 'all', from_port: 0, to_port: 0, self: true },
          ],
          egress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }],
        }),
        tf('aws_security_group_rule.rdp', {
          type: 'ingress',
          security_group_id: 'sg-web',
          protocol: 'tcp',
          from_port: 3389,
          to_port: 3389,
          ipv6_cidr_blocks: ['::/0'],
        }),
        tf('aws_security_group_rule.from_lb', {
          type: 'ingress',
          security_group_id: 'sg-web',
          protocol: 'tcp',
          from_port: 8080,
          to_port: 8080,
          source_security_group_id: 'sg-lb',
        }),
        tf('aws_security_group_rule.out', {
          type: 'egress',
          security_group_id: 'sg-web',
          protocol: 'udp',
          from_port: 53,
          to_port: 53,
          cidr_blocks: ['10.0.0.2/32'],
        }),
        tf('aws_vpc_security_group_ingress_rule.any', {
          security_group_id: 'sg-web',
          ip_protocol: '-1',
          cidr_ipv4: '10.0.0.0/8',
        }),
        tf('aws_vpc_security_group_ingress_rule.peer', {
          security_group_id: 'sg-web',
          ip_protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          referenced_security_group_id: 'sg-peer',
        }),
        // The same rule twice (inline and as a resource in state) counts once.
        tf('aws_security_group_rule.dup', {
          type: 'ingress',
          security_group_id: 'sg-web',
          protocol: 'tcp',
          from_port: 22,
          to_port: 22,
          cidr_blocks: ['0.0.0.0/0'],
          description: 'ssh',
        }),
      ],
      'terraform-hcl',
    );
    const sg = byId(inv, 'aws_security_group.web');
    const empty = { IpRanges: [], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] };
    assert.deepEqual(sg.config.IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        ...empty,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }],
      },
      { IpProtocol: '-1', ...empty, UserIdGroupPairs: [{ GroupId: 'sg-web' }] },
      { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, ...empty, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, ...empty, UserIdGroupPairs: [{ GroupId: 'sg-lb' }] },
      { IpProtocol: '-1', ...empty, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...empty, UserIdGroupPairs: [{ GroupId: 'sg-peer' }] },
    ]);
    assert.deepEqual(sg.config.IpPermissionsEgress, [
      { IpProtocol: '-1', ...empty, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      { IpProtocol: 'udp', FromPort: 53, ToPort: 53, ...empty, IpRanges: [{ CidrIp: '10.0.0.2/32' }] },
    ]);
    assert.equal(sg.config.Description, 'Managed by Terraform');
  });

  it('translates an instance without ever copying its user data', () => {
    const inv = translateTerraform(
      [
        tf('aws_instance.web', {
          ami: 'ami-1',
          instance_type: 't3.nano',
          user_data: '#!/bin/sh\necho user-data-secret',
          user_data_base64: 'dXNlci1kYXRhLXNlY3JldA==',
          security_groups: ['default'],
          associate_public_ip_address: true,
          availability_zone: 'us-east-2c',
          root_block_device: [{ encrypted: true, volume_size: 8 }],
          ebs_block_device: [{ device_name: '/dev/sdf', encrypted: false, volume_size: 100 }],
        }),
      ],
      'terraform-hcl',
    );
    const i = byId(inv, 'aws_instance.web');
    assert.equal(JSON.stringify(inv).includes('user-data-secret'), false);
    assert.equal(JSON.stringify(inv).includes('dXNlci1kYXRhLXNlY3JldA=='), false);
    assert.equal(i.region, 'us-east-2');
    assert.equal(i.name, 'aws_instance.web');
    assert.deepEqual(i.config, {
      ImageId: 'ami-1',
      InstanceType: 't3.nano',
      AssociatePublicIpAddress: true,
      SecurityGroups: [{ GroupName: 'default' }],
      MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      BlockDeviceMappings: [
        { Ebs: { Encrypted: true, VolumeSize: 8 } },
        { DeviceName: '/dev/sdf', Ebs: { Encrypted: false, VolumeSize: 100 } },
      ],
    });
  });

  it('assembles IAM identities from inline blocks and policy resources', () => {
    const inv = translateTerraform(
      [
        tf('aws_iam_role.r', {
          name: 'r',
          assume_role_policy: '{"Statement":[]}',
          managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
          inline_policy: [
            { name: 'inline', policy: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' },
            {},
          ],
        }),
        tf('aws_iam_role_policy.extra', { role: 'r', name: 'extra', policy: '{"Statement":[]}' }),
        tf('aws_iam_user.u', { name: 'u' }),
        tf('aws_iam_user.v', { name: 'v' }),
        tf('aws_iam_policy_attachment.shared', {
          name: 'shared',
          policy_arn: 'arn:aws:iam::111122223333:policy/shared',
          roles: ['r'],
          users: ['u', 'v'],
          groups: [],
        }),
        tf('aws_iam_user_group_membership.u', { user: 'u', groups: ['devs', 'ops'] }),
        tf('aws_iam_group_membership.admins', { name: 'admins', group: 'admins', users: ['v'] }),
        tf('aws_iam_access_key.u', {
          user: 'u',
          id: 'AKIAEXAMPLE',
          secret: 'access-key-secret',
          status: 'Inactive',
        }),
      ],
      'terraform-hcl',
    );
    const role = byId(inv, 'aws_iam_role.r');
    assert.deepEqual(role.config.AttachedManagedPolicies, [
      { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      { PolicyName: 'shared', PolicyArn: 'arn:aws:iam::111122223333:policy/shared' },
    ]);
    assert.deepEqual(role.config.RolePolicyList, [
      {
        PolicyName: 'inline',
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      },
      { PolicyName: 'extra', PolicyDocument: { Statement: [] } },
    ]);
    assert.equal(role.region, '');
    assert.deepEqual(byId(inv, 'aws_iam_user.u').config.GroupList, ['devs', 'ops']);
    assert.deepEqual(byId(inv, 'aws_iam_user.v').config.GroupList, ['admins']);
    assert.deepEqual(byId(inv, 'aws_iam_user.v').config.AttachedManagedPolicies, [
      { PolicyName: 'shared', PolicyArn: 'arn:aws:iam::111122223333:policy/shared' },
    ]);
    assert.deepEqual(byId(inv, 'aws_iam_user.u').config.AccessKeys, [
      { AccessKeyId: 'AKIAEXAMPLE', Status: 'Inactive' },
    ]);
    assert.deepEqual(byId(inv, 'aws_iam_access_key.u').config, {
      AccessKeyId: 'AKIAEXAMPLE',
      UserName: 'u',
      Status: 'Inactive',
    });
    assert.equal(JSON.stringify(inv).includes('access-key-secret'), false);
    assert.deepEqual(inv.unsupported, {});
  });

  it('writes out the cloud defaults of RDS, EBS, KMS, CloudTrail and load balancers', () => {
    const inv = translateTerraform(
      [
        tf('aws_db_instance.d', { identifier: 'd', engine: 'mysql', password: 'db-password-secret' }),
        tf('aws_rds_cluster.c', {
          cluster_identifier: 'c',
          engine: 'aurora-mysql',
          engine_mode: 'serverless',
        }),
        tf('aws_ebs_volume.v', { availability_zone: 'eu-west-1b', size: 10 }),
        tf('aws_kms_key.k', { description: 'k', is_enabled: false }),
        tf('aws_cloudtrail.t', { name: 't', s3_bucket_name: 'logs' }),
        tf('aws_lb.internal', {
          name: 'internal',
          internal: true,
          subnet_mapping: [{ subnet_id: 'subnet-1' }],
        }),
        tf('aws_cloudwatch_log_group.g', { name: '/g', retention_in_days: 0 }),
        tf('aws_elb.classic', {
          name: 'classic',
          listener: [{ lb_port: 80, lb_protocol: 'http', instance_port: 8080, instance_protocol: 'http' }],
          instances: ['i-1'],
        }),
      ],
      'terraform-hcl',
    );
    const db = byId(inv, 'aws_db_instance.d');
    assert.equal(db.config.StorageEncrypted, false);
    assert.equal(db.config.PubliclyAccessible, false);
    assert.equal(db.config.BackupRetentionPeriod, 1);
    assert.equal(JSON.stringify(inv).includes('db-password-secret'), false);
    assert.equal(byId(inv, 'aws_rds_cluster.c').config.StorageEncrypted, true);
    const vol = byId(inv, 'aws_ebs_volume.v');
    assert.equal(vol.config.Encrypted, false);
    assert.equal(vol.config.VolumeType, 'gp2');
    assert.equal(vol.region, 'eu-west-1');
    const key = byId(inv, 'aws_kms_key.k');
    assert.deepEqual(
      [key.config.KeyState, key.config.KeyRotationEnabled, key.config.KeySpec, key.config.KeyManager],
      ['Disabled', false, 'SYMMETRIC_DEFAULT', 'CUSTOMER'],
    );
    const trail = byId(inv, 'aws_cloudtrail.t');
    assert.equal(trail.config.IsMultiRegionTrail, false);
    assert.equal(trail.config.IncludeGlobalServiceEvents, true);
    assert.deepEqual(trail.config.Status, { IsLogging: true });
    const lb = byId(inv, 'aws_lb.internal');
    assert.equal(lb.config.Scheme, 'internal');
    assert.deepEqual(lb.config.AvailabilityZones, [{ SubnetId: 'subnet-1' }]);
    assert.deepEqual(byId(inv, 'aws_cloudwatch_log_group.g').config, {
      logGroupName: '/g',
      logGroupClass: 'STANDARD',
    });
    const classic = byId(inv, 'aws_elb.classic');
    assert.equal(classic.config.Scheme, 'internet-facing');
    assert.deepEqual(classic.config.ListenerDescriptions, [
      {
        Listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080 },
        PolicyNames: [],
      },
    ]);
    assert.deepEqual(classic.config.Instances, [{ InstanceId: 'i-1' }]);
  });

  it('redacts Lambda environment values but keeps their names', () => {
    const inv = translateTerraform(
      [
        tf('aws_lambda_function.f', {
          function_name: 'f',
          runtime: 'nodejs20.x',
          role: 'arn:aws:iam::1:role/f',
          environment: [{ variables: { DB_URL: 'postgres://u:lambda-secret@h/db', MODE: 'prod' } }],
        }),
      ],
      'terraform-hcl',
    );
    const f = byId(inv, 'aws_lambda_function.f');
    assert.deepEqual(f.config.Environment, { Variables: { DB_URL: '<redacted>', MODE: '<redacted>' } });
    assert.deepEqual(f.config.VpcConfig, { SubnetIds: [], SecurityGroupIds: [] });
    assert.equal(JSON.stringify(inv).includes('lambda-secret'), false);
  });

  it('scrubs HCL-provided sensitive paths, even ones that do not resolve', () => {
    const inv = translateTerraform(
      [
        tf(
          'aws_s3_bucket.b',
          { bucket: 'b', tags: { 'kubernetes.io/role': 'tag-secret-1', team: 'x' } },
          { sensitive: ['tags.kubernetes.io/role'] },
        ),
        tf(
          'aws_s3_bucket_policy.p',
          { bucket: 'b', policy: '{"S":"policy-secret-2"}' },
          { sensitive: ['policy.nested[0]'] },
        ),
      ],
      'terraform-hcl',
    );
    const text = JSON.stringify(inv);
    assert.equal(text.includes('tag-secret-1'), false);
    assert.equal(text.includes('policy-secret-2'), false);
    const b = byId(inv, 'aws_s3_bucket.b');
    assert.deepEqual(b.tags, { team: 'x' });
    assert.deepEqual(
      b.errors?.map((e) => e.path),
      ['Policy', 'Tags[0].Value'],
    );
  });

  it('records an unparsable policy document as an error, not as "no policy"', () => {
    const inv = translateTerraform(
      [tf('aws_iam_policy.p', { name: 'p', policy: '{not json' })],
      'terraform-hcl',
    );
    const p = byId(inv, 'aws_iam_policy.p');
    assert.equal('PolicyDocument' in p.config, false);
    assert.equal(p.errors?.[0]?.path, 'PolicyDocument');
    assert.equal(p.errors?.[0]?.code, 'invalid-json');
  });

  it('carries inline skips and the HCL line', () => {
    const inv = translateTerraform(
      [
        tf(
          'aws_ebs_volume.v',
          { size: 1 },
          { line: 12, skips: [{ policy: 'aws-ebs-volume-unencrypted', reason: 'scratch' }] },
        ),
      ],
      'terraform-hcl',
    );
    const v = byId(inv, 'aws_ebs_volume.v');
    assert.deepEqual(v.skips, [{ policy: 'aws-ebs-volume-unencrypted', reason: 'scratch' }]);
    assert.deepEqual(v.source, {
      kind: 'terraform-hcl',
      address: 'aws_ebs_volume.v',
      file: 'main.tf',
      line: 12,
    });
  });
});
