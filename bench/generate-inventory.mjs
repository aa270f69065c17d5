// Deterministic inventories for the drift and store benchmarks: N resources in the native `config`
// shapes of docs/resource-types.md (security groups, buckets, keys, instances, volumes), and a
// "current" copy in which a given share of resources really changed, plus noise drift must ignore:
// instance state flips, launch times and reordered rules/tags/statements.

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = '111122223333';
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];

function base(type, id, name, region, tags, config) {
  return {
    id,
    provider: 'aws',
    type,
    account: ACCOUNT,
    region,
    name,
    tags,
    config: { ...config, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
    source: { kind: 'live', collectedAt: '2026-01-01T00:00:00Z' },
  };
}

function make(i, rand) {
  const region = REGIONS[i % REGIONS.length];
  const tags = { env: i % 2 ? 'prod' : 'dev', team: `team-${i % 17}`, cost: `cc-${i % 101}` };
  switch (i % 5) {
    case 0:
      return base(
        'aws.ec2.security-group',
        `arn:aws:ec2:${region}:${ACCOUNT}:security-group/sg-${i}`,
        `sg-${i}`,
        region,
        tags,
        {
          GroupId: `sg-${i}`,
          GroupName: `app-${i}`,
          Description: 'application tier',
          VpcId: `vpc-${i % 50}`,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              IpRanges: [{ CidrIp: '0.0.0.0/0' }],
              Ipv6Ranges: [{ CidrIpv6: '::/0' }],
              UserIdGroupPairs: [],
              PrefixListIds: [],
            },
            {
              IpProtocol: 'tcp',
              FromPort: 8080,
              ToPort: 8080,
              IpRanges: [],
              Ipv6Ranges: [],
              UserIdGroupPairs: [{ GroupId: `sg-${i + 5}` }],
              PrefixListIds: [],
            },
            {
              IpProtocol: 'tcp',
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: `10.${i % 250}.0.0/16`, Description: 'bastion' }],
              Ipv6Ranges: [],
              UserIdGroupPairs: [],
              PrefixListIds: [],
            },
          ],
          IpPermissionsEgress: [
            {
              IpProtocol: '-1',
              IpRanges: [{ CidrIp: '0.0.0.0/0' }],
              Ipv6Ranges: [],
              UserIdGroupPairs: [],
              PrefixListIds: [],
            },
          ],
        },
      );
    case 1:
      return base('aws.s3.bucket', `arn:aws:s3:::bucket-${i}`, `bucket-${i}`, region, tags, {
        Name: `bucket-${i}`,
        Location: region,
        Acl: { Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' }] },
        Policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'TLS',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [`arn:aws:s3:::bucket-${i}`, `arn:aws:s3:::bucket-${i}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Sid: 'Readers',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` },
              Action: ['s3:GetObject', 's3:ListBucket'],
              Resource: `arn:aws:s3:::bucket-${i}/*`,
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `key-${i}` },
              BucketKeyEnabled: true,
            },
          ],
        },
        Versioning: { Status: 'Enabled' },
        Logging: { LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: `bucket-${i}/` } },
      });
    case 2:
      return base('aws.kms.key', `arn:aws:kms:${region}:${ACCOUNT}:key/key-${i}`, `key-${i}`, region, tags, {
        KeyId: `key-${i}`,
        Arn: `arn:aws:kms:${region}:${ACCOUNT}:key/key-${i}`,
        Description: 'data key',
        KeyManager: 'CUSTOMER',
        KeyState: 'Enabled',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyRotationEnabled: true,
        Aliases: [`alias/key-${i}`],
      });
    case 3:
      return base(
        'aws.ec2.instance',
        `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-${i}`,
        `i-${i}`,
        region,
        tags,
        {
          InstanceId: `i-${i}`,
          ImageId: 'ami-12345678',
          InstanceType: 't3.micro',
          KeyName: 'ops',
          SubnetId: `subnet-${i % 100}`,
          VpcId: `vpc-${i % 50}`,
          PrivateIpAddress: `10.0.${(i >> 8) & 255}.${i & 255}`,
          SecurityGroups: [{ GroupId: `sg-${i - 3}` }],
          MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
          State: { Name: 'running' },
          LaunchTime: '2026-01-01T00:00:00Z',
          BlockDeviceMappings: [
            {
              DeviceName: '/dev/xvda',
              Ebs: { VolumeId: `vol-${i}`, Encrypted: true, VolumeSize: Math.floor(8 + rand() * 100) },
            },
          ],
        },
      );
    default:
      return base(
        'aws.ec2.volume',
        `arn:aws:ec2:${region}:${ACCOUNT}:volume/vol-${i}`,
        `vol-${i}`,
        region,
        tags,
        {
          VolumeId: `vol-${i}`,
          AvailabilityZone: `${region}a`,
          Size: 100,
          VolumeType: 'gp3',
          Encrypted: true,
          Attachments: [{ InstanceId: `i-${i - 1}`, State: 'attached', AttachTime: '2026-01-01T00:00:00Z' }],
        },
      );
  }
}

/** A real change of the kind drift must report (one per changed resource). */
function change(r) {
  const c = r.config;
  switch (r.type) {
    case 'aws.ec2.security-group':
      c.IpPermissions[2].IpRanges.push({ CidrIp: '0.0.0.0/0' });
      return;
    case 'aws.s3.bucket':
      c.Policy.Statement.push({
        Sid: 'Open',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${c.Name}/*`,
      });
      return;
    case 'aws.kms.key':
      c.KeyRotationEnabled = false;
      return;
    case 'aws.ec2.instance':
      c.InstanceType = 't3.large';
      return;
    default:
      c.Encrypted = false;
  }
}

/** Noise that is not drift: order, state, timestamps. */
function shake(r) {
  const c = r.config;
  if (Array.isArray(c.IpPermissions)) c.IpPermissions.reverse();
  if (c.Policy) c.Policy.Statement.reverse();
  if (Array.isArray(c.Tags)) c.Tags.reverse();
  if (c.State) c.State = { Name: 'stopped' };
  if (c.LaunchTime) c.LaunchTime = '2026-02-01T00:00:00Z';
  if (Array.isArray(c.Attachments)) for (const a of c.Attachments) a.AttachTime = '2026-02-01T00:00:00Z';
}

export function generateInventories(n, { changeRate = 0.01, noiseRate = 0.05, seed = 20260101 } = {}) {
  const rand = rng(seed);
  const baseline = [];
  for (let i = 0; i < n; i++) baseline.push(make(i, rand));
  const current = structuredClone(baseline);
  const changed = new Set();
  const step = Math.round(1 / changeRate);
  for (let i = 0; i < n; i += step) {
    change(current[i]);
    changed.add(current[i].id);
  }
  for (let i = 0; i < n; i++) if (!changed.has(current[i].id) && rand() < noiseRate) shake(current[i]);
  return { baseline, current, changed };
}

export function asInventory(resources, input) {
  return { resources, unsupported: {}, inputs: [input] };
}
