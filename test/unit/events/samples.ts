/**
 * CloudTrail records in the service's real record format (eventVersion 1.08/1.09), written for these
 * tests: one per mapped (eventSource, eventName), with the request/response shapes each API logs.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

let seq = 0;

export function ctRecord(
  eventSource: string,
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null = null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  seq++;
  const id = `4d2a0f3e-7c1b-4e8a-9f1d-${String(seq).padStart(12, '0')}`;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEROLEID:alice',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLEKEYID',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEROLEID',
          arn: `arn:aws:iam::${ACCOUNT}:role/Admin`,
          accountId: ACCOUNT,
          userName: 'Admin',
        },
        attributes: { creationDate: '2026-11-23T12:00:00Z', mfaAuthenticated: 'true' },
      },
    },
    eventTime: '2026-11-23T13:05:10Z',
    eventSource,
    eventName,
    awsRegion: REGION,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1',
    requestParameters,
    responseElements,
    requestID: `req-${seq}`,
    eventID: id,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'x',
    },
    ...extra,
  };
}

const sgArn = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`;
const iArn = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`;
const bArn = (n: string) => `arn:aws:s3:::${n}`;
const roleArn = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
const userArn = (n: string) => `arn:aws:iam::${ACCOUNT}:user/${n}`;
const keyArn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
const trailArn = (n: string) => `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${n}`;

/** A touched entry as the parser must produce it: `type id` (or `type *` for type-wide). */
export interface Sample {
  record: Record<string, unknown>;
  touched: string[];
}

const ipPerms = {
  items: [
    {
      ipProtocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      groups: {},
      ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] },
      ipv6Ranges: {},
      prefixListIds: {},
    },
  ],
};
const sgRule = (name: string) =>
  ctRecord(
    'ec2.amazonaws.com',
    name,
    { groupId: 'sg-0a1b2c3d4e5f60718', ipPermissions: ipPerms },
    {
      requestId: 'r',
      _return: true,
    },
  );
const bucketRec = (name: string, extra: Record<string, unknown> = {}) =>
  ctRecord('s3.amazonaws.com', name, {
    bucketName: 'acme-reports',
    Host: 'acme-reports.s3.eu-west-1.amazonaws.com',
    ...extra,
  });
const roleRec = (name: string, extra: Record<string, unknown> = {}) =>
  ctRecord('iam.amazonaws.com', name, { roleName: 'app-role', ...extra });
const userRec = (name: string, extra: Record<string, unknown> = {}) =>
  ctRecord('iam.amazonaws.com', name, { userName: 'bob', ...extra });

const SG = 'aws.ec2.security-group';
const B = 'aws.s3.bucket';

