// The large account of issue 4 in moto, shared by bench/live-aws.mjs (Warden alone) and
// bench/live-peers.mjs (Warden, Prowler and Cloud Custodian through a counting proxy).
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { testClientConfig } from '../test/support/moto.ts';

export const scale = Number(process.env.BENCH_AWS_SCALE ?? '1');
export const sizes = {
  instances: Math.round(2000 * scale),
  securityGroups: Math.round(1000 * scale),
  buckets: Math.round(500 * scale),
  roles: Math.round(300 * scale),
  snapshots: Math.round(200 * scale),
};
export const region = 'us-east-1';

async function pool(n, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

export async function populate(endpoint) {
  const cfg = testClientConfig(endpoint, region);
  const ec2 = new EC2Client(cfg);
  const s3 = new S3Client(cfg);
  const iam = new IAMClient(cfg);
  await pool(Math.ceil(sizes.instances / 100), 4, (i) =>
    ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: Math.min(100, sizes.instances - i * 100),
        MaxCount: Math.min(100, sizes.instances - i * 100),
      }),
    ),
  );
  await pool(sizes.securityGroups, 8, async (i) => {
    const sg = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `bench-${i}`, Description: 'bench' }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg.GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: i % 2 ? '0.0.0.0/0' : '10.0.0.0/8' }],
          },
        ],
      }),
    );
  });
  await pool(sizes.buckets, 8, (i) => s3.send(new CreateBucketCommand({ Bucket: `bench-bucket-${i}` })));
  await pool(sizes.roles, 8, (i) =>
    iam.send(
      new CreateRoleCommand({
        RoleName: `bench-role-${i}`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    ),
  );
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1 }));
  await pool(sizes.snapshots, 8, () => ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId })));
}
