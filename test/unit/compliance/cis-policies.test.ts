import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { live, runPolicy } from '../../helpers/live.js';

/**
 * Every policy of packs/cis-aws-v3 on live-shaped inventories: a failing and a passing case, with the
 * exact status of every resource the policy evaluates.
 */
const account = (config: Record<string, unknown>) =>
  live('aws.iam.account', 'acct', { AccountId: '111122223333', ...config }, { region: 'global' });
const region = (name: string, config: Record<string, unknown>) =>
  live('aws.account.region', name, { RegionName: name, ...config }, { region: name });
const user = (name: string, config: Record<string, unknown>) =>
  live('aws.iam.user', name, { UserName: name, AttachedManagedPolicies: [], UserPolicyList: [], ...config });
const bucket = (name: string, config: Record<string, unknown>) =>
  live('aws.s3.bucket', name, { Name: name, Versioning: {}, Logging: {}, ...config });
const trail = (name: string, config: Record<string, unknown>) =>
  live('aws.cloudtrail.trail', name, {
    Name: name,
    IsMultiRegionTrail: true,
    Status: { IsLogging: true },
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }],
    AdvancedEventSelectors: [],
    LogFileValidationEnabled: true,
    ...config,
  });
const instance = (name: string, config: Record<string, unknown>) =>
  live('aws.ec2.instance', name, { InstanceId: name, State: { Name: 'running' }, ...config });
const BPA = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const recorder = (recording: boolean, lastStatus: string, allSupported = true) => ({
  name: 'default',
  recordingGroup: { allSupported, includeGlobalResourceTypes: true },
  Status: { recording, lastStatus },
});
const tlsPolicy = (name: string) => ({
  Statement: [
    {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:*'],
      Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
      Condition: { Bool: { 'aws:SecureTransport': false } },
    },
  ],
});
const rule = (n: number, action: string, cidr: string, ports?: [number, number], protocol = '6') => ({
  RuleNumber: n,
  Protocol: protocol,
  RuleAction: action,
  Egress: false,
  CidrBlock: cidr,
  ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
});

interface Case {
  id: string;
  fail: Resource[];
  failExpected: string[];
  pass: Resource[];
  passExpected: string[];
}

