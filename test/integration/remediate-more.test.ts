import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateImageCommand,
  DescribeImageAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { loadSources } from '../../src/cli/source-options.js';
import { AwsExecutor } from '../../src/enforce/execute.js';
import { scanInventory } from '../../src/engine/scan.js';
import { loadPolicies } from '../../src/policy/load.js';
import { applySteps, type RemediationStep } from '../../src/remediate/run.js';
import { respondToFindings } from '../../src/remediate/watch.js';
import { listApprovals } from '../../src/store/approvals.js';
import { auditEntries } from '../../src/store/audit.js';
import { openStore } from '../../src/store/open.js';
import { runWardenAsync } from '../support/cli.js';
import { FAKE_CREDENTIALS, type Moto, startMoto, testClientConfig } from '../support/moto.js';

/**
 * The remaining modify actions on moto (stop, detach the admin policy, deactivate a stale key,
 * unshare an AMI and an RDS snapshot), `mode: ask` approvals, and the watch loop's entry point.
 */
const tmp = mkdtempSync(join(tmpdir(), 'warden-remediate-more-'));
const db = join(tmp, 'warden.db');
let moto: Moto;
let ec2: EC2Client;
let iam: IAMClient;

function warden(args: string[], extra: Record<string, string> = {}) {
  return runWardenAsync(args, {
    PATH: process.env.PATH,
    HOME: tmp,
    NO_COLOR: '1',
    WARDEN_USER: 'tester',
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    ...extra,
  });
}
const live = () => ['--aws', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1'];

async function apply(policy: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = await warden(
    ['remediate', ...live(), '--policy', policy, '--apply', '--db', db, '-f', 'json', ...extra],
    env,
  );
  return { code: r.code, stderr: r.stderr, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

function policyFile(name: string, lines: string[]): string {
  const file = join(tmp, name);
  writeFileSync(file, ['policies:', ...lines, ''].join('\n'));
  return file;
}

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint));
  iam = new IAMClient(testClientConfig(moto.endpoint));
});
after(async () => {
  ec2?.destroy();
  iam?.destroy();
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('more modify actions on moto', () => {
  it('detach-admin-policy is refused without --allow-iam-changes and detaches AdministratorAccess with it', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'rm-admin-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'rm-admin-role',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    const profile = await iam.send(
      new CreateInstanceProfileCommand({ InstanceProfileName: 'rm-admin-profile' }),
    );
    await iam.send(
      new AddRoleToInstanceProfileCommand({
        InstanceProfileName: 'rm-admin-profile',
        RoleName: 'rm-admin-role',
      }),
    );
    await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        IamInstanceProfile: { Arn: profile.InstanceProfile!.Arn },
      }),
    );
    const refused = await apply('aws-ec2-instance-admin-role');
    assert.equal(refused.code, 0, refused.stderr);
    assert.deepEqual(
      refused.report.steps.map((s: { status: string; reason: string }) => `${s.status}: ${s.reason}`),
      ['refused: IAM changes need --allow-iam-changes'],
    );
    const done = await apply('aws-ec2-instance-admin-role', ['--allow-iam-changes']);
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(done.report.steps[0].calls, [
      {
        service: 'iam',
        command: 'DetachRolePolicy',
        input: { RoleName: 'rm-admin-role', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        region: 'us-east-1',
      },
    ]);
    assert.equal(done.report.steps[0].verified, 'pass');
    const left = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'rm-admin-role' }));
    assert.deepEqual(left.AttachedPolicies, []);
  });

  it('stop: a running instance is stopped and re-read as stopped', async () => {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Stop', Value: 'yes' }] }],
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    const file = policyFile('stop.yaml', [
      '  - id: test-stop-tagged',
      '    resource: aws.ec2.instance',
      '    severity: low',
      '    title: Tagged instances must not run',
      '    filters:',
      "      - 'tag:Stop': 'yes'",
      '      - State.Name: running',
      '    actions:',
      '      - type: stop',
    ]);
    const r = await apply('test-stop-tagged', ['-p', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.report.steps.map((s: { resource: string; status: string; verified: string }) => [
        s.resource,
        s.status,
        s.verified,
      ]),
      [[`arn:aws:ec2:us-east-1:123456789012:instance/${id}`, 'applied', 'pass']],
    );
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    assert.match(String(d.Reservations![0]!.Instances![0]!.State!.Name), /^stop/);
  });

  it('deactivate-access-key: a key older than maxAgeDays (clock pinned) is deactivated', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'rm-stale' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'rm-stale' }));
    const later = { WARDEN_NOW: new Date(Date.now() + 200 * 86_400_000).toISOString() };
    const r = await apply('aws-iam-access-key-stale', ['--resource', 'rm-stale'], later);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.report.steps[0].calls, [
      {
        service: 'iam',
        command: 'UpdateAccessKey',
        input: { UserName: 'rm-stale', AccessKeyId: key.AccessKey!.AccessKeyId, Status: 'Inactive' },
        region: 'us-east-1',
      },
    ]);
    assert.equal(r.report.steps[0].verified, 'pass');
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'rm-stale' }));
    assert.deepEqual(
      keys.AccessKeyMetadata!.map((k) => k.Status),
      ['Inactive'],
    );
  });

  it('unshare: a public AMI and a public RDS snapshot become private', async () => {
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1 }),
    );
    const image = await ec2.send(
      new CreateImageCommand({ InstanceId: run.Instances![0]!.InstanceId!, Name: 'rm-public-ami' }),
    );
    await ec2.send(
      new ModifyImageAttributeCommand({
        ImageId: image.ImageId,
        LaunchPermission: { Add: [{ Group: 'all' }] },
      }),
    );
    const rds = new RDSClient(testClientConfig(moto.endpoint));
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'rm-db',
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        MasterUsername: 'admin',
        MasterUserPassword: 'not-a-secret-1',
        AllocatedStorage: 20,
      }),
    );
    await rds.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'rm-db', DBSnapshotIdentifier: 'rm-db-snap' }),
    );
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: 'rm-db-snap',
        AttributeName: 'restore',
        ValuesToAdd: ['all'],
      }),
    );
    for (const policy of ['aws-ami-public', 'aws-rds-snapshot-public']) {
      const r = await apply(policy);
      assert.equal(r.code, 0, `${policy}: ${r.stderr}`);
      assert.deepEqual(
        r.report.steps.map((s: { status: string; verified: string }) => `${s.status} ${s.verified}`),
        ['applied pass'],
        policy,
      );
    }
    const perms = await ec2.send(
      new DescribeImageAttributeCommand({ ImageId: image.ImageId, Attribute: 'launchPermission' }),
    );
    assert.deepEqual(perms.LaunchPermissions, []);
    const attrs = await rds.send(
      new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'rm-db-snap' }),
    );
    const restore = attrs.DBSnapshotAttributesResult!.DBSnapshotAttributes!.find(
      (a) => a.AttributeName === 'restore',
    );
    assert.deepEqual(restore?.AttributeValues ?? [], []);
    rds.destroy();
  });
});

