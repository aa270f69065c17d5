import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { refreshIam } from '../../../src/sources/aws/collectors/iam/refresh.js';
import { iamCollector } from '../../../src/sources/aws/collectors/iam.js';
import { demandFromPolicies } from '../../../src/sources/aws/demand.js';
import { type AwsProxy, startAwsProxy } from '../../support/aws-proxy.js';
import { ACCOUNT, assertSameAsFull, calls, fullFor, reread, touchedBy } from '../../support/aws-refresh.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

const builtIn = demandFromPolicies(loadPolicies({ builtIn: true }).compiled);
let moto: Moto;
let iam: IAMClient;
const IAM = 'iam.amazonaws.com';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const DOC = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

before(async () => {
  moto = await startMoto();
  iam = new IAMClient(testClientConfig(moto.endpoint));
});
beforeEach(() => moto.reset());
after(async () => {
  iam?.destroy();
  await moto?.stop();
});

const env = () => ({ endpoint: moto.endpoint, collectors: [iamCollector] });
/**
 * The IAM collector without the probe page: the per-entity path a big account takes (moto answers
 * GetAccountAuthorizationDetails in one page whatever MaxItems says).
 */
const bigAccount = () => ({
  endpoint: moto.endpoint,
  collectors: [
    { ...iamCollector, refresh: (ctx, t) => refreshIam(ctx, t, { probeItems: 0 }) } as typeof iamCollector,
  ],
});

/** A role with a managed and an inline policy, carried by an instance profile; `aa-first` sorts before it. */
async function appRole(): Promise<string> {
  const policy = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'app-read', PolicyDocument: DOC('s3:Get*') }),
  );
  await iam.send(new CreateRoleCommand({ RoleName: 'aa-first', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new CreateRoleCommand({ RoleName: 'zz-app', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'zz-app', PolicyArn: policy.Policy!.Arn! }));
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'zz-app', PolicyName: 'inline', PolicyDocument: DOC('sqs:*') }),
  );
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-profile' }));
  await iam.send(
    new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'zz-app' }),
  );
  return policy.Policy!.Arn!;
}