const CASES: Case[] = [
  {
    id: 'aws-iam-security-contact-missing',
    fail: [account({ AlternateContacts: {} })],
    failExpected: ['acct fail'],
    pass: [account({ AlternateContacts: { SECURITY: { present: true } } })],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-iam-root-hardware-mfa-missing',
    fail: [
      {
        ...account({ SummaryMap: { AccountMFAEnabled: 0 }, VirtualMFADevices: [] }),
        name: 'nomfa',
        id: 'a1',
      },
      {
        ...account({
          SummaryMap: { AccountMFAEnabled: 1 },
          VirtualMFADevices: [{ SerialNumber: 'arn:aws:iam::111122223333:mfa/root-account-mfa-device' }],
        }),
        name: 'virtual',
        id: 'a2',
      },
      {
        ...account({
          SummaryMap: { AccountMFAEnabled: 1 },
          VirtualMFADevices: [
            {
              SerialNumber: 'arn:aws:iam::111122223333:mfa/phone',
              User: { Arn: 'arn:aws:iam::111122223333:root' },
            },
          ],
        }),
        name: 'assigned',
        id: 'a3',
      },
      { ...account({ SummaryMap: { AccountMFAEnabled: 1 } }), name: 'uncollected', id: 'a4' },
    ],
    failExpected: ['nomfa fail', 'virtual fail', 'assigned fail', 'uncollected fail'],
    pass: [
      account({
        SummaryMap: { AccountMFAEnabled: 1 },
        VirtualMFADevices: [
          {
            SerialNumber: 'arn:aws:iam::111122223333:mfa/alice',
            User: { Arn: 'arn:aws:iam::111122223333:user/alice' },
          },
        ],
      }),
    ],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-iam-root-recently-used',
    fail: [
      {
        ...account({ RootCredential: { password_last_used: '2026-11-01T10:00:00Z' } }),
        name: 'console',
        id: 'a1',
      },
      {
        ...account({
          RootCredential: { password_last_used: null, access_key_2_last_used_date: '2026-09-01T00:00:00Z' },
        }),
        name: 'key',
        id: 'a2',
      },
    ],
    failExpected: ['console fail', 'key fail'],
    pass: [
      account({
        RootCredential: {
          password_last_used: '2026-08-01T00:00:00Z',
          access_key_1_last_used_date: null,
          access_key_2_last_used_date: null,
        },
      }),
    ],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-iam-password-min-length',
    fail: [
      account({ PasswordPolicy: { MinimumPasswordLength: 13 } }),
      { ...account({ PasswordPolicy: null }), name: 'nopolicy', id: 'x' },
    ],
    failExpected: ['acct fail', 'nopolicy fail'],
    pass: [account({ PasswordPolicy: { MinimumPasswordLength: 14 } })],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-iam-password-reuse',
    fail: [account({ PasswordPolicy: { MinimumPasswordLength: 14, PasswordReusePrevention: 5 } })],
    failExpected: ['acct fail'],
    pass: [account({ PasswordPolicy: { PasswordReusePrevention: 24 } })],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-iam-user-two-active-keys',
    fail: [
      user('alice', { CredentialReport: { access_key_1_active: true, access_key_2_active: true } }),
      user('carol', {
        AccessKeys: [
          { AccessKeyId: 'AKIA1', Status: 'Active' },
          { AccessKeyId: 'AKIA2', Status: 'Active' },
        ],
      }),
    ],
    failExpected: ['alice fail', 'carol fail'],
    pass: [
      user('bob', { CredentialReport: { access_key_1_active: true, access_key_2_active: false } }),
      user('dave', {
        AccessKeys: [
          { AccessKeyId: 'AKIA3', Status: 'Active' },
          { AccessKeyId: 'AKIA4', Status: 'Inactive' },
        ],
      }),
    ],
    passExpected: ['bob pass', 'dave pass'],
  },
  {
    id: 'aws-iam-user-direct-policies',
    fail: [
      user('alice', {
        AttachedManagedPolicies: [{ PolicyName: 'X', PolicyArn: 'arn:aws:iam::aws:policy/X' }],
      }),
      user('carol', { UserPolicyList: [{ PolicyName: 'inline', PolicyDocument: { Statement: [] } }] }),
    ],
    failExpected: ['alice fail', 'carol fail'],
    pass: [user('bob', { GroupList: ['dev'] })],
    passExpected: ['bob pass'],
  },
  {
    id: 'aws-iam-policy-full-admin-attached',
    fail: [
      live('aws.iam.policy', 'all', {
        PolicyName: 'all',
        AttachmentCount: 2,
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: '*' }] },
      }),
    ],
    failExpected: ['all fail'],
    pass: [
      live('aws.iam.policy', 'unattached', {
        PolicyName: 'unattached',
        AttachmentCount: 0,
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      }),
      live('aws.iam.policy', 'scoped', {
        PolicyName: 'scoped',
        AttachmentCount: 1,
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
      }),
    ],
    passExpected: ['unattached pass', 'scoped pass'],
  },
  {
    id: 'aws-iam-support-role-missing',
    fail: [
      account({}),
      live('aws.iam.role', 'ops', {
        AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      }),
      // A support role in another account does not count.
      live(
        'aws.iam.role',
        'elsewhere',
        { AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }] },
        { account: '999988887777' },
      ),
    ],
    failExpected: ['acct fail'],
    pass: [
      account({}),
      live('aws.iam.role', 'support', {
        AttachedManagedPolicies: [{ PolicyArn: 'arn:aws-us-gov:iam::aws:policy/AWSSupportAccess' }],
      }),
    ],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-ec2-instance-no-profile',
    fail: [instance('i-1', {}), instance('i-2', { IamInstanceProfile: {} })],
    failExpected: ['i-1 fail', 'i-2 fail'],
    pass: [
      instance('i-3', { IamInstanceProfile: { Arn: 'arn:aws:iam::1:instance-profile/x' } }),
      instance('i-4', { State: { Name: 'terminated' } }),
    ],
    passExpected: ['i-3 pass', 'i-4 pass'],
  },
  {
    id: 'aws-iam-server-certificate-expired',
    fail: [live('aws.iam.server-certificate', 'old', { Expiration: '2026-11-22T23:00:00Z' })],
    failExpected: ['old fail'],
    pass: [live('aws.iam.server-certificate', 'new', { Expiration: '2027-01-01T00:00:00Z' })],
    passExpected: ['new pass'],
  },
  {
    id: 'aws-iam-access-analyzer-disabled',
    fail: [
      region('eu-west-1', { AccessAnalyzers: [] }),
      region('eu-west-2', { AccessAnalyzers: [{ name: 'a', status: 'DISABLED', type: 'ACCOUNT' }] }),
    ],
    failExpected: ['eu-west-1 fail', 'eu-west-2 fail'],
    pass: [region('us-east-1', { AccessAnalyzers: [{ name: 'a', status: 'ACTIVE', type: 'ORGANIZATION' }] })],
    passExpected: ['us-east-1 pass'],
  },
  {
    id: 'aws-iam-cloudshell-full-access',
    fail: [
      live('aws.iam.group', 'devs', {
        AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AWSCloudShellFullAccess' }],
      }),
    ],
    failExpected: ['devs fail'],
    pass: [
      user('bob', { AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] }),
    ],
    passExpected: ['bob pass'],
  },
  {
    id: 'aws-s3-bucket-allows-http',
    fail: [
      bucket('nopolicy', {}),
      bucket('allowonly', {
        Policy: {
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::allowonly/*' },
          ],
        },
      }),
      // Denying only the objects leaves bucket-level calls over HTTP allowed.
      bucket('objectsonly', {
        Policy: {
          Statement: [{ ...tlsPolicy('objectsonly').Statement[0], Resource: 'arn:aws:s3:::objectsonly/*' }],
        },
      }),
    ],
    failExpected: ['nopolicy fail', 'allowonly fail', 'objectsonly fail'],
    pass: [bucket('secure', { Policy: tlsPolicy('secure') })],
    passExpected: ['secure pass'],
  },
  {
    id: 'aws-s3-bucket-mfa-delete-disabled',
    fail: [
      bucket('plain', {}),
      bucket('versioned', { Versioning: { Status: 'Enabled', MFADelete: 'Disabled' } }),
    ],
    failExpected: ['plain fail', 'versioned fail'],
    pass: [bucket('mfa', { Versioning: { Status: 'Enabled', MFADelete: 'Enabled' } })],
    passExpected: ['mfa pass'],
  },
  {
    id: 'aws-s3-bucket-block-public-access-incomplete',
    fail: [
      bucket('none', {}),
      bucket('partial', {
        PublicAccessBlockConfiguration: { ...BPA, RestrictPublicBuckets: false },
        AccountPublicAccessBlockConfiguration: { ...BPA, RestrictPublicBuckets: false },
      }),
    ],
    failExpected: ['none fail', 'partial fail'],
    pass: [
      bucket('own', { PublicAccessBlockConfiguration: BPA }),
      bucket('mixed', {
        PublicAccessBlockConfiguration: { ...BPA, BlockPublicPolicy: false },
        AccountPublicAccessBlockConfiguration: { ...BPA, IgnorePublicAcls: false },
      }),
    ],
    passExpected: ['own pass', 'mixed pass'],
  },
  {
    id: 'aws-ebs-default-encryption-disabled',
    fail: [region('eu-west-1', { EbsEncryptionByDefault: false })],
    failExpected: ['eu-west-1 fail'],
    pass: [region('us-east-1', { EbsEncryptionByDefault: true })],
    passExpected: ['us-east-1 pass'],
  },
  {
    id: 'aws-rds-auto-minor-upgrade-disabled',
    fail: [live('aws.rds.instance', 'db1', { AutoMinorVersionUpgrade: false })],
    failExpected: ['db1 fail'],
    pass: [live('aws.rds.instance', 'db2', { AutoMinorVersionUpgrade: true })],
    passExpected: ['db2 pass'],
  },
  {
    id: 'aws-efs-not-encrypted',
    fail: [live('aws.efs.file-system', 'fs-1', { FileSystemId: 'fs-1', Encrypted: false })],
    failExpected: ['fs-1 fail'],
    pass: [
      live('aws.efs.file-system', 'fs-2', {
        FileSystemId: 'fs-2',
        Encrypted: true,
        KmsKeyId: 'arn:aws:kms:us-east-1:1:key/k',
      }),
    ],
    passExpected: ['fs-2 pass'],
  },
  {
    id: 'aws-cloudtrail-not-enabled-all-regions',
    fail: [
      account({}),
      trail('regional', { IsMultiRegionTrail: false }),
      trail('stopped', { Status: { IsLogging: false } }),
      trail('writes', { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }),
    ],
    failExpected: ['acct fail'],
    pass: [
      account({}),
      trail('advanced', {
        EventSelectors: [],
        AdvancedEventSelectors: [
          { Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        ],
      }),
    ],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-cloudtrail-log-validation-disabled',
    fail: [trail('t1', { LogFileValidationEnabled: false })],
    failExpected: ['t1 fail'],
    pass: [trail('t2', {})],
    passExpected: ['t2 pass'],
  },
  {
    id: 'aws-config-not-recording',
    fail: [
      region('r-none', { ConfigurationRecorders: [] }),
      region('r-stopped', { ConfigurationRecorders: [recorder(false, 'SUCCESS')] }),
      region('r-failing', { ConfigurationRecorders: [recorder(true, 'FAILURE')] }),
      region('r-partial', { ConfigurationRecorders: [recorder(true, 'SUCCESS', false)] }),
    ],
    failExpected: ['r-none fail', 'r-stopped fail', 'r-failing fail', 'r-partial fail'],
    pass: [region('r-ok', { ConfigurationRecorders: [recorder(true, 'SUCCESS')] })],
    passExpected: ['r-ok pass'],
  },
  {
    id: 'aws-config-global-resources-not-recorded',
    fail: [
      account({}),
      region('us-east-1', {
        ConfigurationRecorders: [
          {
            ...recorder(true, 'SUCCESS'),
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
          },
        ],
      }),
      region('eu-west-1', { ConfigurationRecorders: [] }),
    ],
    failExpected: ['acct fail'],
    pass: [
      account({}),
      region('us-east-1', {
        ConfigurationRecorders: [
          {
            ...recorder(true, 'SUCCESS'),
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
          },
        ],
      }),
      region('eu-west-1', { ConfigurationRecorders: [recorder(true, 'SUCCESS')] }),
    ],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-cloudtrail-bucket-access-logging-disabled',
    fail: [trail('t1', { S3BucketName: 'logs' }), bucket('logs', { Logging: {} })],
    failExpected: ['t1 fail'],
    pass: [
      trail('t2', { S3BucketName: 'logs2' }),
      bucket('logs2', { Logging: { LoggingEnabled: { TargetBucket: 'access', TargetPrefix: 'x/' } } }),
      bucket('other', {}),
    ],
    passExpected: ['t2 pass'],
  },
  {
    id: 'aws-cloudtrail-not-kms-encrypted',
    fail: [trail('t1', {})],
    failExpected: ['t1 fail'],
    pass: [trail('t2', { KmsKeyId: 'arn:aws:kms:us-east-1:1:key/k' })],
    passExpected: ['t2 pass'],
  },
  {
    id: 'aws-cloudtrail-s3-write-events-off',
    fail: [
      account({}),
      trail('reads', {
        EventSelectors: [
          { ReadWriteType: 'ReadOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
        ],
      }),
      trail('onebucket', {
        EventSelectors: [
          { ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/'] }] },
        ],
      }),
    ],
    failExpected: ['acct fail'],
    pass: [
      account({}),
      trail('adv', {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      }),
    ],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-cloudtrail-s3-read-events-off',
    fail: [
      account({}),
      trail('writes', {
        EventSelectors: [
          {
            ReadWriteType: 'WriteOnly',
            DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
          },
        ],
      }),
    ],
    failExpected: ['acct fail'],
    pass: [
      account({}),
      trail('all', {
        EventSelectors: [
          { ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::'] }] },
        ],
      }),
    ],
    passExpected: ['acct pass'],
  },
  {
    id: 'aws-securityhub-disabled',
    fail: [region('eu-west-1', { SecurityHub: { Enabled: false } }), region('eu-west-2', {})],
    failExpected: ['eu-west-1 fail', 'eu-west-2 fail'],
    pass: [
      region('us-east-1', {
        SecurityHub: { Enabled: true, HubArn: 'arn:aws:securityhub:us-east-1:1:hub/default' },
      }),
    ],
    passExpected: ['us-east-1 pass'],
  },
  {
    id: 'aws-ec2-nacl-admin-ports-open',
    fail: [
      live('aws.ec2.network-acl', 'acl-rdp', {
        Entries: [rule(50, 'deny', '0.0.0.0/0', [22, 22]), rule(100, 'allow', '0.0.0.0/0', undefined, '-1')],
      }),
      live('aws.ec2.network-acl', 'acl-v6', {
        Entries: [
          {
            RuleNumber: 10,
            Protocol: '6',
            RuleAction: 'allow',
            Egress: false,
            Ipv6CidrBlock: '::/0',
            PortRange: { From: 0, To: 65535 },
          },
        ],
      }),
    ],
    failExpected: ['acl-rdp fail', 'acl-v6 fail'],
    pass: [
      live('aws.ec2.network-acl', 'acl-denied', {
        Entries: [
          rule(10, 'deny', '0.0.0.0/0', [0, 1024]),
          rule(20, 'deny', '0.0.0.0/0', [3389, 3389]),
          rule(100, 'allow', '0.0.0.0/0', undefined, '-1'),
          { ...rule(100, 'allow', '0.0.0.0/0', undefined, '-1'), Egress: true },
        ],
      }),
      live('aws.ec2.network-acl', 'acl-internal', {
        Entries: [
          rule(10, 'allow', '10.0.0.0/8', [22, 22]),
          rule(32767, 'deny', '0.0.0.0/0', undefined, '-1'),
        ],
      }),
    ],
    passExpected: ['acl-denied pass', 'acl-internal pass'],
  },
  {
    id: 'aws-ec2-default-sg-allows-traffic',
    fail: [
      live('aws.ec2.security-group', 'default', {
        GroupName: 'default',
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    ],
    failExpected: ['default fail'],
    pass: [
      live('aws.ec2.security-group', 'default', {
        GroupName: 'default',
        IpPermissions: [],
        IpPermissionsEgress: [],
      }),
      live('aws.ec2.security-group', 'web', {
        GroupName: 'web',
        IpPermissions: [{ IpProtocol: '-1' }],
        IpPermissionsEgress: [],
      }),
    ],
    passExpected: ['default pass', 'web pass'],
  },
  {
    id: 'aws-ec2-instance-imdsv1',
    fail: [instance('i-1', { MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' } })],
    failExpected: ['i-1 fail'],
    pass: [
      instance('i-2', { MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' } }),
      instance('i-3', { MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'disabled' } }),
      instance('i-4', {
        State: { Name: 'terminated' },
        MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      }),
    ],
    passExpected: ['i-2 pass', 'i-3 pass', 'i-4 pass'],
  },
];

describe('CIS AWS v3.0 pack', () => {
  for (const c of CASES) {
    it(`${c.id}: failing case`, () => assert.deepEqual(runPolicy(c.id, c.fail), c.failExpected));
    it(`${c.id}: passing case`, () => assert.deepEqual(runPolicy(c.id, c.pass), c.passExpected));
  }

  it('every policy of the pack has a case here or in cloudwatch-chain.test.ts', () => {
    const pack = loadPolicies({ packs: ['cis-aws-v3'] }).definitions.map((d) => d.id);
    const covered = new Set([
      ...CASES.map((c) => c.id),
      ...pack.filter((id) => id.startsWith('aws-cloudwatch-no-alarm-')),
    ]);
    assert.deepEqual(
      pack.filter((id) => !covered.has(id)),
      [],
    );
    assert.equal(pack.length, 46);
  });

  it('an unreadable path is an error, never a pass', () => {
    const r = live(
      'aws.s3.bucket',
      'hidden',
      { Name: 'hidden' },
      { errors: [{ path: 'Policy', code: 'AccessDenied', message: 'denied' }] },
    );
    assert.deepEqual(runPolicy('aws-s3-bucket-allows-http', [r]), ['hidden error']);
    const region1 = region('r1', {});
    region1.errors = [{ path: 'ConfigurationRecorders', code: 'AccessDenied', message: 'denied' }];
    assert.deepEqual(runPolicy('aws-config-not-recording', [region1]), ['r1 error']);
  });
});
