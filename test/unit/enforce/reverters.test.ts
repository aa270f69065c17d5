import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffInventories } from '../../../src/drift/diff.js';
import { loadDriftRules } from '../../../src/drift/rules.js';
import { enforceDrift } from '../../../src/enforce/enforce.js';
import type { Resource } from '../../../src/model/resource.js';
import type { EnforcementState } from '../../../src/store/enforcement.js';
import { resource } from '../../helpers/resources.js';

const rules = loadDriftRules();
const ACTIVE: EnforcementState = { paused: false, reason: null, until: null, by: null, updatedAt: null };

async function plan(baseline: Resource[], current: Resource[], state = ACTIVE) {
  const drift = diffInventories(baseline, current, rules);
  return enforceDrift(
    drift,
    new Map(baseline.map((r) => [r.id, r])),
    new Map(current.map((r) => [r.id, r])),
    { apply: false, state, who: 'test' },
  );
}

const at = { account: '111122223333', region: 'eu-west-1' };

function sg(ingress: unknown[], egress: unknown[] = [], description = 'web') {
  return resource(
    'aws.ec2.security-group',
    {
      GroupId: 'sg-0abc',
      GroupName: 'web',
      Description: description,
      IpPermissions: ingress,
      IpPermissionsEgress: egress,
    },
    { id: 'sg-0abc', name: 'web', ...at },
  );
}

function bucket(config: Record<string, unknown>) {
  return resource(
    'aws.s3.bucket',
    { Name: 'acme-data', ...config },
    { id: 'arn:aws:s3:::acme-data', name: 'acme-data', ...at },
  );
}

