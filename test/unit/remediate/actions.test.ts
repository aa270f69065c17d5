import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadPolicies } from '../../../src/policy/load.js';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import type { ActionContext } from '../../../src/remediate/actions/types.js';
import { InputError } from '../../../src/util/errors.js';
import { resource } from '../../helpers/resources.js';

const ctx = (over: Partial<ActionContext> = {}): ActionContext => ({
  params: {},
  now: new Date('2026-11-23T00:00:00Z'),
  allowIamChanges: false,
  ...over,
});

function plan(type: string, r: ReturnType<typeof resource>, raw: Record<string, unknown> = {}, c = ctx()) {
  const action = ACTIONS.get(type)!;
  const options = (action.options as never as { parse(v: unknown): never }).parse({ type, ...raw });
  return action.plan(r, options, c);
}

const sg = resource(
  'aws.ec2.security-group',
  {
    GroupId: 'sg-1',
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
      },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ],
  },
  { region: 'eu-west-1' },
);

describe('modify actions plan exact calls', () => {
  it('remove-permissions revokes only the world sources of admin-port rules', () => {
    assert.deepEqual(plan('remove-permissions', sg, { ingress: 'matched' }), {
      calls: [
        {
          service: 'ec2',
          command: 'RevokeSecurityGroupIngress',
          input: {
            GroupId: 'sg-1',
            IpPermissions: [
              {
                IpProtocol: 'tcp',
                FromPort: 22,
                ToPort: 22,
                IpRanges: [{ CidrIp: '0.0.0.0/0' }],
                Ipv6Ranges: [{ CidrIpv6: '::/0' }],
              },
            ],
          },
          region: 'eu-west-1',
        },
      ],
    });
  });

  it('remove-permissions with narrow-to: allowedCidrs re-admits the port from the allowed ranges', () => {
    const p = plan(
      'remove-permissions',
      sg,
      { ingress: 'matched', 'narrow-to': 'allowedCidrs' },
      ctx({ params: { allowedCidrs: ['203.0.113.0/24'] } }),
    );
    assert.ok('calls' in p);
    assert.deepEqual(p.calls[1], {
      service: 'ec2',
      command: 'AuthorizeSecurityGroupIngress',
      input: {
        GroupId: 'sg-1',
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24' }] },
        ],
      },
      region: 'eu-west-1',
    });
  });

  it('bucket actions: block public access, drop public grants, drop public statements, encryption', () => {
    const bucket = resource(
      'aws.s3.bucket',
      {
        Name: 'b1',
        Acl: {
          Owner: { ID: 'owner' },
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' },
            {
              Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
              Permission: 'READ',
            },
          ],
        },
        Policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Public',
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b1/*',
            },
            {
              Sid: 'Vpc',
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b1/*',
              Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
            },
          ],
        },
      },
      { region: 'us-east-2' },
    );
    assert.deepEqual(plan('s3-block-public-access', bucket), {
      calls: [
        {
          service: 's3',
          command: 'PutPublicAccessBlock',
          input: {
            Bucket: 'b1',
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            },
          },
          region: 'us-east-2',
        },
      ],
    });
    assert.deepEqual(plan('s3-remove-public-acl', bucket), {
      calls: [
        {
          service: 's3',
          command: 'PutBucketAcl',
          input: {
            Bucket: 'b1',
            AccessControlPolicy: {
              Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' }],
              Owner: { ID: 'owner' },
            },
          },
          region: 'us-east-2',
        },
      ],
    });
    const stmts = plan('s3-remove-public-statements', bucket);
    assert.ok('calls' in stmts);
    assert.equal(stmts.calls[0]!.command, 'PutBucketPolicy');
    assert.deepEqual(
      JSON.parse(String(stmts.calls[0]!.input.Policy)).Statement.map((s: { Sid: string }) => s.Sid),
      ['Vpc'],
    );
    assert.deepEqual(plan('s3-enable-encryption', bucket, { algorithm: 'aws:kms', 'kms-key': 'alias/k' }), {
      calls: [
        {
          service: 's3',
          command: 'PutBucketEncryption',
          input: {
            Bucket: 'b1',
            ServerSideEncryptionConfiguration: {
              Rules: [
                {
                  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/k' },
                  BucketKeyEnabled: true,
                },
              ],
            },
          },
          region: 'us-east-2',
        },
      ],
    });
    const only = resource('aws.s3.bucket', {
      Name: 'b2',
      Policy: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' } }] },
    });
    assert.deepEqual(plan('s3-remove-public-statements', only), {
      calls: [{ service: 's3', command: 'DeleteBucketPolicy', input: { Bucket: 'b2' }, region: 'us-east-1' }],
    });
  });

  it('unshare removes "all" from snapshots and images and nothing else', () => {
    const snap = resource('aws.ec2.snapshot', {
      SnapshotId: 'snap-1',
      CreateVolumePermissions: [{ Group: 'all' }, { UserId: '111122223333' }],
    });
    assert.deepEqual(plan('unshare', snap), {
      calls: [
        {
          service: 'ec2',
          command: 'ModifySnapshotAttribute',
          input: {
            SnapshotId: 'snap-1',
            Attribute: 'createVolumePermission',
            OperationType: 'remove',
            GroupNames: ['all'],
          },
          region: 'us-east-1',
        },
      ],
    });
    const ami = resource('aws.ec2.image', {
      ImageId: 'ami-1',
      Public: true,
      LaunchPermissions: [{ Group: 'all' }],
    });
    assert.deepEqual(plan('unshare', ami), {
      calls: [
        {
          service: 'ec2',
          command: 'ModifyImageAttribute',
          input: { ImageId: 'ami-1', LaunchPermission: { Remove: [{ Group: 'all' }] } },
          region: 'us-east-1',
        },
      ],
    });
    const rds = resource('aws.rds.snapshot', {
      DBSnapshotIdentifier: 'db-snap',
      Attributes: [{ AttributeName: 'restore', AttributeValues: ['all', '111122223333'] }],
    });
    assert.deepEqual(plan('unshare', rds), {
      calls: [
        {
          service: 'rds',
          command: 'ModifyDBSnapshotAttribute',
          input: { DBSnapshotIdentifier: 'db-snap', AttributeName: 'restore', ValuesToRemove: ['all'] },
          region: 'us-east-1',
        },
      ],
    });
    assert.deepEqual(
      plan('unshare', resource('aws.ec2.snapshot', { SnapshotId: 's', CreateVolumePermissions: [] })),
      {
        refused: 'the snapshot is not public',
      },
    );
  });

  it('deactivate-access-key deactivates only active keys older than maxAgeDays', () => {
    const user = resource('aws.iam.user', {
      UserName: 'alice',
      AccessKeys: [
        { AccessKeyId: 'AKIAOLD', Status: 'Active', CreateDate: '2026-01-01T00:00:00Z' },
        { AccessKeyId: 'AKIANEW', Status: 'Active', CreateDate: '2026-11-01T00:00:00Z' },
        { AccessKeyId: 'AKIAOFF', Status: 'Inactive', CreateDate: '2025-01-01T00:00:00Z' },
      ],
    });
    assert.deepEqual(plan('deactivate-access-key', user, {}, ctx({ params: { maxAgeDays: 90 } })), {
      calls: [
        {
          service: 'iam',
          command: 'UpdateAccessKey',
          input: { UserName: 'alice', AccessKeyId: 'AKIAOLD', Status: 'Inactive' },
          region: 'us-east-1',
        },
      ],
    });
  });

  it('detach-admin-policy needs --allow-iam-changes; stop and terminate', () => {
    const inst = resource(
      'aws.ec2.instance',
      {
        InstanceId: 'i-1',
        State: { Name: 'running' },
        IamInstanceProfile: {
          Roles: [
            {
              RoleName: 'app',
              AttachedManagedPolicies: [
                {
                  PolicyName: 'AdministratorAccess',
                  PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
                },
                { PolicyName: 'ReadOnly', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
              ],
            },
          ],
        },
      },
      { region: 'eu-west-1' },
    );
    assert.deepEqual(plan('detach-admin-policy', inst), { refused: 'IAM changes need --allow-iam-changes' });
    assert.deepEqual(plan('detach-admin-policy', inst, {}, ctx({ allowIamChanges: true })), {
      calls: [
        {
          service: 'iam',
          command: 'DetachRolePolicy',
          input: { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          region: 'us-east-1',
        },
      ],
    });
    assert.deepEqual(plan('stop', inst), {
      calls: [
        { service: 'ec2', command: 'StopInstances', input: { InstanceIds: ['i-1'] }, region: 'eu-west-1' },
      ],
    });
    assert.deepEqual(plan('terminate', inst), {
      calls: [
        {
          service: 'ec2',
          command: 'TerminateInstances',
          input: { InstanceIds: ['i-1'] },
          region: 'eu-west-1',
        },
      ],
    });
    assert.deepEqual(plan('terminate', { ...inst, tags: { 'warden:protected': 'true' } }), {
      refused: 'protected (warden:protected=true)',
    });
  });
});

describe('actions in policy files are validated with file:line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-actions-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const policy = (actions: string) =>
    [
      'policies:',
      '  - id: my-kms',
      '    resource: aws.kms.key',
      '    severity: low',
      '    title: t',
      '    filters:',
      '      - KeyRotationEnabled: false',
      '    actions:',
      actions,
    ].join('\n');
  const load = (text: string) => {
    const file = join(dir, 'p.yaml');
    writeFileSync(file, text);
    try {
      loadPolicies({ paths: [file], builtIn: false });
      return 'loaded';
    } catch (err) {
      assert.ok(err instanceof InputError);
      return `${err.line}:${err.column}: ${err.message}`;
    }
  };

  it('accepts a known action and rejects unknown types, wrong resource types and bad options', () => {
    assert.equal(load(policy('      - type: kms-enable-rotation')), 'loaded');
    assert.equal(
      load(policy('      - type: kms-enable-rotaton')),
      '9:15: unknown action "kms-enable-rotaton"; did you mean "kms-enable-rotation"? (actions: remove-permissions, s3-block-public-access, s3-remove-public-acl, s3-remove-public-statements, s3-enable-encryption, kms-enable-rotation, unshare, stop, detach-admin-policy, deactivate-access-key, terminate, redeploy)',
    );
    assert.equal(
      load(policy('      - type: stop')),
      '9:15: action "stop" does not apply to aws.kms.key (it applies to aws.ec2.instance)',
    );
    assert.equal(
      load(policy('      - type: kms-enable-rotation\n        force: true')),
      '10:9: unknown option "force" for action kms-enable-rotation',
    );
    assert.equal(
      load(
        policy(
          '      - type: redeploy\n        pipeline: infra\n        inputs: { key: "${resource.secret}" }',
        ),
      ),
      '11:24: unknown placeholder ${resource.secret} (known: resource.name, resource.id, resource.type, resource.account, resource.region, policy, fingerprint, unique)',
    );
  });

  it('every built-in policy action is valid', () => {
    const set = loadPolicies();
    const withActions = set.definitions.filter((d) => d.actions.length > 0).map((d) => d.id);
    assert.deepEqual(withActions.sort(), [
      'aws-ami-public',
      'aws-ebs-snapshot-public',
      'aws-ec2-instance-admin-role',
      'aws-ec2-sg-admin-ports-open',
      'aws-iam-access-key-stale',
      'aws-kms-key-rotation-disabled',
      'aws-rds-snapshot-public',
      'aws-s3-bucket-public',
    ]);
  });
});
