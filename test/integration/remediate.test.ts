import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CreateKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runWardenAsync } from '../support/cli.js';
import { FAKE_CREDENTIALS, type Moto, startMoto, testClientConfig } from '../support/moto.js';

/**
 * `warden remediate` (the built CLI) against moto: each modify action takes a resource from failing
 * to passing (scan → remediate --apply → re-read → pass), terminate is refused without --confirm and
 * on protected resources, and every action lands in the audit log.
 */
const tmp = mkdtempSync(join(tmpdir(), 'warden-remediate-'));
const db = join(tmp, 'warden.db');
let moto: Moto;
let ec2: EC2Client;

function warden(args: string[]) {
  return runWardenAsync(args, {
    PATH: process.env.PATH,
    HOME: tmp,
    NO_COLOR: '1',
    WARDEN_USER: 'tester',
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
  });
}
const live = () => ['--aws', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1'];

async function verdicts(policy: string, extra: string[] = []): Promise<Record<string, string>> {
  const r = await warden(['scan', ...live(), '--policy', policy, '--no-store', '--format', 'json', ...extra]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { results: { resource: { id: string }; status: string }[] };
  return Object.fromEntries(doc.results.map((x) => [x.resource.id, x.status]));
}

before(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(testClientConfig(moto.endpoint));
});
after(async () => {
  ec2?.destroy();
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('warden remediate on moto', () => {
  let keyArn = '';
  let keyId = '';
  const kms = () => new KMSClient(testClientConfig(moto.endpoint));

  it('dry run (the default) prints the exact calls and changes nothing', async () => {
    const created = await kms().send(new CreateKeyCommand({ Description: 'no rotation' }));
    keyArn = created.KeyMetadata!.Arn!;
    keyId = created.KeyMetadata!.KeyId!;
    const r = await warden([
      'remediate',
      ...live(),
      '--policy',
      'aws-kms-key-rotation-disabled',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      kind: 'warden-remediation',
      policy: 'aws-kms-key-rotation-disabled',
      mode: 'dry-run',
      steps: [
        {
          resource: keyArn,
          type: 'aws.kms.key',
          action: 'kms-enable-rotation',
          calls: [
            { service: 'kms', command: 'EnableKeyRotation', input: { KeyId: keyId }, region: 'us-east-1' },
          ],
          status: 'planned',
        },
      ],
      skipped: [],
      resolved: 0,
    });
    const table = await warden([
      'remediate',
      ...live(),
      '--policy',
      'aws-kms-key-rotation-disabled',
      '-f',
      'table',
    ]);
    assert.equal(
      table.stdout,
      [
        'remediate aws-kms-key-rotation-disabled: dry run, no call made (--apply makes them)',
        `${keyArn}  kms-enable-rotation`,
        `  kms EnableKeyRotation us-east-1 {"KeyId":"${keyId}"}`,
        '1 resource: 1 planned, 0 refused, 0 skipped',
        '',
      ].join('\n'),
    );
    const status = await kms().send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, false);
  });

  it('--apply enables rotation, re-reads the key, resolves the stored finding and audits before and after', async () => {
    const scan = await warden([
      'scan',
      ...live(),
      '--policy',
      'aws-kms-key-rotation-disabled',
      '--db',
      db,
      '-f',
      'json',
    ]);
    assert.equal(scan.code, 1, scan.stderr);
    const r = await warden([
      'remediate',
      ...live(),
      '--policy',
      'aws-kms-key-rotation-disabled',
      '--apply',
      '--actor',
      'alice',
      '--db',
      db,
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.steps[0].status, 'applied');
    assert.equal(report.steps[0].verified, 'pass');
    assert.equal(report.resolved, 1);
    assert.equal(
      (await kms().send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled,
      true,
    );
    const findings = JSON.parse(
      (await warden(['findings', '--db', db, '--policy', 'aws-kms-key-rotation-disabled', '-f', 'json']))
        .stdout,
    ).findings as { status: string }[];
    assert.deepEqual(
      findings.map((f) => f.status),
      ['resolved'],
    );
    const audit = JSON.parse((await warden(['audit', '--db', db, '--format', 'json'])).stdout) as Record<
      string,
      unknown
    >[];
    assert.deepEqual(
      audit.map(({ at, ...rest }) => {
        assert.match(String(at), /^\d{4}-\d\d-\d\dT/);
        return rest;
      }),
      [
        {
          id: 1,
          who: 'alice',
          action: 'remediate:aws-kms-key-rotation-disabled:kms-enable-rotation',
          resource: keyArn,
          calls: [
            { service: 'kms', command: 'EnableKeyRotation', input: { KeyId: keyId }, region: 'us-east-1' },
          ],
          result: 'ok',
        },
        {
          id: 2,
          who: 'alice',
          action: 'verify:aws-kms-key-rotation-disabled',
          resource: keyArn,
          calls: [],
          result: `${keyArn}: pass`,
        },
      ],
    );
  });

  it('security group, bucket and snapshot actions each take a failing resource to passing', async () => {
    const sg = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'rm-ssh-open', Description: 'rm' }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg.GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.1.0.0/16' }],
          },
        ],
      }),
    );
    const s3 = new S3Client(testClientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'rm-public-bucket' }));
    await s3.send(new PutBucketAclCommand({ Bucket: 'rm-public-bucket', ACL: 'public-read' }));
    const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
    const snap = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId }));
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snap.SnapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        GroupNames: ['all'],
      }),
    );
    const cases: [string, (id: string) => boolean][] = [
      ['aws-ec2-sg-admin-ports-open', (id) => id.endsWith(sg.GroupId!)],
      ['aws-s3-bucket-public', (id) => id.endsWith(':rm-public-bucket')],
      ['aws-ebs-snapshot-public', (id) => id.endsWith(snap.SnapshotId!)],
    ];
    for (const [policy, mine] of cases) {
      const before = Object.entries(await verdicts(policy)).filter(([id]) => mine(id));
      assert.deepEqual(
        before.map(([, s]) => s),
        ['fail'],
        `${policy} before`,
      );
      const r = await warden([
        'remediate',
        ...live(),
        '--policy',
        policy,
        '--apply',
        '--db',
        db,
        '-f',
        'json',
      ]);
      assert.equal(r.code, 0, `${policy}: ${r.stderr}${r.stdout}`);
      const after = Object.entries(await verdicts(policy)).filter(([id]) => mine(id));
      assert.deepEqual(
        after.map(([, s]) => s),
        ['pass'],
        `${policy} after`,
      );
    }
    // Only the world source was revoked; the private range stays.
    const group = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] }));
    assert.deepEqual(
      group.SecurityGroups![0]!.IpPermissions!.flatMap((p) =>
        p.IpRanges!.map((x) => `${p.FromPort} ${x.CidrIp}`),
      ),
      ['22 10.1.0.0/16'],
    );
    const bpa = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'rm-public-bucket' }));
    assert.deepEqual(bpa.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const perms = await ec2.send(
      new DescribeSnapshotAttributeCommand({
        SnapshotId: snap.SnapshotId,
        Attribute: 'createVolumePermission',
      }),
    );
    assert.deepEqual(perms.CreateVolumePermissions, []);
    s3.destroy();
  });

  it('terminate needs --apply and --confirm, never touches protected resources, caps with --max-resources', async () => {
    const make = async (name: string, tags: Record<string, string>) => {
      const v = await ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: 'us-east-1a',
          Size: 1,
          TagSpecifications: [
            {
              ResourceType: 'volume',
              Tags: Object.entries({ Name: name, Purpose: 'doomed', ...tags }).map(([Key, Value]) => ({
                Key,
                Value,
              })),
            },
          ],
        }),
      );
      return v.VolumeId!;
    };
    const keep = await make('rm-protected', { 'warden:protected': 'true' });
    const a = await make('rm-doomed-a', {});
    const b = await make('rm-doomed-b', {});
    const policyFile = join(tmp, 'terminate.yaml');
    writeFileSync(
      policyFile,
      [
        'policies:',
        '  - id: test-doomed-volume',
        '    resource: aws.ec2.volume',
        '    severity: low',
        '    title: Volume marked for deletion',
        '    filters:',
        "      - 'tag:Purpose': doomed",
        '    actions:',
        '      - type: terminate',
        '',
      ].join('\n'),
    );
    const base = [
      'remediate',
      ...live(),
      '-p',
      policyFile,
      '--policy',
      'test-doomed-volume',
      '--db',
      db,
      '-f',
      'json',
    ];
    const refused = await warden([...base, '--apply']);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      'error: policy test-doomed-volume terminates resources: --apply needs --confirm\n',
    );
    const capped = await warden([...base, '--apply', '--confirm', '--max-resources', '2']);
    assert.equal(capped.code, 0, capped.stderr);
    const report = JSON.parse(capped.stdout) as {
      steps: { resource: string; status: string; reason?: string; verified?: string }[];
      skipped: string[];
    };
    const ids = [keep, a, b].map((v) => `arn:aws:ec2:us-east-1:123456789012:volume/${v}`).sort();
    assert.deepEqual(
      report.steps.map((s) => [s.resource, s.status, s.reason ?? s.verified]),
      ids
        .slice(0, 2)
        .map((id) =>
          id.endsWith(keep) ? [id, 'refused', 'protected (warden:protected=true)'] : [id, 'applied', 'gone'],
        ),
    );
    assert.deepEqual(report.skipped, ids.slice(2));
    // Volume ids are random, so the cap may have left the protected one out: an uncapped run reaches
    // it for sure, refuses it, and terminates whatever doomed volume is left.
    const rest = await warden([...base, '--apply', '--confirm']);
    assert.equal(rest.code, 0, rest.stderr);
    const restSteps = (JSON.parse(rest.stdout) as typeof report).steps;
    const keepArn = `arn:aws:ec2:us-east-1:123456789012:volume/${keep}`;
    assert.deepEqual(
      restSteps.map((s) => [s.resource, s.status, s.reason ?? s.verified]),
      ids
        .filter((id) => id === keepArn || !ids.slice(0, 2).includes(id))
        .map((id) =>
          id === keepArn ? [id, 'refused', 'protected (warden:protected=true)'] : [id, 'applied', 'gone'],
        ),
    );
    const left = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [keep] }));
    assert.equal(left.Volumes!.length, 1);
    const audit = JSON.parse((await warden(['audit', '--db', db, '-f', 'json'])).stdout) as {
      action: string;
      resource: string;
      result: string;
    }[];
    assert.ok(
      audit.some(
        (e) =>
          e.action === 'remediate:test-doomed-volume:terminate' &&
          e.resource.endsWith(keep) &&
          e.result === 'refused: protected (warden:protected=true)',
      ),
    );
  });
});
