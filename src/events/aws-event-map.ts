/**
 * Which resources a CloudTrail management event touches, as data: (eventSource, eventName) → rules.
 * Each rule names the canonical type, the record paths that hold the resource's id (first path that
 * yields values wins; `[]` fans out over lists) and how to build the ARN the live collectors use as
 * `Resource.id`. A rule with `all: true` touches every resource of the type in the account/region
 * (account-wide settings, or a deletion whose parent the event does not name).
 *
 * ARN templates: `{partition}`, `{region}`, `{account}` come from the record; `{id}` is the value found;
 * `vars` add placeholders of their own (an access key's id names its user).
 * A value that already is an ARN is kept as is.
 */
export interface TouchRule {
  type: string;
  /** Record paths (from the CloudTrail record root) holding the id or name. */
  id?: readonly string[];
  arn?: string;
  /** IAM, S3 bucket names and account settings are global: region ''. */
  global?: boolean;
  all?: boolean;
  /**
   * Extra template placeholders and the record paths that fill them (first found). When one cannot
   * be filled the resource keeps its name but gets no id.
   */
  vars?: Readonly<Record<string, readonly string[]>>;
  /**
   * The native config fields (docs/resource-types.md) the event changes, when it changes only those
   * and leaves the resource in place: the watch re-reads just these fields on top of the resource's
   * current state. Absent on creations, deletions and anything broader (a full targeted re-read).
   */
  fields?: readonly string[];
}

const SG = 'arn:{partition}:ec2:{region}:{account}:security-group/{id}';
const INSTANCE = 'arn:{partition}:ec2:{region}:{account}:instance/{id}';
const BUCKET = 'arn:{partition}:s3:::{id}';
const ROLE = 'arn:{partition}:iam::{account}:role/{id}';
const USER = 'arn:{partition}:iam::{account}:user/{id}';
// As the IAM collector names keys: under their user's ARN.
const ACCESS_KEY = 'arn:{partition}:iam::{account}:user/{user}/access-key/{id}';
const PROFILE = 'arn:{partition}:iam::{account}:instance-profile/{id}';
const DB = 'arn:{partition}:rds:{region}:{account}:db:{id}';
const CLUSTER = 'arn:{partition}:rds:{region}:{account}:cluster:{id}';
const DB_SNAPSHOT = 'arn:{partition}:rds:{region}:{account}:snapshot:{id}';
const SNAPSHOT = 'arn:{partition}:ec2:{region}::snapshot/{id}';
const IMAGE = 'arn:{partition}:ec2:{region}::image/{id}';
const VOLUME = 'arn:{partition}:ec2:{region}:{account}:volume/{id}';
const KEY = 'arn:{partition}:kms:{region}:{account}:key/{id}';
const TRAIL = 'arn:{partition}:cloudtrail:{region}:{account}:trail/{id}';
const VPC = 'arn:{partition}:ec2:{region}:{account}:vpc/{id}';
const FLOW_LOG = 'arn:{partition}:ec2:{region}:{account}:vpc-flow-log/{id}';
const RECORDER = 'arn:{partition}:config:{region}:{account}:config-recorder/{id}';
const REGION = 'arn:{partition}:ec2:{region}:{account}:region';

const rp = (p: string) => `requestParameters.${p}`;
const re = (p: string) => `responseElements.${p}`;