export const SAMPLES: Record<string, Sample> = {
  'ec2.amazonaws.com:AuthorizeSecurityGroupIngress': {
    record: sgRule('AuthorizeSecurityGroupIngress'),
    touched: [`${SG} ${sgArn('sg-0a1b2c3d4e5f60718')}`],
  },
  'ec2.amazonaws.com:AuthorizeSecurityGroupEgress': {
    record: sgRule('AuthorizeSecurityGroupEgress'),
    touched: [`${SG} ${sgArn('sg-0a1b2c3d4e5f60718')}`],
  },
  'ec2.amazonaws.com:RevokeSecurityGroupIngress': {
    record: sgRule('RevokeSecurityGroupIngress'),
    touched: [`${SG} ${sgArn('sg-0a1b2c3d4e5f60718')}`],
  },
  'ec2.amazonaws.com:RevokeSecurityGroupEgress': {
    record: sgRule('RevokeSecurityGroupEgress'),
    touched: [`${SG} ${sgArn('sg-0a1b2c3d4e5f60718')}`],
  },
  'ec2.amazonaws.com:ModifySecurityGroupRules': {
    record: ctRecord('ec2.amazonaws.com', 'ModifySecurityGroupRules', {
      ModifySecurityGroupRulesRequest: {
        GroupId: 'sg-0bbbbbbbbbbbbbbbb',
        SecurityGroupRule: {
          SecurityGroupRuleId: 'sgr-0123456789abcdef0',
          SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, CidrIpv4: '0.0.0.0/0' },
        },
      },
    }),
    touched: [`${SG} ${sgArn('sg-0bbbbbbbbbbbbbbbb')}`],
  },
  'ec2.amazonaws.com:UpdateSecurityGroupRuleDescriptionsIngress': {
    record: sgRule('UpdateSecurityGroupRuleDescriptionsIngress'),
    touched: [`${SG} ${sgArn('sg-0a1b2c3d4e5f60718')}`],
  },
  'ec2.amazonaws.com:CreateSecurityGroup': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'CreateSecurityGroup',
      { groupName: 'web', groupDescription: 'web', vpcId: 'vpc-0aaa' },
      { requestId: 'r', _return: true, groupId: 'sg-0ccccccccccccccc1' },
    ),
    touched: [`${SG} ${sgArn('sg-0ccccccccccccccc1')}`],
  },
  'ec2.amazonaws.com:DeleteSecurityGroup': {
    record: ctRecord('ec2.amazonaws.com', 'DeleteSecurityGroup', { groupId: 'sg-0dddd' }),
    touched: [`${SG} ${sgArn('sg-0dddd')}`],
  },
  'ec2.amazonaws.com:RunInstances': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'RunInstances',
      {
        instancesSet: { items: [{ imageId: 'ami-0abc', minCount: 2, maxCount: 2, keyName: 'shared-key' }] },
        instanceType: 't3.micro',
        iamInstanceProfile: { name: 'admin-profile' },
      },
      {
        requestId: 'r',
        reservationId: 'r-0aaa',
        ownerId: ACCOUNT,
        groupSet: {},
        instancesSet: {
          items: [
            { instanceId: 'i-0aaaaaaaaaaaaaaa1', imageId: 'ami-0abc', keyName: 'shared-key' },
            { instanceId: 'i-0aaaaaaaaaaaaaaa2', imageId: 'ami-0abc', keyName: 'shared-key' },
          ],
        },
      },
    ),
    touched: [
      `aws.ec2.instance ${iArn('i-0aaaaaaaaaaaaaaa1')}`,
      `aws.ec2.instance ${iArn('i-0aaaaaaaaaaaaaaa2')}`,
    ],
  },
  'ec2.amazonaws.com:TerminateInstances': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'TerminateInstances',
      { instancesSet: { items: [{ instanceId: 'i-0aaaaaaaaaaaaaaa1' }] } },
      {
        requestId: 'r',
        instancesSet: {
          items: [
            {
              instanceId: 'i-0aaaaaaaaaaaaaaa1',
              currentState: { code: 32, name: 'shutting-down' },
              previousState: { code: 16, name: 'running' },
            },
          ],
        },
      },
    ),
    touched: [`aws.ec2.instance ${iArn('i-0aaaaaaaaaaaaaaa1')}`],
  },
  'ec2.amazonaws.com:AssociateIamInstanceProfile': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'AssociateIamInstanceProfile',
      {
        AssociateIamInstanceProfileRequest: {
          InstanceId: 'i-0bbb',
          IamInstanceProfile: { Name: 'admin-profile' },
        },
      },
      {
        AssociateIamInstanceProfileResponse: {
          iamInstanceProfileAssociation: {
            associationId: 'iip-assoc-0a',
            instanceId: 'i-0bbb',
            state: 'associating',
          },
        },
      },
    ),
    touched: [`aws.ec2.instance ${iArn('i-0bbb')}`],
  },
  'ec2.amazonaws.com:ReplaceIamInstanceProfileAssociation': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'ReplaceIamInstanceProfileAssociation',
      {
        ReplaceIamInstanceProfileAssociationRequest: {
          AssociationId: 'iip-assoc-0a',
          IamInstanceProfile: { Name: 'other' },
        },
      },
      {
        ReplaceIamInstanceProfileAssociationResponse: {
          iamInstanceProfileAssociation: {
            associationId: 'iip-assoc-0b',
            instanceId: 'i-0ccc',
            state: 'associating',
          },
        },
      },
    ),
    touched: [`aws.ec2.instance ${iArn('i-0ccc')}`],
  },
  'ec2.amazonaws.com:DisassociateIamInstanceProfile': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'DisassociateIamInstanceProfile',
      { DisassociateIamInstanceProfileRequest: { AssociationId: 'iip-assoc-0b' } },
      {
        DisassociateIamInstanceProfileResponse: {
          iamInstanceProfileAssociation: {
            associationId: 'iip-assoc-0b',
            instanceId: 'i-0ddd',
            state: 'disassociating',
          },
        },
      },
    ),
    touched: [`aws.ec2.instance ${iArn('i-0ddd')}`],
  },
  'ec2.amazonaws.com:ModifyInstanceMetadataOptions': {
    record: ctRecord('ec2.amazonaws.com', 'ModifyInstanceMetadataOptions', {
      ModifyInstanceMetadataOptionsRequest: { InstanceId: 'i-0eee', HttpTokens: 'optional' },
    }),
    touched: [`aws.ec2.instance ${iArn('i-0eee')}`],
  },
  'ec2.amazonaws.com:ModifyInstanceAttribute': {
    record: ctRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', {
      instanceId: 'i-0fff',
      groupSet: { items: [{ groupId: 'sg-0a' }] },
    }),
    touched: [`aws.ec2.instance ${iArn('i-0fff')}`],
  },
  'ec2.amazonaws.com:CreateVolume': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'CreateVolume',
      { size: 100, zone: 'eu-west-1a', volumeType: 'gp3', encrypted: false },
      {
        requestId: 'r',
        volumeId: 'vol-0abc',
        size: '100',
        zone: 'eu-west-1a',
        status: 'creating',
        encrypted: false,
      },
    ),
    touched: [`aws.ec2.volume arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0abc`],
  },
  'ec2.amazonaws.com:ModifySnapshotAttribute': {
    record: ctRecord('ec2.amazonaws.com', 'ModifySnapshotAttribute', {
      snapshotId: 'snap-0abc',
      createVolumePermission: { add: { items: [{ group: 'all' }] } },
      attributeType: 'CREATE_VOLUME_PERMISSION',
    }),
    touched: [`aws.ec2.snapshot arn:aws:ec2:${REGION}::snapshot/snap-0abc`],
  },
  'ec2.amazonaws.com:ResetSnapshotAttribute': {
    record: ctRecord('ec2.amazonaws.com', 'ResetSnapshotAttribute', {
      snapshotId: 'snap-0abc',
      attribute: 'CREATE_VOLUME_PERMISSION',
    }),
    touched: [`aws.ec2.snapshot arn:aws:ec2:${REGION}::snapshot/snap-0abc`],
  },
  'ec2.amazonaws.com:ModifyImageAttribute': {
    record: ctRecord('ec2.amazonaws.com', 'ModifyImageAttribute', {
      imageId: 'ami-0abc',
      launchPermission: { add: { items: [{ group: 'all' }] } },
      attributeType: 'launchPermission',
    }),
    touched: [`aws.ec2.image arn:aws:ec2:${REGION}::image/ami-0abc`],
  },
  'ec2.amazonaws.com:ResetImageAttribute': {
    record: ctRecord('ec2.amazonaws.com', 'ResetImageAttribute', {
      imageId: 'ami-0abc',
      attribute: 'launchPermission',
    }),
    touched: [`aws.ec2.image arn:aws:ec2:${REGION}::image/ami-0abc`],
  },
  'ec2.amazonaws.com:EnableEbsEncryptionByDefault': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'EnableEbsEncryptionByDefault',
      { EnableEbsEncryptionByDefaultRequest: '' },
      { EnableEbsEncryptionByDefaultResponse: { ebsEncryptionByDefault: true } },
    ),
    touched: [`aws.account.region * ${REGION}`],
  },
  'ec2.amazonaws.com:DisableEbsEncryptionByDefault': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'DisableEbsEncryptionByDefault',
      { DisableEbsEncryptionByDefaultRequest: '' },
      { DisableEbsEncryptionByDefaultResponse: { ebsEncryptionByDefault: false } },
    ),
    touched: [`aws.account.region * ${REGION}`],
  },
  'ec2.amazonaws.com:CreateFlowLogs': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'CreateFlowLogs',
      {
        CreateFlowLogsRequest: {
          ResourceId: [
            { tag: 1, content: 'vpc-0aaa' },
            { tag: 2, content: 'vpc-0bbb' },
          ],
          ResourceType: 'VPC',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::flow-logs',
        },
      },
      { CreateFlowLogsResponse: { flowLogIdSet: { item: 'fl-0aaa' } } },
    ),
    touched: [
      `aws.ec2.vpc arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0aaa`,
      `aws.ec2.vpc arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0bbb`,
    ],
  },
  'ec2.amazonaws.com:DeleteFlowLogs': {
    record: ctRecord(
      'ec2.amazonaws.com',
      'DeleteFlowLogs',
      { DeleteFlowLogsRequest: { FlowLogId: { tag: 1, content: 'fl-0aaa' } } },
      { DeleteFlowLogsResponse: { unsuccessful: '' } },
    ),
    touched: [
      `aws.ec2.flow-log arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/fl-0aaa`,
      `aws.ec2.vpc * ${REGION}`,
    ],
  },
  's3.amazonaws.com:CreateBucket': {
    record: bucketRec('CreateBucket', { CreateBucketConfiguration: { LocationConstraint: REGION } }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:PutBucketAcl': {
    record: bucketRec('PutBucketAcl', {
      acl: '',
      AccessControlPolicy: {
        AccessControlList: {
          Grant: [
            { Grantee: { URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
          ],
        },
      },
    }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:PutBucketPolicy': {
    record: bucketRec('PutBucketPolicy', {
      policy: '',
      bucketPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::acme-reports/*',
          },
        ],
      },
    }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:DeleteBucketPolicy': {
    record: bucketRec('DeleteBucketPolicy', { policy: '' }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:PutBucketPublicAccessBlock': {
    record: bucketRec('PutBucketPublicAccessBlock', {
      publicAccessBlock: '',
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:DeleteBucketPublicAccessBlock': {
    record: bucketRec('DeleteBucketPublicAccessBlock', { publicAccessBlock: '' }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:PutBucketEncryption': {
    record: bucketRec('PutBucketEncryption', {
      encryption: '',
      ServerSideEncryptionConfiguration: {
        Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      },
    }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:DeleteBucketEncryption': {
    record: bucketRec('DeleteBucketEncryption', { encryption: '' }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:PutBucketVersioning': {
    record: bucketRec('PutBucketVersioning', {
      versioning: '',
      VersioningConfiguration: { Status: 'Suspended' },
    }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:PutBucketLogging': {
    record: bucketRec('PutBucketLogging', { logging: '', BucketLoggingStatus: '' }),
    touched: [`${B} ${bArn('acme-reports')}`],
  },
  's3.amazonaws.com:PutAccountPublicAccessBlock': {
    record: ctRecord('s3.amazonaws.com', 'PutAccountPublicAccessBlock', {
      publicAccessBlock: '',
      PublicAccessBlockConfiguration: { BlockPublicAcls: false },
      'x-amz-account-id': ACCOUNT,
    }),
    touched: [`${B} * `],
  },
  's3.amazonaws.com:DeleteAccountPublicAccessBlock': {
    record: ctRecord('s3.amazonaws.com', 'DeleteAccountPublicAccessBlock', {
      publicAccessBlock: '',
      'x-amz-account-id': ACCOUNT,
    }),
    touched: [`${B} * `],
  },
  'iam.amazonaws.com:CreateRole': {
    record: roleRec('CreateRole', { assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    touched: [`aws.iam.role ${roleArn('app-role')}`],
  },
  'iam.amazonaws.com:AttachRolePolicy': {
    record: roleRec('AttachRolePolicy', { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    touched: [`aws.iam.role ${roleArn('app-role')}`],
  },
  'iam.amazonaws.com:DetachRolePolicy': {
    record: roleRec('DetachRolePolicy', { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    touched: [`aws.iam.role ${roleArn('app-role')}`],
  },
  'iam.amazonaws.com:PutRolePolicy': {
    record: roleRec('PutRolePolicy', { policyName: 'inline', policyDocument: '{"Statement":[]}' }),
    touched: [`aws.iam.role ${roleArn('app-role')}`],
  },
  'iam.amazonaws.com:DeleteRolePolicy': {
    record: roleRec('DeleteRolePolicy', { policyName: 'inline' }),
    touched: [`aws.iam.role ${roleArn('app-role')}`],
  },
  'iam.amazonaws.com:UpdateAssumeRolePolicy': {
    record: roleRec('UpdateAssumeRolePolicy', { policyDocument: '{}' }),
    touched: [`aws.iam.role ${roleArn('app-role')}`],
  },
  'iam.amazonaws.com:AddRoleToInstanceProfile': {
    record: roleRec('AddRoleToInstanceProfile', { instanceProfileName: 'admin-profile' }),
    touched: [
      `aws.iam.role ${roleArn('app-role')}`,
      `aws.iam.instance-profile arn:aws:iam::${ACCOUNT}:instance-profile/admin-profile`,
    ],
  },
  'iam.amazonaws.com:RemoveRoleFromInstanceProfile': {
    record: roleRec('RemoveRoleFromInstanceProfile', { instanceProfileName: 'admin-profile' }),
    touched: [
      `aws.iam.role ${roleArn('app-role')}`,
      `aws.iam.instance-profile arn:aws:iam::${ACCOUNT}:instance-profile/admin-profile`,
    ],
  },
  'iam.amazonaws.com:CreatePolicyVersion': {
    record: ctRecord('iam.amazonaws.com', 'CreatePolicyVersion', {
      policyArn: `arn:aws:iam::${ACCOUNT}:policy/app`,
      policyDocument: '{}',
      setAsDefault: true,
    }),
    touched: [`aws.iam.policy arn:aws:iam::${ACCOUNT}:policy/app`],
  },
  'iam.amazonaws.com:AttachUserPolicy': {
    record: userRec('AttachUserPolicy', { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:DetachUserPolicy': {
    record: userRec('DetachUserPolicy', { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:PutUserPolicy': {
    record: userRec('PutUserPolicy', { policyName: 'p', policyDocument: '{}' }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:DeleteUserPolicy': {
    record: userRec('DeleteUserPolicy', { policyName: 'p' }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:CreateAccessKey': {
    record: userRec('CreateAccessKey', {}),
    touched: [],
  },
  'iam.amazonaws.com:UpdateAccessKey': {
    record: ctRecord(
      'iam.amazonaws.com',
      'UpdateAccessKey',
      { accessKeyId: 'AKIAEXAMPLE000000002', status: 'Active' },
      null,
      {
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLE',
          arn: userArn('carol'),
          accountId: ACCOUNT,
          userName: 'carol',
        },
      },
    ),
    touched: [
      `aws.iam.user ${userArn('carol')}`,
      `aws.iam.access-key arn:aws:iam::${ACCOUNT}:user/carol/access-key/AKIAEXAMPLE000000002`,
    ],
  },
  'iam.amazonaws.com:DeleteAccessKey': {
    record: userRec('DeleteAccessKey', { accessKeyId: 'AKIAEXAMPLE000000003' }),
    touched: [
      `aws.iam.user ${userArn('bob')}`,
      `aws.iam.access-key arn:aws:iam::${ACCOUNT}:user/bob/access-key/AKIAEXAMPLE000000003`,
    ],
  },
  'iam.amazonaws.com:CreateLoginProfile': {
    record: userRec('CreateLoginProfile', { passwordResetRequired: true }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:UpdateLoginProfile': {
    record: userRec('UpdateLoginProfile', { passwordResetRequired: false }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:DeleteLoginProfile': {
    record: userRec('DeleteLoginProfile'),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:EnableMFADevice': {
    record: userRec('EnableMFADevice', { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob` }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'iam.amazonaws.com:DeactivateMFADevice': {
    record: userRec('DeactivateMFADevice', { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob` }),
    touched: [`aws.iam.user ${userArn('bob')}`],
  },
  'rds.amazonaws.com:CreateDBInstance': {
    record: ctRecord(
      'rds.amazonaws.com',
      'CreateDBInstance',
      {
        dBInstanceIdentifier: 'orders',
        engine: 'postgres',
        dBInstanceClass: 'db.t3.micro',
        masterUsername: 'admin',
        storageEncrypted: false,
        publiclyAccessible: true,
      },
      { dBInstanceIdentifier: 'orders', dBInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders` },
    ),
    touched: [`aws.rds.instance arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`],
  },
  'rds.amazonaws.com:ModifyDBInstance': {
    record: ctRecord('rds.amazonaws.com', 'ModifyDBInstance', {
      dBInstanceIdentifier: 'orders',
      publiclyAccessible: true,
      applyImmediately: true,
    }),
    touched: [`aws.rds.instance arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`],
  },
  'rds.amazonaws.com:RestoreDBInstanceFromDBSnapshot': {
    record: ctRecord('rds.amazonaws.com', 'RestoreDBInstanceFromDBSnapshot', {
      dBInstanceIdentifier: 'orders-copy',
      dBSnapshotIdentifier: 'orders-snap',
    }),
    touched: [`aws.rds.instance arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-copy`],
  },
  'rds.amazonaws.com:CreateDBCluster': {
    record: ctRecord('rds.amazonaws.com', 'CreateDBCluster', {
      dBClusterIdentifier: 'aurora-1',
      engine: 'aurora-postgresql',
      storageEncrypted: false,
    }),
    touched: [`aws.rds.cluster arn:aws:rds:${REGION}:${ACCOUNT}:cluster:aurora-1`],
  },
  'rds.amazonaws.com:ModifyDBCluster': {
    record: ctRecord('rds.amazonaws.com', 'ModifyDBCluster', {
      dBClusterIdentifier: 'aurora-1',
      backupRetentionPeriod: 1,
    }),
    touched: [`aws.rds.cluster arn:aws:rds:${REGION}:${ACCOUNT}:cluster:aurora-1`],
  },
  'rds.amazonaws.com:CreateDBSnapshot': {
    record: ctRecord('rds.amazonaws.com', 'CreateDBSnapshot', {
      dBSnapshotIdentifier: 'orders-snap',
      dBInstanceIdentifier: 'orders',
    }),
    touched: [`aws.rds.snapshot arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:orders-snap`],
  },
  'rds.amazonaws.com:ModifyDBSnapshotAttribute': {
    record: ctRecord('rds.amazonaws.com', 'ModifyDBSnapshotAttribute', {
      dBSnapshotIdentifier: 'orders-snap',
      attributeName: 'restore',
      valuesToAdd: ['all'],
    }),
    touched: [`aws.rds.snapshot arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:orders-snap`],
  },
  'kms.amazonaws.com:CreateKey': {
    record: ctRecord(
      'kms.amazonaws.com',
      'CreateKey',
      { keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' },
      {
        keyMetadata: {
          aWSAccountId: ACCOUNT,
          keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
          arn: keyArn('1234abcd-12ab-34cd-56ef-1234567890ab'),
          keyState: 'Enabled',
          keyManager: 'CUSTOMER',
        },
      },
    ),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'kms.amazonaws.com:EnableKeyRotation': {
    record: ctRecord('kms.amazonaws.com', 'EnableKeyRotation', {
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    }),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'kms.amazonaws.com:DisableKeyRotation': {
    record: ctRecord('kms.amazonaws.com', 'DisableKeyRotation', {
      keyId: keyArn('1234abcd-12ab-34cd-56ef-1234567890ab'),
    }),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'kms.amazonaws.com:PutKeyPolicy': {
    record: ctRecord('kms.amazonaws.com', 'PutKeyPolicy', {
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      policyName: 'default',
      policy: '{}',
    }),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'kms.amazonaws.com:ScheduleKeyDeletion': {
    record: ctRecord('kms.amazonaws.com', 'ScheduleKeyDeletion', {
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      pendingWindowInDays: 7,
    }),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'kms.amazonaws.com:CancelKeyDeletion': {
    record: ctRecord(
      'kms.amazonaws.com',
      'CancelKeyDeletion',
      { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      { keyId: keyArn('1234abcd-12ab-34cd-56ef-1234567890ab') },
    ),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'kms.amazonaws.com:EnableKey': {
    record: ctRecord('kms.amazonaws.com', 'EnableKey', { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'kms.amazonaws.com:DisableKey': {
    record: ctRecord('kms.amazonaws.com', 'DisableKey', { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }),
    touched: [`aws.kms.key ${keyArn('1234abcd-12ab-34cd-56ef-1234567890ab')}`],
  },
  'cloudtrail.amazonaws.com:CreateTrail': {
    record: ctRecord(
      'cloudtrail.amazonaws.com',
      'CreateTrail',
      { name: 'main', s3BucketName: 'trail-bucket', isMultiRegionTrail: false },
      { name: 'main', trailARN: trailArn('main'), s3BucketName: 'trail-bucket' },
    ),
    touched: [`aws.cloudtrail.trail ${trailArn('main')}`],
  },
  'cloudtrail.amazonaws.com:UpdateTrail': {
    record: ctRecord(
      'cloudtrail.amazonaws.com',
      'UpdateTrail',
      { name: 'main', isMultiRegionTrail: false },
      { name: 'main', trailARN: trailArn('main') },
    ),
    touched: [`aws.cloudtrail.trail ${trailArn('main')}`],
  },
  'cloudtrail.amazonaws.com:DeleteTrail': {
    record: ctRecord('cloudtrail.amazonaws.com', 'DeleteTrail', { name: 'main' }),
    touched: [`aws.cloudtrail.trail ${trailArn('main')}`],
  },
  'cloudtrail.amazonaws.com:StopLogging': {
    record: ctRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: trailArn('main') }),
    touched: [`aws.cloudtrail.trail ${trailArn('main')}`],
  },
  'cloudtrail.amazonaws.com:StartLogging': {
    record: ctRecord('cloudtrail.amazonaws.com', 'StartLogging', { name: 'main' }),
    touched: [`aws.cloudtrail.trail ${trailArn('main')}`],
  },
  'cloudtrail.amazonaws.com:PutEventSelectors': {
    record: ctRecord(
      'cloudtrail.amazonaws.com',
      'PutEventSelectors',
      { trailName: 'main', eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: true }] },
      { trailARN: trailArn('main'), eventSelectors: [] },
    ),
    touched: [`aws.cloudtrail.trail ${trailArn('main')}`],
  },
  'config.amazonaws.com:StopConfigurationRecorder': {
    record: ctRecord('config.amazonaws.com', 'StopConfigurationRecorder', {
      configurationRecorderName: 'default',
    }),
    touched: [
      `aws.config.recorder arn:aws:config:${REGION}:${ACCOUNT}:config-recorder/default`,
      `aws.account.region * ${REGION}`,
    ],
  },
  'config.amazonaws.com:DeleteConfigurationRecorder': {
    record: ctRecord('config.amazonaws.com', 'DeleteConfigurationRecorder', {
      configurationRecorderName: 'default',
    }),
    touched: [
      `aws.config.recorder arn:aws:config:${REGION}:${ACCOUNT}:config-recorder/default`,
      `aws.account.region * ${REGION}`,
    ],
  },
  'config.amazonaws.com:PutConfigurationRecorder': {
    record: ctRecord('config.amazonaws.com', 'PutConfigurationRecorder', {
      configurationRecorder: {
        name: 'default',
        roleARN: `arn:aws:iam::${ACCOUNT}:role/config`,
        recordingGroup: { allSupported: true },
      },
    }),
    touched: [
      `aws.config.recorder arn:aws:config:${REGION}:${ACCOUNT}:config-recorder/default`,
      `aws.account.region * ${REGION}`,
    ],
  },
};

// CreateAccessKey: the user and key come from the response (the request may omit userName).
SAMPLES['iam.amazonaws.com:CreateAccessKey'] = {
  record: ctRecord(
    'iam.amazonaws.com',
    'CreateAccessKey',
    { userName: 'bob' },
    {
      accessKey: {
        userName: 'bob',
        accessKeyId: 'AKIAEXAMPLE000000001',
        status: 'Active',
        createDate: 'Nov 23, 2026 1:05:10 PM',
      },
    },
  ),
  touched: [
    `aws.iam.user ${userArn('bob')}`,
    `aws.iam.access-key arn:aws:iam::${ACCOUNT}:user/bob/access-key/AKIAEXAMPLE000000001`,
  ],
};