describe('revert plans', () => {
  it('security group: revokes rules that appeared and authorises rules that went, per direction', async () => {
    const https = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    const all = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    const summary = await plan(
      [sg([https], [all])],
      [
        sg(
          [
            {
              IpProtocol: 'tcp',
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: '0.0.0.0/0' }],
              Ipv6Ranges: [{ CidrIpv6: '::/0' }],
            },
          ],
          [all],
          'changed by hand',
        ),
      ],
    );
    assert.equal(summary.mode, 'dry-run');
    assert.deepEqual(summary.reverts, [
      {
        resource: 'sg-0abc',
        type: 'aws.ec2.security-group',
        status: 'planned',
        calls: [
          {
            service: 'ec2',
            command: 'RevokeSecurityGroupIngress',
            region: 'eu-west-1',
            input: {
              GroupId: 'sg-0abc',
              IpPermissions: [
                { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
                { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
              ],
            },
          },
          {
            service: 'ec2',
            command: 'AuthorizeSecurityGroupIngress',
            region: 'eu-west-1',
            input: {
              GroupId: 'sg-0abc',
              IpPermissions: [
                { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
              ],
            },
          },
        ],
      },
    ]);
    assert.deepEqual(summary.notEnforceable, [
      {
        resource: 'sg-0abc',
        type: 'aws.ec2.security-group',
        paths: ['Description'],
        reason: 'not revertible',
      },
    ]);
  });

  it('security group egress uses the egress calls', async () => {
    const summary = await plan(
      [sg([], [])],
      [sg([], [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, UserIdGroupPairs: [{ GroupId: 'sg-2' }] }])],
    );
    assert.deepEqual(
      summary.reverts[0]!.calls.map((c) => [c.command, c.input]),
      [
        [
          'RevokeSecurityGroupEgress',
          {
            GroupId: 'sg-0abc',
            IpPermissions: [
              { IpProtocol: 'udp', FromPort: 53, ToPort: 53, UserIdGroupPairs: [{ GroupId: 'sg-2' }] },
            ],
          },
        ],
      ],
    );
  });

  it('bucket: restores Block Public Access, policy, encryption and a canned ACL from the baseline', async () => {
    const owner = { Grantee: { Type: 'CanonicalUser', ID: 'owner-id' }, Permission: 'FULL_CONTROL' };
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*' }],
    };
    const pab = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    };
    const sse = {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' } }],
    };
    const summary = await plan(
      [
        bucket({
          Acl: { Grants: [owner] },
          Policy: policy,
          PublicAccessBlockConfiguration: pab,
          ServerSideEncryptionConfiguration: sse,
          Versioning: { Status: 'Enabled' },
        }),
      ],
      [
        bucket({
          Acl: {
            Grants: [
              owner,
              {
                Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
                Permission: 'READ',
              },
            ],
          },
          Policy: {
            ...policy,
            Statement: [
              ...policy.Statement,
              { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' },
            ],
          },
          PublicAccessBlockConfiguration: { ...pab, BlockPublicPolicy: false },
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
          Versioning: { Status: 'Suspended' },
        }),
      ],
    );
    assert.deepEqual(
      summary.reverts[0]!.calls.map((c) => [c.service, c.command, c.input, c.region]),
      [
        [
          's3',
          'PutPublicAccessBlock',
          { Bucket: 'acme-data', PublicAccessBlockConfiguration: pab },
          'eu-west-1',
        ],
        ['s3', 'PutBucketAcl', { Bucket: 'acme-data', ACL: 'private' }, 'eu-west-1'],
        ['s3', 'PutBucketPolicy', { Bucket: 'acme-data', Policy: JSON.stringify(policy) }, 'eu-west-1'],
        [
          's3',
          'PutBucketEncryption',
          { Bucket: 'acme-data', ServerSideEncryptionConfiguration: sse },
          'eu-west-1',
        ],
      ],
    );
    assert.deepEqual(
      summary.notEnforceable.map((n) => [n.paths, n.reason]),
      [[['Versioning.Status'], 'not revertible']],
    );
  });

  it('bucket: deletes a policy or a Block Public Access the baseline did not have; keeps custom grants', async () => {
    const grants = [
      { Grantee: { Type: 'CanonicalUser', ID: 'owner-id' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'CanonicalUser', ID: 'partner' }, Permission: 'READ' },
    ];
    const summary = await plan(
      [bucket({ Acl: { Grants: grants } })],
      [
        bucket({
          Acl: { Grants: grants.slice(0, 1) },
          Policy: { Statement: [] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true },
        }),
      ],
    );
    assert.deepEqual(
      summary.reverts[0]!.calls.map((c) => [c.command, c.input]),
      [
        ['DeletePublicAccessBlock', { Bucket: 'acme-data' }],
        [
          'PutBucketAcl',
          { Bucket: 'acme-data', AccessControlPolicy: { Grants: grants, Owner: { ID: 'owner-id' } } },
        ],
        ['DeleteBucketPolicy', { Bucket: 'acme-data' }],
      ],
    );
  });

  it('KMS rotation, EBS and RDS snapshot sharing', async () => {
    const key = (on: boolean) =>
      resource('aws.kms.key', { KeyId: 'key-1', KeyRotationEnabled: on }, { id: 'key-1', ...at });
    const ebs = (perms: unknown[]) =>
      resource(
        'aws.ec2.snapshot',
        { SnapshotId: 'snap-1', CreateVolumePermissions: perms },
        { id: 'snap-1', ...at },
      );
    const rds = (values: string[]) =>
      resource(
        'aws.rds.snapshot',
        {
          DBSnapshotIdentifier: 'db-snap',
          Attributes: [{ AttributeName: 'restore', AttributeValues: values }],
        },
        { id: 'db-snap', ...at },
      );
    const summary = await plan(
      [key(true), ebs([{ UserId: '444455556666' }]), rds(['444455556666'])],
      [key(false), ebs([{ Group: 'all' }]), rds(['all', '777788889999'])],
    );
    assert.deepEqual(
      summary.reverts.map((r) => r.calls.map((c) => [c.service, c.command, c.input])),
      [
        [
          [
            'rds',
            'ModifyDBSnapshotAttribute',
            {
              DBSnapshotIdentifier: 'db-snap',
              AttributeName: 'restore',
              ValuesToAdd: ['444455556666'],
              ValuesToRemove: ['all', '777788889999'],
            },
          ],
        ],
        [['kms', 'EnableKeyRotation', { KeyId: 'key-1' }]],
        [
          [
            'ec2',
            'ModifySnapshotAttribute',
            {
              SnapshotId: 'snap-1',
              Attribute: 'createVolumePermission',
              OperationType: 'remove',
              GroupNames: ['all'],
            },
          ],
          [
            'ec2',
            'ModifySnapshotAttribute',
            {
              SnapshotId: 'snap-1',
              Attribute: 'createVolumePermission',
              OperationType: 'add',
              UserIds: ['444455556666'],
            },
          ],
        ],
      ],
    );
    const off = await plan([key(false)], [key(true)]);
    assert.deepEqual(
      off.reverts[0]!.calls.map((c) => c.command),
      ['DisableKeyRotation'],
    );
  });

  it('reports other types, added and removed resources as not enforceable', async () => {
    const vol = (enc: boolean) =>
      resource('aws.ec2.volume', { VolumeId: 'vol-1', Encrypted: enc }, { id: 'vol-1' });
    const extra = resource('aws.ec2.vpc', { VpcId: 'vpc-1' }, { id: 'vpc-1' });
    const gone = resource('aws.ec2.vpc', { VpcId: 'vpc-2' }, { id: 'vpc-2' });
    const summary = await plan([vol(true), gone], [vol(false), extra]);
    assert.deepEqual(summary.reverts, []);
    assert.deepEqual(summary.notEnforceable, [
      { resource: 'vpc-1', type: 'aws.ec2.vpc', paths: [], reason: 'added outside the baseline' },
      { resource: 'vpc-2', type: 'aws.ec2.vpc', paths: [], reason: 'removed since the baseline' },
      {
        resource: 'vol-1',
        type: 'aws.ec2.volume',
        paths: ['Encrypted'],
        reason: 'no reverter for this type',
      },
    ]);
  });

  it('plans nothing while enforcement is paused', async () => {
    const key = (on: boolean) =>
      resource('aws.kms.key', { KeyId: 'key-1', KeyRotationEnabled: on }, { id: 'key-1' });
    const paused = {
      paused: true,
      reason: 'deploy 123',
      until: '2026-01-01T00:30:00.000Z',
      by: 'ana',
      updatedAt: null,
    };
    const summary = await plan([key(true)], [key(false)], paused);
    assert.deepEqual(summary, {
      mode: 'paused',
      paused: { reason: 'deploy 123', until: '2026-01-01T00:30:00.000Z', by: 'ana' },
      reverts: [],
      notEnforceable: [],
    });
  });
});
