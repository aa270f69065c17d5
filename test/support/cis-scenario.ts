import { readFileSync } from 'node:fs';
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { parse } from 'yaml';
import { useEndpointAsGiven } from '../../src/sources/aws/collectors/support/s3control-endpoint.js';
import { testClientConfig } from './moto.js';

/**
 * The live-only CIS AWS 3.0 controls built on moto with real SDK calls, in one of two accounts:
 * `hardened` sets every control up to pass, `neglected` to fail (where moto can express both).
 * Reached through AssumeRole, as `warden report --assume-role` reaches them.
 */
export type Posture = 'hardened' | 'neglected';
const REGION = 'us-east-1';

async function accountConfig(endpoint: string, account: string): Promise<Record<string, unknown>> {
  const sts = new STSClient(testClientConfig(endpoint, REGION));
  const role = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/WardenAudit`, RoleSessionName: 'setup' }),
  );
  sts.destroy();
  return {
    ...testClientConfig(endpoint, REGION),
    credentials: {
      accessKeyId: role.Credentials?.AccessKeyId as string,
      secretAccessKey: role.Credentials?.SecretAccessKey as string,
      sessionToken: role.Credentials?.SessionToken as string,
    },
  };
}

/** The first CIS pattern of each 4.x policy, read from the pack the report evaluates. */
function cisPatterns(): { control: string; pattern: string }[] {
  const doc = parse(
    readFileSync(new URL('../../packs/cis-aws-v3/monitoring.yaml', import.meta.url), 'utf8'),
  ) as {
    policies: { frameworks: Record<string, string[]>; filters: { not?: { pattern?: string[] }[] }[] }[];
  };
  return doc.policies.flatMap((p) => {
    const pattern = p.filters[0]?.not?.[0]?.pattern?.[0];
    const control = p.frameworks['cis-aws-3.0']?.[0];
    return pattern && control ? [{ control, pattern }] : [];
  });
}

const logDelivery = (bucket: string) => ({
  Sid: 'AccessLogDelivery',
  Effect: 'Allow',
  Principal: { Service: 'logging.s3.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${bucket}/*`,
});