describe('IAM targeted re-reads', () => {
  it('AttachRolePolicy: one GetAccountAuthorizationDetails page, the same role as a full collection', async () => {
    const policyArn = await appRole();
    const touched = touchedBy(IAM, 'AttachRolePolicy', {
      requestParameters: { roleName: 'zz-app', policyArn },
    });
    assert.deepEqual(
      touched.map((t) => [t.type, t.id]),
      [['aws.iam.role', roleArn('zz-app')]],
    );
    const out = await assertSameAsFull(env(), touched, [roleArn('zz-app')]);
    assert.deepEqual(calls(out), ['iam:GetAccountAuthorizationDetails=1']);
    assert.deepEqual(out.resources[0]!.config.AttachedManagedPolicies, [
      { PolicyName: 'app-read', PolicyArn: policyArn },
    ]);
  });

  it('on a big account reads the role on its own: GetRole, its policy lists and profiles', async () => {
    const policyArn = await appRole();
    const touched = touchedBy(IAM, 'PutRolePolicy', {
      requestParameters: { roleName: 'zz-app', policyName: 'inline' },
    });
    const out = await assertSameAsFull(bigAccount(), touched, [roleArn('zz-app')]);
    assert.deepEqual(calls(out), [
      'iam:GetRole=1',
      'iam:GetRolePolicy=1',
      'iam:ListAttachedRolePolicies=1',
      'iam:ListInstanceProfilesForRole=1',
      'iam:ListRolePolicies=1',
    ]);
    // Deleted: NoSuchEntity reads as gone, not as a failure.
    await iam.send(
      new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'zz-app' }),
    );
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'zz-app', PolicyArn: policyArn }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'zz-app', PolicyName: 'inline' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'zz-app' }));
    for (const e of [env(), bigAccount()]) {
      const gone = await reread(e, touched);
      assert.deepEqual([gone.resources, gone.failed], [[], []]);
    }
  });

  it('AddRoleToInstanceProfile: role and profile from one page; a profile without role reads as gone', async () => {
    await appRole();
    const touched = touchedBy(IAM, 'AddRoleToInstanceProfile', {
      requestParameters: { roleName: 'zz-app', instanceProfileName: 'app-profile' },
    });
    const profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/app-profile`;
    assert.deepEqual(
      touched.map((t) => t.id),
      [roleArn('zz-app'), profileArn],
    );
    const out = await assertSameAsFull(env(), touched, [roleArn('zz-app'), profileArn]);
    assert.deepEqual(calls(out), ['iam:GetAccountAuthorizationDetails=1']);
    const big = await assertSameAsFull(bigAccount(), touched, [roleArn('zz-app'), profileArn]);
    assert.ok(calls(big).includes('iam:GetInstanceProfile=1'), calls(big).join(' '));

    await iam.send(
      new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'zz-app' }),
    );
    for (const e of [env(), bigAccount()]) {
      const out2 = await reread(e, touched);
      assert.deepEqual(
        out2.resources.map((r) => r.type),
        ['aws.iam.role'],
      );
      assert.deepEqual(out2.resources[0]!.config.InstanceProfileList, []);
    }
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'app-profile' }));
  });

  it('CreatePolicyVersion: GetPolicy + GetPolicyVersion, the new default document; deleted reads as gone', async () => {
    const policyArn = await appRole();
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'zz-app', PolicyArn: policyArn }));
    await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: DOC('*'), SetAsDefault: true }),
    );
    const touched = touchedBy(IAM, 'CreatePolicyVersion', {
      requestParameters: { policyArn, setAsDefault: true },
    });
    // moto leaves PolicyId out of GetAccountAuthorizationDetails' Policies (AWS has it in both answers).
    const withoutId = (r: Resource) => {
      const { PolicyId: _, ...config } = r.config;
      return { ...r, config };
    };
    const out = await assertSameAsFull(env(), touched, [policyArn], withoutId);
    assert.match(String(out.resources[0]!.config.PolicyId), /^A/);
    assert.deepEqual(calls(out), ['iam:GetPolicy=1', 'iam:GetPolicyVersion=1']);
    assert.deepEqual((out.resources[0]!.config.PolicyDocument as { Statement: unknown[] }).Statement, [
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ]);
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: policyArn }));
    const gone = await reread(env(), touched);
    assert.deepEqual([gone.resources, gone.failed, calls(gone)], [[], [], ['iam:GetPolicy=1']]);
  });

  it('CreateAccessKey: the user (details, report row, keys, MFA, login profile) and its key, as a full collection', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'aa-first' }));
    await iam.send(new CreateUserCommand({ UserName: 'dev' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'dev' }));
    await iam.send(
      new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    );
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'own', PolicyDocument: DOC('iam:Get*') }),
    );
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    const keyId = key.AccessKey!.AccessKeyId!;
    const touched = touchedBy(IAM, 'CreateAccessKey', {
      requestParameters: { userName: 'dev' },
      responseElements: { accessKey: { userName: 'dev', accessKeyId: keyId, status: 'Active' } },
    });
    const keyArn = `${userArn('dev')}/access-key/${keyId}`;
    assert.deepEqual(
      touched.map((t) => t.id),
      [userArn('dev'), keyArn],
    );
    const out = await assertSameAsFull(env(), touched, [userArn('dev'), keyArn]);
    const user = out.resources.find((r) => r.type === 'aws.iam.user')!;
    assert.deepEqual([user.config.GroupList, (user.config.AccessKeys as unknown[]).length], [['devs'], 1]);
    const perUser = [
      'iam:GetAccessKeyLastUsed=1',
      'iam:GetCredentialReport=1',
      'iam:GetLoginProfile=1',
      'iam:ListAccessKeys=1',
      'iam:ListMFADevices=1',
    ];
    const generate = calls(out).filter((c) => c.startsWith('iam:GenerateCredentialReport='));
    assert.equal(generate.length, 1);
    assert.deepEqual(
      calls(out).filter((c) => !c.startsWith('iam:GenerateCredentialReport=')),
      [perUser[0], 'iam:GetAccountAuthorizationDetails=1', ...perUser.slice(1)],
    );
    const big = await assertSameAsFull(bigAccount(), touched, [userArn('dev'), keyArn]);
    assert.deepEqual(
      calls(big).filter((c) => !c.startsWith('iam:GenerateCredentialReport=')),
      [
        ...perUser.slice(0, 2),
        'iam:GetUser=1',
        'iam:GetUserPolicy=1',
        ...perUser.slice(2, 4),
        'iam:ListAttachedUserPolicies=1',
        'iam:ListGroupsForUser=1',
        perUser[4]!,
        'iam:ListUserPolicies=1',
      ].sort(),
    );

    // What `warden watch` reads with the built-in policies: the page and the credential report.
    const watched = await assertSameAsFull({ ...env(), demand: builtIn }, touched, [userArn('dev')]);
    assert.deepEqual(
      calls(watched).filter((c) => !c.startsWith('iam:GenerateCredentialReport=')),
      ['iam:GetAccountAuthorizationDetails=1', 'iam:GetCredentialReport=1'],
    );
    assert.equal(typeof (watched.resources[0]!.config.CredentialReport as { user: string }).user, 'string');

    // The key deleted: the user reads without it and the key reads as gone; then the user is gone too.
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'dev', AccessKeyId: keyId }));
    const deleted = touchedBy(IAM, 'DeleteAccessKey', {
      requestParameters: { userName: 'dev', accessKeyId: keyId },
    });
    const afterDelete = await reread(env(), deleted);
    assert.deepEqual(
      afterDelete.resources.map((r) => r.id),
      [userArn('dev')],
    );
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'dev' }));
    await iam.send(
      new DetachUserPolicyCommand({ UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    );
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'dev', PolicyName: 'own' }));
    await iam.send(new DeleteUserCommand({ UserName: 'dev' }));
    for (const e of [env(), bigAccount()]) {
      const gone = await reread(e, deleted);
      assert.deepEqual([gone.resources, gone.failed], [[], []]);
    }
  });

  describe('a big account: the probe page is truncated', () => {
    // moto answers GetAccountAuthorizationDetails in one page whatever MaxItems says; this loopback
    // stand-in answers the probe as AWS does on an account with more roles than the page holds
    // (IsTruncated, a Marker, the first role only), in IAM's query-protocol XML, and forwards the rest.
    let proxy: AwsProxy;
    const page = `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetAccountAuthorizationDetailsResult>
    <IsTruncated>true</IsTruncated>
    <Marker>bmV4dA==</Marker>
    <UserDetailList/><GroupDetailList/><Policies/>
    <RoleDetailList>
      <member>
        <RoleName>aa-first</RoleName><RoleId>AROAEXAMPLEFIRST0001</RoleId><Path>/</Path>
        <Arn>arn:aws:iam::${ACCOUNT}:role/aa-first</Arn><CreateDate>2026-11-23T10:00:00Z</CreateDate>
        <AssumeRolePolicyDocument>${encodeURIComponent(TRUST)}</AssumeRolePolicyDocument>
        <InstanceProfileList/><RolePolicyList/><AttachedManagedPolicies/><Tags/>
      </member>
    </RoleDetailList>
  </GetAccountAuthorizationDetailsResult>
  <ResponseMetadata><RequestId>5a1e0000-0000-4000-8000-000000000001</RequestId></ResponseMetadata>
</GetAccountAuthorizationDetailsResponse>`;
    before(async () => {
      proxy = await startAwsProxy(moto.endpoint, (i) =>
        i.service === 'iam' &&
        i.operation === 'GetAccountAuthorizationDetails' &&
        i.params.get('MaxItems') === '100'
          ? { status: 200, headers: { 'content-type': 'text/xml' }, body: page }
          : undefined,
      );
    });
    after(() => proxy?.stop());

    it('uses a touched role found in the page (1 call) and reads one not in it on its own', async () => {
      await appRole();
      const viaProxy = { endpoint: proxy.endpoint, collectors: [iamCollector] };
      const first = touchedBy(IAM, 'UpdateAssumeRolePolicy', { requestParameters: { roleName: 'aa-first' } });
      const inPage = await reread(viaProxy, first);
      assert.deepEqual(
        [inPage.resources.map((r) => r.config.RoleId), calls(inPage)],
        [['AROAEXAMPLEFIRST0001'], ['iam:GetAccountAuthorizationDetails=1']],
      );
      const app = touchedBy(IAM, 'PutRolePolicy', {
        requestParameters: { roleName: 'zz-app', policyName: 'inline' },
      });
      const out = await reread(viaProxy, app);
      assert.deepEqual(out.failed, []);
      assert.deepEqual(calls(out), [
        'iam:GetAccountAuthorizationDetails=1',
        'iam:GetRole=1',
        'iam:GetRolePolicy=1',
        'iam:ListAttachedRolePolicies=1',
        'iam:ListInstanceProfilesForRole=1',
        'iam:ListRolePolicies=1',
      ]);
      // The per-entity read is the full collection's role (collected from moto directly).
      assert.deepEqual(out.resources, await fullFor(env(), [roleArn('zz-app')]));
      // Not in the page and gone: NoSuchEntity from GetRole, absent, not failed.
      const ghost = touchedBy(IAM, 'DeleteRolePolicy', { requestParameters: { roleName: 'no-such-role' } });
      const gone = await reread(viaProxy, ghost);
      assert.deepEqual([gone.resources, gone.failed], [[], []]);
    });
  });

  describe('denied', () => {
    let proxy: AwsProxy;
    before(async () => {
      proxy = await startAwsProxy(moto.endpoint, (i) =>
        i.service === 'iam' && i.operation === 'GetAccountAuthorizationDetails' ? 'deny' : undefined,
      );
    });
    after(() => proxy?.stop());

    it('a denied re-read is a failure for each touched resource, never an absence', async () => {
      await appRole();
      const touched = touchedBy(IAM, 'AddRoleToInstanceProfile', {
        requestParameters: { roleName: 'zz-app', instanceProfileName: 'app-profile' },
      });
      const out = await reread({ endpoint: proxy.endpoint, collectors: [iamCollector] }, touched);
      assert.deepEqual(out.resources, []);
      assert.deepEqual(
        out.failed.map((f) => [f.touched.type, f.code]),
        [
          ['aws.iam.role', 'AccessDenied'],
          ['aws.iam.instance-profile', 'AccessDenied'],
        ],
      );
      await iam.send(new CreateUserCommand({ UserName: 'dev' }));
      const keyTouched = touchedBy(IAM, 'CreateAccessKey', {
        requestParameters: { userName: 'dev' },
        responseElements: {
          accessKey: { userName: 'dev', accessKeyId: 'AKIAEXAMPLE000000001', status: 'Active' },
        },
      });
      const keys = await reread({ endpoint: proxy.endpoint, collectors: [iamCollector] }, keyTouched);
      assert.deepEqual(
        keys.failed.map((f) => [f.touched.type, f.code]),
        [
          ['aws.iam.user', 'AccessDenied'],
          ['aws.iam.access-key', 'AccessDenied'],
        ],
      );
    });
  });
});
