import { isUnknown, UNKNOWN, type Unknown } from '../../../model/unknown.js';
import {
  cloneMarked,
  type DraftIndex,
  inheritRefs,
  type JoinSpec,
  parentsOf,
  type TypeSpec,
} from '../draft.js';
import { orDefault, type Props } from '../props.js';
import { mapList, orGenerated } from './common.js';

const GROUPS = 'http://acs.amazonaws.com/groups/';
export const ALL_USERS = `${GROUPS}global/AllUsers`;
export const AUTHENTICATED_USERS = `${GROUPS}global/AuthenticatedUsers`;
const LOG_DELIVERY = `${GROUPS}s3/LogDelivery`;

function group(uri: string, permission: string): unknown {
  return { Grantee: { Type: 'Group', URI: uri }, Permission: permission };
}

// The owner's canonical id is only known in the account, so the owner grant carries no ID.
const OWNER_FULL_CONTROL = { Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' };

/** Canned ACL → the grants S3 stores for it (GetBucketAcl's view). */
const CANNED_GRANTS: Record<string, unknown[]> = {
  Private: [],
  BucketOwnerRead: [],
  BucketOwnerFullControl: [],
  PublicRead: [group(ALL_USERS, 'READ')],
  PublicReadWrite: [group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')],
  AuthenticatedRead: [group(AUTHENTICATED_USERS, 'READ')],
  LogDeliveryWrite: [group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')],
  AwsExecRead: [{ Grantee: { Type: 'CanonicalUser' }, Permission: 'READ' }],
};

function grants(props: Props): unknown[] | Unknown {
  const canned = props.str('AccessControl') ?? 'Private';
  if (isUnknown(canned)) return UNKNOWN;
  const extra = Object.hasOwn(CANNED_GRANTS, canned) ? CANNED_GRANTS[canned] : undefined;
  if (!extra) return props.fail(`AccessControl ${canned} is not a canned ACL`, 'AccessControl');
  return [cloneMarked(OWNER_FULL_CONTROL), ...cloneMarked(extra)];
}

function publicAccessBlock(props: Props): unknown {
  const block = props.obj('PublicAccessBlockConfiguration');
  if (block === undefined || isUnknown(block)) return block;
  const flag = (key: string) =>
    orDefault(
      props.toBool(block[key], `PublicAccessBlockConfiguration.${key}`, 'PublicAccessBlockConfiguration'),
      false,
    );
  return {
    BlockPublicAcls: flag('BlockPublicAcls'),
    IgnorePublicAcls: flag('IgnorePublicAcls'),
    BlockPublicPolicy: flag('BlockPublicPolicy'),
    RestrictPublicBuckets: flag('RestrictPublicBuckets'),
  };
}

// Since January 2023 S3 encrypts every new bucket with SSE-S3 when nothing else is configured.
const DEFAULT_ENCRYPTION = [
  { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
];

function encryption(props: Props): unknown {
  const config = props.obj('BucketEncryption');
  if (config === undefined) return { Rules: cloneMarked(DEFAULT_ENCRYPTION) };
  if (isUnknown(config)) return UNKNOWN;
  const label = 'BucketEncryption.ServerSideEncryptionConfiguration';
  const rules = mapList(
    props.objectsOf(config.ServerSideEncryptionConfiguration, label, 'BucketEncryption'),
    (rule) => {
      const byDefault = props.toObj(
        rule.ServerSideEncryptionByDefault,
        `${label}.ServerSideEncryptionByDefault`,
      );
      return {
        ApplyServerSideEncryptionByDefault:
          byDefault === undefined || isUnknown(byDefault)
            ? byDefault
            : {
                SSEAlgorithm: props.toStr(byDefault.SSEAlgorithm, 'SSEAlgorithm', 'BucketEncryption'),
                KMSMasterKeyID: props.toStr(byDefault.KMSMasterKeyID, 'KMSMasterKeyID', 'BucketEncryption'),
              },
        BucketKeyEnabled: orDefault(
          props.toBool(rule.BucketKeyEnabled, 'BucketKeyEnabled', 'BucketEncryption'),
          false,
        ),
      };
    },
  );
  return { Rules: rules ?? [] };
}

function logging(props: Props, name: unknown): unknown {
  const config = props.obj('LoggingConfiguration');
  if (config === undefined) return {};
  if (isUnknown(config)) return { LoggingEnabled: UNKNOWN };
  return {
    LoggingEnabled: {
      // Without a destination S3 writes the logs into the bucket itself.
      TargetBucket:
        props.toStr(config.DestinationBucketName, 'DestinationBucketName', 'LoggingConfiguration') ?? name,
      TargetPrefix: props.toStr(config.LogFilePrefix, 'LogFilePrefix', 'LoggingConfiguration') ?? '',
    },
  };
}

function versioning(props: Props): unknown {
  const config = props.obj('VersioningConfiguration');
  if (config === undefined) return {};
  if (isUnknown(config)) return UNKNOWN;
  return { Status: props.toStr(config.Status, 'VersioningConfiguration.Status', 'VersioningConfiguration') };
}

export const bucket: TypeSpec = {
  type: 'aws.s3.bucket',
  nameKey: 'Name',
  refAttributes: {
    LoggingConfiguration: 'Logging',
    BucketEncryption: 'ServerSideEncryptionConfiguration',
    VersioningConfiguration: 'Versioning',
  },
  translate(props) {
    const name = orGenerated(props.str('BucketName'));
    const ownership = props.obj('OwnershipControls');
    return {
      Name: name,
      Location: props.region ?? UNKNOWN,
      Acl: { Grants: grants(props) },
      PublicAccessBlockConfiguration: publicAccessBlock(props),
      ServerSideEncryptionConfiguration: encryption(props),
      Versioning: versioning(props),
      Logging: logging(props, name),
      OwnershipControls: ownership,
    };
  },
};

/** AWS::S3::BucketPolicy → the bucket's parsed `Policy`. */
export const bucketPolicy: JoinSpec = (props: Props, index: DraftIndex) => {
  const document = props.policyDocument(props.raw('PolicyDocument'), 'PolicyDocument', 'PolicyDocument');
  const parents = parentsOf(props, index, 'Bucket', bucket.type, 'Name');
  for (const parent of parents) {
    parent.config.Policy = document;
    inheritRefs(parent, props, 'Policy');
  }
  return parents.length;
};