const sg = (...paths: string[]): TouchRule => ({ type: 'aws.ec2.security-group', id: paths, arn: SG });
const bucket: TouchRule = { type: 'aws.s3.bucket', id: [rp('bucketName')], arn: BUCKET, global: true };
const bucketField = (field: string): TouchRule => ({ ...bucket, fields: [field] });
const instance = (...paths: string[]): TouchRule => ({ type: 'aws.ec2.instance', id: paths, arn: INSTANCE });
const role: TouchRule = { type: 'aws.iam.role', id: [rp('roleName')], arn: ROLE, global: true };
const user = (...paths: string[]): TouchRule => ({
  type: 'aws.iam.user',
  id: [...paths, rp('userName')],
  arn: USER,
  global: true,
});
// UpdateAccessKey / DeleteAccessKey without userName act on the caller's own keys.
const CALLER_USER_PATHS = ['requestParameters.userName', 'userIdentity.userName'];
const callerUser: TouchRule = user(...CALLER_USER_PATHS);
const accessKey = (userPaths: readonly string[], ...paths: string[]): TouchRule => ({
  type: 'aws.iam.access-key',
  id: paths,
  arn: ACCESS_KEY,
  global: true,
  vars: { user: userPaths },
});
const db: TouchRule = { type: 'aws.rds.instance', id: [rp('dBInstanceIdentifier')], arn: DB };
const cluster: TouchRule = { type: 'aws.rds.cluster', id: [rp('dBClusterIdentifier')], arn: CLUSTER };
const dbSnapshot: TouchRule = {
  type: 'aws.rds.snapshot',
  id: [rp('dBSnapshotIdentifier')],
  arn: DB_SNAPSHOT,
};
const kmsKey = (...paths: string[]): TouchRule => ({ type: 'aws.kms.key', id: paths, arn: KEY });
const keyFields = (fields: readonly string[]): TouchRule => ({ ...kmsKey(rp('keyId')), fields });
// Key state changes: DescribeKey answers all of these at once (the KMS collector re-reads them together).
const KEY_STATE = ['Enabled', 'KeyState', 'DeletionDate', 'PendingDeletionWindowInDays'] as const;
const trail = (...paths: string[]): TouchRule => ({ type: 'aws.cloudtrail.trail', id: paths, arn: TRAIL });
const recorder: TouchRule = {
  type: 'aws.config.recorder',
  id: [rp('configurationRecorderName'), rp('configurationRecorder.name')],
  arn: RECORDER,
};
// Recorder changes also change the per-region summary that "Config enabled in every region" reads.
const regionSettings: TouchRule = { type: 'aws.account.region', all: true, arn: REGION };