describe('stopping at the first unexpected error', () => {
  it('a denied call fails its step, audits the error, and leaves the rest not run', async () => {
    process.env.AWS_ACCESS_KEY_ID ??= FAKE_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY ??= FAKE_CREDENTIALS.secretAccessKey;
    const good = await new KMSClient(testClientConfig(moto.endpoint)).send(new CreateKeyCommand({}));
    const step = (keyId: string): RemediationStep => ({
      resource: `key/${keyId}`,
      type: 'aws.kms.key',
      action: 'kms-enable-rotation',
      calls: [{ service: 'kms', command: 'EnableKeyRotation', input: { KeyId: keyId }, region: 'us-east-1' }],
      status: 'planned',
    });
    const steps = [step('00000000-0000-0000-0000-000000000000'), step(good.KeyMetadata!.KeyId!)];
    const store = await openStore(join(tmp, 'stop.db'));
    const executor = new AwsExecutor(moto.endpoint);
    try {
      const acted = await applySteps(steps, {
        policyId: 'p',
        who: 'tester',
        db: store.db,
        sender: executor,
        describeError: (e) => (e as Error).name,
      });
      assert.deepEqual([...acted], []);
      assert.deepEqual(
        steps.map((s) => `${s.status} ${s.reason ?? ''}`),
        ['failed NotFoundException', 'not-run '],
      );
      assert.deepEqual(
        (await auditEntries(store.db)).map((e) => `${e.resource} ${e.result}`),
        ['key/00000000-0000-0000-0000-000000000000 failed: NotFoundException'],
      );
    } finally {
      executor.close();
      await store.close();
    }
  });
});