export async function buildCisAccount(endpoint: string, account: string, posture: Posture): Promise<void> {
  const cfg = await accountConfig(endpoint, account);
  const good = posture === 'hardened';
  const p = posture;

  // IAM: password policy, a console user, keys, direct vs group policies, support role, admin policy.
  const iam = new IAMClient(cfg);
  await iam.send(
    new UpdateAccountPasswordPolicyCommand({
      MinimumPasswordLength: good ? 14 : 8,
      PasswordReusePrevention: good ? 24 : 1,
    }),
  );
  await iam.send(new CreateUserCommand({ UserName: `${p}-alice` }));
  await iam.send(
    new CreateLoginProfileCommand({ UserName: `${p}-alice`, Password: 'Long-Enough-Pw-123456' }),
  );
  if (good) {
    const mfa = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${p}-alice` }));
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: `${p}-alice`,
        SerialNumber: mfa.VirtualMFADevice?.SerialNumber,
        AuthenticationCode1: '123456',
        AuthenticationCode2: '654321',
      }),
    );
  }
  await iam.send(new CreateAccessKeyCommand({ UserName: `${p}-alice` }));
  if (!good) await iam.send(new CreateAccessKeyCommand({ UserName: `${p}-alice` }));
  if (good) {
    await iam.send(new CreateGroupCommand({ GroupName: `${p}-readers` }));
    await iam.send(
      new AttachGroupPolicyCommand({
        GroupName: `${p}-readers`,
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: `${p}-readers`, UserName: `${p}-alice` }));
    await iam.send(
      new CreateRoleCommand({
        RoleName: `${p}-support`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${account}:root` } },
          ],
        }),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: `${p}-support`,
        PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      }),
    );
  } else {
    await iam.send(
      new AttachUserPolicyCommand({
        UserName: `${p}-alice`,
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    const everything = await iam.send(
      new CreatePolicyCommand({
        PolicyName: `${p}-everything`,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    );
    await iam.send(
      new AttachUserPolicyCommand({ UserName: `${p}-alice`, PolicyArn: everything.Policy?.Arn }),
    );
  }
  const ec2Trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }],
  });
  await iam.send(new CreateRoleCommand({ RoleName: `${p}-app`, AssumeRolePolicyDocument: ec2Trust }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `${p}-app` }));
  await iam.send(
    new AddRoleToInstanceProfileCommand({ InstanceProfileName: `${p}-app`, RoleName: `${p}-app` }),
  );
  iam.destroy();

  // KMS: a customer key, rotated or not; it also encrypts the trail of the hardened account.
  const kms = new KMSClient(cfg);
  const key = await kms.send(new CreateKeyCommand({ Description: `${p} key` }));
  const keyId = key.KeyMetadata?.KeyId as string;
  if (good) await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
  await kms.send(new CreateAliasCommand({ AliasName: `alias/${p}-key`, TargetKeyId: keyId }));
  kms.destroy();

  // S3: the trail bucket and a data bucket.
  const s3 = new S3Client(cfg);
  const trailBucket = `${p}-trail-logs-${account}`;
  const dataBucket = `${p}-data-${account}`;
  const accessLogs = `${p}-access-logs-${account}`;
  for (const b of [trailBucket, dataBucket, accessLogs])
    await s3.send(new CreateBucketCommand({ Bucket: b }));
  if (good) {
    for (const b of [trailBucket, dataBucket, accessLogs]) {
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: b,
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              ...(b === accessLogs ? [logDelivery(b)] : []),
              {
                Sid: 'TlsOnly',
                Effect: 'Deny',
                // moto's logging-permission check reads Principal as an object only.
                Principal: b === accessLogs ? { AWS: '*' } : '*',
                Action: 's3:*',
                Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
        }),
      );
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: b,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: trailBucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: accessLogs, TargetPrefix: 'trail/' } },
      }),
    );
    const s3control = useEndpointAsGiven(new S3ControlClient(cfg));
    await s3control.send(
      new PutAccountPublicAccessBlockCommand({
        AccountId: account,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    s3control.destroy();
  }
  s3.destroy();

  // CloudWatch Logs + the 4.x chains: trail → log group → metric filter → alarm → SNS topic.
  const logGroup = `${p}-cloudtrail`;
  const logs = new CloudWatchLogsClient(cfg);
  await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
  const sns = new SNSClient(cfg);
  const topic = (await sns.send(new CreateTopicCommand({ Name: `${p}-security-alarms` }))).TopicArn as string;
  // Only the hardened account's topic has a subscriber: the neglected chain stops at the topic.
  if (good)
    await sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'https', Endpoint: 'https://127.0.0.1/hook' }),
    );
  const cw = new CloudWatchClient(cfg);
  for (const { control, pattern } of good
    ? cisPatterns()
    : cisPatterns().filter((c) => c.control === '4.3')) {
    const metric = `cis-${control.replace('.', '-')}`;
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: logGroup,
        filterName: metric,
        filterPattern: pattern,
        metricTransformations: [{ metricName: metric, metricNamespace: 'CISBenchmark', metricValue: '1' }],
      }),
    );
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: metric,
        MetricName: metric,
        Namespace: 'CISBenchmark',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topic],
      }),
    );
  }
  for (const c of [logs, sns, cw]) c.destroy();

  // CloudTrail.
  const ct = new CloudTrailClient(cfg);
  await ct.send(
    new CreateTrailCommand({
      Name: `${p}-trail`,
      S3BucketName: trailBucket,
      IsMultiRegionTrail: good,
      EnableLogFileValidation: good,
      ...(good ? { KmsKeyId: keyId } : {}),
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${account}:log-group:${logGroup}:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/${p}-app`,
    }),
  );
  await ct.send(new StartLoggingCommand({ Name: `${p}-trail` }));
  if (good)
    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: `${p}-trail`,
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
          },
        ],
      }),
    );
  ct.destroy();

  // AWS Config.
  if (good) {
    const config = new ConfigServiceClient(cfg);
    await config.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: {
          name: 'default',
          roleARN: `arn:aws:iam::${account}:role/${p}-app`,
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        },
      }),
    );
    await config.send(
      new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: trailBucket } }),
    );
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
    config.destroy();
  }

  if (good) {
    const hub = new SecurityHubClient(cfg);
    await hub.send(new EnableSecurityHubCommand({}));
    hub.destroy();
  }

  // RDS.
  const rds = new RDSClient(cfg);
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: `${p}-db`,
      Engine: 'postgres',
      DBInstanceClass: 'db.t3.micro',
      AllocatedStorage: 20,
      MasterUsername: 'app',
      MasterUserPassword: 'Scenario-Pw-123',
      StorageEncrypted: good,
      PubliclyAccessible: !good,
      AutoMinorVersionUpgrade: good,
    }),
  );
  rds.destroy();

  // EC2: EBS default encryption, an instance, SG, NACL, default SG, flow logs.
  const ec2 = new EC2Client(cfg);
  if (good) await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
  const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
  const vpcId = vpcs[0]?.VpcId as string;
  const sg = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `${p}-admin`,
      Description: 'admin access',
      VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: `${p}-admin` }] }],
    }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: sg.GroupId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          ...(good
            ? { IpRanges: [{ CidrIp: '10.0.0.0/8' }] }
            : { IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }),
        },
      ],
    }),
  );
  await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SecurityGroupIds: [sg.GroupId as string],
      ...(good
        ? {
            IamInstanceProfile: { Name: `${p}-app` },
            MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
          }
        : {}),
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `${p}-app` }] }],
    }),
  );
  if (good) {
    // Default security groups carry no rules; network ACLs deny the admin ports from the world
    // ahead of the default allow-all; every VPC has a flow log.
    const defaults =
      (
        await ec2.send(
          new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
        )
      ).SecurityGroups ?? [];
    for (const d of defaults) {
      if (d.IpPermissions?.length)
        await ec2.send(
          new RevokeSecurityGroupIngressCommand({ GroupId: d.GroupId, IpPermissions: d.IpPermissions }),
        );
      if (d.IpPermissionsEgress?.length)
        await ec2.send(
          new RevokeSecurityGroupEgressCommand({ GroupId: d.GroupId, IpPermissions: d.IpPermissionsEgress }),
        );
    }
    for (const acl of (await ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls ?? []) {
      for (const [n, port] of [
        [10, 22],
        [11, 3389],
      ] as const)
        await ec2.send(
          new CreateNetworkAclEntryCommand({
            NetworkAclId: acl.NetworkAclId,
            RuleNumber: n,
            Protocol: '6',
            RuleAction: 'deny',
            Egress: false,
            CidrBlock: '0.0.0.0/0',
            PortRange: { From: port, To: port },
          }),
        );
    }
    await ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: vpcs.map((v) => v.VpcId as string),
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 's3',
        LogDestination: `arn:aws:s3:::${accessLogs}`,
      }),
    );
  }
  ec2.destroy();
}