export const AWS_EVENT_MAP: Readonly<Record<string, Readonly<Record<string, readonly TouchRule[]>>>> = {
  'ec2.amazonaws.com': {
    // Security groups and their rules.
    AuthorizeSecurityGroupIngress: [sg(rp('groupId'))],
    AuthorizeSecurityGroupEgress: [sg(rp('groupId'))],
    RevokeSecurityGroupIngress: [sg(rp('groupId'))],
    RevokeSecurityGroupEgress: [sg(rp('groupId'))],
    ModifySecurityGroupRules: [sg(rp('ModifySecurityGroupRulesRequest.GroupId'))],
    UpdateSecurityGroupRuleDescriptionsIngress: [sg(rp('groupId'))],
    CreateSecurityGroup: [sg(re('groupId'))],
    DeleteSecurityGroup: [sg(rp('groupId'))],
    // Instances and their instance profiles.
    RunInstances: [instance(re('instancesSet.items[].instanceId'))],
    TerminateInstances: [instance(rp('instancesSet.items[].instanceId'))],
    AssociateIamInstanceProfile: [instance(rp('AssociateIamInstanceProfileRequest.InstanceId'))],
    ReplaceIamInstanceProfileAssociation: [
      instance(re('ReplaceIamInstanceProfileAssociationResponse.iamInstanceProfileAssociation.instanceId')),
    ],
    DisassociateIamInstanceProfile: [
      instance(re('DisassociateIamInstanceProfileResponse.iamInstanceProfileAssociation.instanceId')),
    ],
    ModifyInstanceMetadataOptions: [instance(rp('ModifyInstanceMetadataOptionsRequest.InstanceId'))],
    ModifyInstanceAttribute: [instance(rp('instanceId'))],
    // EBS volumes, snapshots and images.
    CreateVolume: [{ type: 'aws.ec2.volume', id: [re('volumeId')], arn: VOLUME }],
    ModifySnapshotAttribute: [{ type: 'aws.ec2.snapshot', id: [rp('snapshotId')], arn: SNAPSHOT }],
    ResetSnapshotAttribute: [{ type: 'aws.ec2.snapshot', id: [rp('snapshotId')], arn: SNAPSHOT }],
    ModifyImageAttribute: [{ type: 'aws.ec2.image', id: [rp('imageId')], arn: IMAGE }],
    ResetImageAttribute: [{ type: 'aws.ec2.image', id: [rp('imageId')], arn: IMAGE }],
    EnableEbsEncryptionByDefault: [regionSettings],
    DisableEbsEncryptionByDefault: [regionSettings],
    // VPC flow logs: a deletion names only the flow log, so every VPC of the region is re-read
    // (one DescribeFlowLogs call covers them all).
    CreateFlowLogs: [{ type: 'aws.ec2.vpc', id: [rp('CreateFlowLogsRequest.ResourceId.content')], arn: VPC }],
    DeleteFlowLogs: [
      { type: 'aws.ec2.flow-log', id: [rp('DeleteFlowLogsRequest.FlowLogId.content')], arn: FLOW_LOG },
      { type: 'aws.ec2.vpc', all: true, arn: VPC },
    ],
  },
  's3.amazonaws.com': {
    CreateBucket: [bucket],
    PutBucketAcl: [bucketField('Acl')],
    PutBucketPolicy: [bucketField('Policy')],
    DeleteBucketPolicy: [bucketField('Policy')],
    PutBucketPublicAccessBlock: [bucketField('PublicAccessBlockConfiguration')],
    DeleteBucketPublicAccessBlock: [bucketField('PublicAccessBlockConfiguration')],
    PutBucketEncryption: [bucketField('ServerSideEncryptionConfiguration')],
    DeleteBucketEncryption: [bucketField('ServerSideEncryptionConfiguration')],
    PutBucketVersioning: [bucketField('Versioning')],
    PutBucketLogging: [bucketField('Logging')],
    // The account-level block applies to every bucket (`AccountPublicAccessBlockConfiguration`).
    PutAccountPublicAccessBlock: [{ type: 'aws.s3.bucket', all: true, arn: BUCKET, global: true }],
    DeleteAccountPublicAccessBlock: [{ type: 'aws.s3.bucket', all: true, arn: BUCKET, global: true }],
  },
  'iam.amazonaws.com': {
    CreateRole: [role],
    AttachRolePolicy: [role],
    DetachRolePolicy: [role],
    PutRolePolicy: [role],
    DeleteRolePolicy: [role],
    UpdateAssumeRolePolicy: [role],
    AddRoleToInstanceProfile: [
      role,
      { type: 'aws.iam.instance-profile', id: [rp('instanceProfileName')], arn: PROFILE, global: true },
    ],
    RemoveRoleFromInstanceProfile: [
      role,
      { type: 'aws.iam.instance-profile', id: [rp('instanceProfileName')], arn: PROFILE, global: true },
    ],
    CreatePolicyVersion: [{ type: 'aws.iam.policy', id: [rp('policyArn')], global: true }],
    AttachUserPolicy: [user()],
    DetachUserPolicy: [user()],
    PutUserPolicy: [user()],
    DeleteUserPolicy: [user()],
    CreateAccessKey: [
      user(re('accessKey.userName')),
      accessKey([re('accessKey.userName')], re('accessKey.accessKeyId')),
    ],
    UpdateAccessKey: [callerUser, accessKey(CALLER_USER_PATHS, rp('accessKeyId'))],
    DeleteAccessKey: [callerUser, accessKey(CALLER_USER_PATHS, rp('accessKeyId'))],
    CreateLoginProfile: [user()],
    UpdateLoginProfile: [user()],
    DeleteLoginProfile: [user()],
    EnableMFADevice: [user()],
    DeactivateMFADevice: [user()],
  },
  'rds.amazonaws.com': {
    CreateDBInstance: [db],
    ModifyDBInstance: [db],
    RestoreDBInstanceFromDBSnapshot: [db],
    CreateDBCluster: [cluster],
    ModifyDBCluster: [cluster],
    CreateDBSnapshot: [dbSnapshot],
    ModifyDBSnapshotAttribute: [dbSnapshot],
  },
  'kms.amazonaws.com': {
    CreateKey: [kmsKey(re('keyMetadata.arn'), re('keyMetadata.keyId'))],
    EnableKeyRotation: [keyFields(['KeyRotationEnabled'])],
    DisableKeyRotation: [keyFields(['KeyRotationEnabled'])],
    PutKeyPolicy: [keyFields(['Policy'])],
    ScheduleKeyDeletion: [keyFields(KEY_STATE)],
    CancelKeyDeletion: [keyFields(KEY_STATE)],
    EnableKey: [keyFields(KEY_STATE)],
    DisableKey: [keyFields(KEY_STATE)],
  },
  'cloudtrail.amazonaws.com': {
    CreateTrail: [trail(re('trailARN'), rp('name'))],
    UpdateTrail: [trail(re('trailARN'), rp('name'))],
    DeleteTrail: [trail(rp('name'))],
    StopLogging: [trail(rp('name'))],
    StartLogging: [trail(rp('name'))],
    PutEventSelectors: [trail(re('trailARN'), rp('trailName'))],
  },
  'config.amazonaws.com': {
    StopConfigurationRecorder: [recorder, regionSettings],
    DeleteConfigurationRecorder: [recorder, regionSettings],
    PutConfigurationRecorder: [recorder, regionSettings],
  },
};

/** Number of mapped (eventSource, eventName) pairs. */
export function mappedEventCount(): number {
  return Object.values(AWS_EVENT_MAP).reduce((n, events) => n + Object.keys(events).length, 0);
}