describe('mode: ask and the watch loop', () => {
  const kms = () => new KMSClient(testClientConfig(moto.endpoint));
  const askFile = () =>
    policyFile('ask.yaml', [
      '  - id: test-rotation-ask',
      '    resource: aws.kms.key',
      '    severity: low',
      '    title: Rotation off (ask first)',
      '    mode: { type: ask }',
      '    filters:',
      '      - KeyRotationEnabled: false',
      '      - Description: rm-ask',
      '    actions:',
      '      - type: kms-enable-rotation',
    ]);

  it('--apply on an ask policy opens an approval; accept makes the exact calls, twice is refused', async () => {
    const key = await kms().send(new CreateKeyCommand({ Description: 'rm-ask' }));
    const file = askFile();
    const r = await apply('test-rotation-ask', ['-p', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.report.steps.map((s: { status: string; approval: number }) => [s.status, s.approval]),
      [['awaiting-approval', 1]],
    );
    assert.equal(
      (await kms().send(new GetKeyRotationStatusCommand({ KeyId: key.KeyMetadata!.KeyId })))
        .KeyRotationEnabled,
      false,
    );
    const again = await apply('test-rotation-ask', ['-p', file]);
    assert.equal(again.report.steps[0].approval, 1, 'one pending approval per resource');
    const list = JSON.parse((await warden(['approvals', 'list', '--db', db, '-f', 'json'])).stdout).approvals;
    assert.deepEqual(
      list.map((a: { id: number; status: string; policy: string; steps: { calls: unknown[] }[] }) => [
        a.id,
        a.status,
        a.policy,
        a.steps[0]!.calls,
      ]),
      [
        [
          1,
          'pending',
          'test-rotation-ask',
          [
            {
              service: 'kms',
              command: 'EnableKeyRotation',
              input: { KeyId: key.KeyMetadata!.KeyId },
              region: 'us-east-1',
            },
          ],
        ],
      ],
    );
    const accept = await warden(['approvals', 'accept', '1', '--endpoint-url', moto.endpoint, '--db', db]);
    assert.equal(accept.code, 0, accept.stderr);
    assert.equal(accept.stdout, 'approval 1 accepted: kms-enable-rotation: applied\n');
    assert.equal(
      (await kms().send(new GetKeyRotationStatusCommand({ KeyId: key.KeyMetadata!.KeyId })))
        .KeyRotationEnabled,
      true,
    );
    const twice = await warden(['approvals', 'accept', '1', '--endpoint-url', moto.endpoint, '--db', db]);
    assert.equal(twice.code, 2);
    assert.equal(twice.stderr, 'error: approval 1 is already accepted\n');
    assert.equal((await warden(['approvals', 'reject', '9', '--db', db])).stderr, 'error: no approval 9\n');
  });

  it('respondToFindings acts on mode: remediate policies and opens approvals for mode: ask', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    const auto = await kms().send(new CreateKeyCommand({ Description: 'rm-auto' }));
    const asked = await kms().send(new CreateKeyCommand({ Description: 'rm-ask' }));
    const autoFile = policyFile('auto.yaml', [
      '  - id: test-rotation-auto',
      '    resource: aws.kms.key',
      '    severity: low',
      '    title: Rotation off (fix at once)',
      '    mode: { type: remediate }',
      '    filters:',
      '      - KeyRotationEnabled: false',
      '      - Description: rm-auto',
      '    actions:',
      '      - type: kms-enable-rotation',
    ]);
    const policies = loadPolicies({ paths: [autoFile, askFile()], builtIn: false });
    const opts = { aws: true, endpointUrl: moto.endpoint, regions: ['us-east-1'] };
    const read = async () => (await loadSources([], opts, { policies: policies.compiled })).inventory;
    const inventory = await read();
    const scan = scanInventory(inventory, policies);
    const store = await openStore(join(tmp, 'watch.db'));
    const executor = new AwsExecutor(moto.endpoint);
    try {
      const out = await respondToFindings(inventory, scan.results, policies.compiled, {
        who: 'watch',
        now: new Date(),
        allowIamChanges: false,
        db: store.db,
        sender: executor,
        reread: read,
      });
      assert.deepEqual(out.skipped, []);
      assert.deepEqual(
        out.reports.map((r) => [r.policy, r.steps.map((s) => `${s.status} ${s.verified ?? s.approval}`)]),
        [
          ['test-rotation-auto', ['applied pass']],
          ['test-rotation-ask', ['awaiting-approval 1']],
        ],
      );
      assert.equal(
        (await kms().send(new GetKeyRotationStatusCommand({ KeyId: auto.KeyMetadata!.KeyId })))
          .KeyRotationEnabled,
        true,
      );
      assert.equal(
        (await kms().send(new GetKeyRotationStatusCommand({ KeyId: asked.KeyMetadata!.KeyId })))
          .KeyRotationEnabled,
        false,
      );
      assert.deepEqual(
        (await listApprovals(store.db, 'pending')).map((a) => a.resource),
        [asked.KeyMetadata!.Arn],
      );
      assert.deepEqual(
        (await auditEntries(store.db)).map((e) => `${e.who} ${e.action} ${e.result}`),
        [
          'watch remediate:test-rotation-auto:kms-enable-rotation ok',
          `watch verify:test-rotation-auto ${auto.KeyMetadata!.Arn}: pass`,
        ],
      );
    } finally {
      executor.close();
      await store.close();
      process.env = saved;
    }
  });
});
