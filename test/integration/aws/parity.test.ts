import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type ScanReport, scanInventory } from '../../../src/engine/scan.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { cloudtrailCollector } from '../../../src/sources/aws/collectors/cloudtrail.js';
import { kmsCollector } from '../../../src/sources/aws/collectors/kms.js';
import { rdsCollector } from '../../../src/sources/aws/collectors/rds.js';
import { s3Collector } from '../../../src/sources/aws/collectors/s3.js';
import { loadInputs } from '../../../src/sources/index.js';
import { collectWith } from '../../support/aws-collect.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

/**
 * Same policy, every stage: one configuration written as a Terraform plan
 * (test/fixtures/parity/aws-live) and built in moto with SDK calls gives the same
 * (policy, name, status) rows under the built-in policies.
 */
const PLAN = 'test/fixtures/parity/aws-live/plan.json';

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

function rows(report: ScanReport): string[] {
  return report.results
    .filter((r) => r.resource.name.startsWith('parity-') || r.resource.name.startsWith('alias/parity-'))
    .map((r) => `${r.policy} ${r.resource.name} ${r.status}`)
    .sort();
}

async function buildInMoto(): Promise<void> {
  const cfg = testClientConfig(moto.endpoint);
  const s3 = new S3Client(cfg);
  for (const Bucket of ['parity-public', 'parity-private', 'parity-trail-logs'])
    await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketAclCommand({ Bucket: 'parity-public', ACL: 'public-read' }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: 'parity-private',
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  const rds = new RDSClient(cfg);
  for (const [id, encrypted] of [
    ['parity-plain', false],
    ['parity-sealed', true],
  ] as const) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'app',
        MasterUserPassword: 'Parity-Pw-123',
        StorageEncrypted: encrypted,
        PubliclyAccessible: false,
      }),
    );
  }
  const kms = new KMSClient(cfg);
  for (const [name, rotate] of [
    ['rotated', true],
    ['unrotated', false],
  ] as const) {
    const key = await kms.send(new CreateKeyCommand({ Description: name }));
    if (rotate) await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyMetadata?.KeyId }));
    await kms.send(
      new CreateAliasCommand({ AliasName: `alias/parity-${name}`, TargetKeyId: key.KeyMetadata?.KeyId }),
    );
  }
  const ct = new CloudTrailClient(cfg);
  await ct.send(
    new CreateTrailCommand({
      Name: 'parity-all-regions',
      S3BucketName: 'parity-trail-logs',
      IsMultiRegionTrail: true,
    }),
  );
  await ct.send(
    new CreateTrailCommand({
      Name: 'parity-home-only',
      S3BucketName: 'parity-trail-logs',
      IsMultiRegionTrail: false,
    }),
  );
}

describe('Terraform plan and live AWS parity', () => {
  it('gives the same (policy, name, status) rows for the same configuration', async () => {
    const policies = loadPolicies();
    const planned = rows(scanInventory(await loadInputs([PLAN]), policies));

    await buildInMoto();
    const live = rows(
      scanInventory(
        await collectWith(moto.endpoint, [s3Collector, rdsCollector, kmsCollector, cloudtrailCollector], {
          regions: ['us-east-1'],
        }),
        loadPolicies(),
      ),
    );

    assert.deepEqual(live, planned);
    // The shared rows are the ones these resources should give, not an accidental agreement.
    assert.deepEqual(planned, [
      'aws-cloudtrail-not-multi-region parity-all-regions pass',
      'aws-cloudtrail-not-multi-region parity-home-only fail',
      'aws-kms-key-rotation-disabled alias/parity-rotated pass',
      'aws-kms-key-rotation-disabled alias/parity-unrotated fail',
      'aws-rds-publicly-accessible parity-plain pass',
      'aws-rds-publicly-accessible parity-sealed pass',
      'aws-rds-storage-unencrypted parity-plain fail',
      'aws-rds-storage-unencrypted parity-sealed pass',
      'aws-s3-bucket-public parity-private pass',
      'aws-s3-bucket-public parity-public fail',
      'aws-s3-bucket-public parity-trail-logs pass',
    ]);
  });
});
