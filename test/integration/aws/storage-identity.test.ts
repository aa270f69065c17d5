import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Inventory } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { ec2Collector } from '../../../src/sources/aws/collectors/ec2/index.js';
import { iamCollector } from '../../../src/sources/aws/collectors/iam.js';
import { s3Collector } from '../../../src/sources/aws/collectors/s3.js';
import { demandFromPaths } from '../../../src/sources/aws/demand.js';
import { collectFull, collectWith } from '../../support/aws-collect.js';
import { startAwsProxy } from '../../support/aws-proxy.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

/**
 * S3 and IAM collectors against moto: each scenario is built with real API calls, collected through
 * the framework with the demand of the built-in policies, and scanned; the exact (policy, name,
 * status) rows are asserted, with a compliant twin next to each violation.
 */
let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const s3 = () => new S3Client(testClientConfig(moto.endpoint));
const iam = () => new IAMClient(testClientConfig(moto.endpoint));
const ACCOUNT = '123456789012';
const TRUST_EC2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function rows(inventory: Inventory, ids: string[]): string[] {
  const report = scanInventory(inventory, loadPolicies({ only: ids }));
  return report.results.map((r) => `${r.policy} ${r.resource.name} ${r.status}`).sort();
}

describe('S3 buckets on moto', () => {
  it('public by ACL and by policy fail; private with Block Public Access passes; the tagged exception is exempt', async () => {
    const c = s3();
    await c.send(new CreateBucketCommand({ Bucket: 'acl-public' }));
    await c.send(new PutBucketAclCommand({ Bucket: 'acl-public', ACL: 'public-read' }));
    await c.send(new CreateBucketCommand({ Bucket: 'policy-public' }));
    await c.send(
      new PutBucketPolicyCommand({
        Bucket: 'policy-public',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::policy-public/*',
            },
          ],
        }),
      }),
    );
    await c.send(new CreateBucketCommand({ Bucket: 'marketing' }));
    await c.send(new PutBucketAclCommand({ Bucket: 'marketing', ACL: 'public-read' }));
    await c.send(
      new PutBucketTaggingCommand({
        Bucket: 'marketing',
        Tagging: { TagSet: [{ Key: 'Content', Value: 'Marketing' }] },
      }),
    );
    await c.send(
      new CreateBucketCommand({
        Bucket: 'private-eu',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await c.send(new PutBucketAclCommand({ Bucket: 'private-eu', ACL: 'public-read' }));
    await c.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'private-eu',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );

    const inventory = await collectWith(moto.endpoint, [s3Collector], { regions: ['us-east-1'] });
    assert.deepEqual(rows(inventory, ['aws-s3-bucket-public']), [
      'aws-s3-bucket-public acl-public fail',
      'aws-s3-bucket-public marketing exempt',
      'aws-s3-bucket-public policy-public fail',
      'aws-s3-bucket-public private-eu pass',
    ]);
    const eu = inventory.resources.find((r) => r.name === 'private-eu');
    assert.equal(eu?.region, 'eu-west-1');
    assert.equal(eu?.id, 'arn:aws:s3:::private-eu');
    assert.deepEqual(eu?.config.Location, 'eu-west-1');
  });

  it('reads only what the loaded policies need: no logging, versioning or encryption calls for the public-bucket policy', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'one' }));
    const collection = await collectFull(moto.endpoint, [s3Collector], {
      regions: ['us-east-1'],
      demand: demandFromPaths({
        'aws.s3.bucket': loadPolicies({ only: ['aws-s3-bucket-public'] }).compiled[0]!.paths,
      }),
    });
    const s3Ops = collection.stats.operations
      .filter((o) => o.service === 's3')
      .map((o) => o.operation)
      .sort();
    // Tags are read because the policy's exception matches on a tag.
    assert.deepEqual(s3Ops, [
      'GetBucketAcl',
      'GetBucketLocation',
      'GetBucketPolicy',
      'GetBucketTagging',
      'GetPublicAccessBlock',
      'ListBuckets',
    ]);
    const bucket = collection.inventory.resources[0]!;
    assert.equal(bucket.config.Logging, undefined);
    assert.equal(bucket.config.Versioning, undefined);
  });

  it('collects every enrichment in the contract shape when everything is asked for', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'full' }));
    const inventory = await collectWith(moto.endpoint, [s3Collector], {
      regions: ['us-east-1'],
      needsAll: true,
    });
    const { config, errors } = inventory.resources[0]!;
    assert.equal(errors, undefined);
    assert.deepEqual(Object.keys(config).sort(), [
      'Acl',
      'Location',
      'Logging',
      'Name',
      'Tags',
      'Versioning',
    ]);
    assert.deepEqual(config.Logging, {});
    assert.deepEqual(config.Versioning, {});
    assert.deepEqual(config.Tags, []);
    assert.deepEqual(
      (config.Acl as { Grants: { Grantee: { Type: string }; Permission: string }[] }).Grants.map(
        (g) => `${g.Grantee.Type} ${g.Permission}`,
      ),
      ['CanonicalUser FULL_CONTROL'],
    );
  });
});

describe('IAM on moto', () => {
  it('console user without MFA fails, with MFA passes; API-only user passes', async () => {
    const c = iam();
    for (const name of ['no-mfa', 'with-mfa', 'api-only'])
      await c.send(new CreateUserCommand({ UserName: name }));
    await c.send(new CreateLoginProfileCommand({ UserName: 'no-mfa', Password: 'Correct-Horse-9' }));
    await c.send(new CreateLoginProfileCommand({ UserName: 'with-mfa', Password: 'Correct-Horse-9' }));
    const device = await c.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'with-mfa' }));
    await c.send(
      new EnableMFADeviceCommand({
        UserName: 'with-mfa',
        SerialNumber: device.VirtualMFADevice?.SerialNumber,
        AuthenticationCode1: '123456',
        AuthenticationCode2: '654321',
      }),
    );
    await c.send(new CreateAccessKeyCommand({ UserName: 'api-only' }));

    const inventory = await collectWith(moto.endpoint, [iamCollector], { regions: ['us-east-1'] });
    assert.deepEqual(rows(inventory, ['aws-iam-user-console-without-mfa', 'aws-iam-access-key-stale']), [
      'aws-iam-access-key-stale api-only pass',
      'aws-iam-access-key-stale no-mfa pass',
      'aws-iam-access-key-stale with-mfa pass',
      'aws-iam-user-console-without-mfa api-only pass',
      'aws-iam-user-console-without-mfa no-mfa fail',
      'aws-iam-user-console-without-mfa with-mfa pass',
    ]);
  });

  it('root: moto reports no MFA (fail) and no keys (pass); its report has no root row, so RootCredential is an error', async () => {
    const inventory = await collectWith(moto.endpoint, [iamCollector], {
      regions: ['us-east-1'],
      needsAll: true,
    });
    assert.deepEqual(rows(inventory, ['aws-iam-root-mfa-disabled', 'aws-iam-root-access-keys']), [
      `aws-iam-root-access-keys ${ACCOUNT} pass`,
      `aws-iam-root-mfa-disabled ${ACCOUNT} fail`,
    ]);
    const account = inventory.resources.find((r) => r.type === 'aws.iam.account');
    assert.equal(account?.id, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(account?.region, 'global');
    assert.equal(account?.config.PasswordPolicy, null);
    assert.deepEqual(account?.config.AccountAliases, []);
    assert.deepEqual(
      account?.errors?.map((e) => `${e.path} ${e.code}`),
      ['RootCredential not-in-report'],
    );
  });

  it('maps authorization details: parsed documents, local policy versions, instance profiles, access keys without secrets', async () => {
    const c = iam();
    await c.send(new CreateUserCommand({ UserName: 'dev', Tags: [{ Key: 'team', Value: 'web' }] }));
    await c.send(
      new PutUserPolicyCommand({
        UserName: 'dev',
        PolicyName: 'read-logs',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'logs:Get*',
              Resource: '*',
              Condition: { StringLike: { 'aws:UserAgent': '*a b&c*' } },
            },
          ],
        }),
      }),
    );
    const key = await c.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    await c.send(
      new CreatePolicyCommand({
        PolicyName: 'ops',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
        }),
      }),
    );
    await c.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST_EC2 }));
    await c.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-profile' }));
    await c.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'app' }),
    );

    const inventory = await collectWith(moto.endpoint, [iamCollector], {
      regions: ['us-east-1'],
      needsAll: true,
    });
    const byType = (t: string) => inventory.resources.filter((r) => r.type === t);
    const dev = byType('aws.iam.user')[0]!;
    assert.deepEqual(dev.tags, { team: 'web' });
    assert.deepEqual(dev.config.UserPolicyList, [
      {
        PolicyName: 'read-logs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'logs:Get*',
              Resource: '*',
              Condition: { StringLike: { 'aws:UserAgent': '*a b&c*' } },
            },
          ],
        },
      },
    ]);
    assert.deepEqual(
      (dev.config.AccessKeys as { AccessKeyId: string; Status: string }[]).map(
        (k) => `${k.AccessKeyId} ${k.Status}`,
      ),
      [`${key.AccessKey?.AccessKeyId} Active`],
    );
    const keys = byType('aws.iam.access-key');
    assert.deepEqual(
      keys.map((k) => [k.id, k.config.UserName, k.config.Status]),
      [[`arn:aws:iam::${ACCOUNT}:user/dev/access-key/${key.AccessKey?.AccessKeyId}`, 'dev', 'Active']],
    );
    assert.ok(!JSON.stringify(inventory).includes(String(key.AccessKey?.SecretAccessKey)));
    const ops = byType('aws.iam.policy').find((p) => p.name === 'ops');
    assert.deepEqual(ops?.config.PolicyDocument, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
    });
    const role = byType('aws.iam.role').find((r) => r.name === 'app');
    assert.deepEqual(role?.config.AssumeRolePolicyDocument, JSON.parse(TRUST_EC2));
    assert.deepEqual(
      byType('aws.iam.instance-profile').map((p) => [p.name, p.config.Roles]),
      [['app-profile', [{ RoleName: 'app', Arn: `arn:aws:iam::${ACCOUNT}:role/app` }]]],
    );
  });
});

describe('EC2 instance roles on moto (with the EC2 collector)', () => {
  it('an instance whose role has AdministratorAccess fails; one with ReadOnlyAccess passes', async () => {
    const c = iam();
    for (const [role, policy] of [
      ['admin', 'AdministratorAccess'],
      ['reader', 'ReadOnlyAccess'],
    ] as const) {
      await c.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TRUST_EC2 }));
      await c.send(
        new AttachRolePolicyCommand({ RoleName: role, PolicyArn: `arn:aws:iam::aws:policy/${policy}` }),
      );
      await c.send(new CreateInstanceProfileCommand({ InstanceProfileName: `${role}-profile` }));
      await c.send(
        new AddRoleToInstanceProfileCommand({ InstanceProfileName: `${role}-profile`, RoleName: role }),
      );
      await new EC2Client(testClientConfig(moto.endpoint)).send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          MinCount: 1,
          MaxCount: 1,
          IamInstanceProfile: { Name: `${role}-profile` },
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `${role}-box` }] }],
        }),
      );
    }
    const inventory = await collectWith(moto.endpoint, [ec2Collector, iamCollector], {
      regions: ['us-east-1'],
    });
    assert.deepEqual(rows(inventory, ['aws-ec2-instance-admin-role']), [
      'aws-ec2-instance-admin-role admin-box fail',
      'aws-ec2-instance-admin-role reader-box pass',
    ]);
  });
});

describe('denied reads on moto', () => {
  it('a denied bucket policy or credential report makes results error, never pass, and names the missing action', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'unreadable' }));
    await iam().send(new CreateUserCommand({ UserName: 'someone' }));
    const proxy = await startAwsProxy(moto.endpoint, (i) =>
      (i.service === 's3' && i.operation.endsWith('?policy')) || i.operation === 'GetCredentialReport'
        ? 'deny'
        : undefined,
    );
    try {
      const inventory = await collectWith(proxy.endpoint, [s3Collector, iamCollector], {
        regions: ['us-east-1'],
        maxAttempts: 2,
      });
      assert.deepEqual(rows(inventory, ['aws-s3-bucket-public', 'aws-iam-user-console-without-mfa']), [
        'aws-iam-user-console-without-mfa someone error',
        'aws-s3-bucket-public unreadable error',
      ]);
      const bucket = inventory.resources.find((r) => r.name === 'unreadable');
      assert.deepEqual(
        bucket?.errors?.map((e) => [e.path, e.code, /s3:GetBucketPolicy/.test(e.message)]),
        [['Policy', 'AccessDenied', true]],
      );
      const user = inventory.resources.find((r) => r.name === 'someone');
      assert.deepEqual(
        user?.errors?.map((e) => [e.path, e.code]),
        [['CredentialReport', 'AccessDenied']],
      );
    } finally {
      await proxy.stop();
    }
  });
});
