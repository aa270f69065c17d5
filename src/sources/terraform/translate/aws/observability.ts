import { ifKnown } from '../config.js';
import { isMarker } from '../markers.js';
import type { ResourceSpec, TypeTable } from '../types.js';
import { blocks, bool, firstBlock, known, mapList, num, str, strList, type Values } from '../values.js';

function eventSelectors(basic: unknown, advanced: unknown): unknown {
  const selectors = blocks(basic);
  const advancedBlocks = blocks(advanced);
  // A trail with no selectors records all management events (CloudTrail's default selector).
  if (
    !isMarker(selectors) &&
    selectors.length === 0 &&
    !isMarker(advancedBlocks) &&
    advancedBlocks.length === 0
  ) {
    return [
      {
        ReadWriteType: 'All',
        IncludeManagementEvents: true,
        DataResources: [],
        ExcludeManagementEventSources: [],
      },
    ];
  }
  return mapList(selectors, (s) => {
    const sel = s as Values;
    return {
      ReadWriteType: str(sel.read_write_type) ?? 'All',
      IncludeManagementEvents: bool(sel.include_management_events, true),
      DataResources: mapList(sel.data_resource, (d) => ({
        Type: str((d as Values).type),
        Values: strList((d as Values).values),
      })),
      ExcludeManagementEventSources: strList(sel.exclude_management_event_sources),
    };
  });
}

function advancedSelectors(value: unknown): unknown {
  return mapList(value, (s) => {
    const sel = s as Values;
    return {
      Name: str(sel.name),
      FieldSelectors: mapList(sel.field_selector, (f) => {
        const fs = f as Values;
        return {
          Field: str(fs.field),
          Equals: strList(fs.equals),
          NotEquals: strList(fs.not_equals),
          StartsWith: strList(fs.starts_with),
          NotStartsWith: strList(fs.not_starts_with),
          EndsWith: strList(fs.ends_with),
          NotEndsWith: strList(fs.not_ends_with),
        };
      }),
    };
  });
}

const trail: ResourceSpec = {
  provider: 'aws',
  type: 'aws.cloudtrail.trail',
  nameKey: 'Name',
  keys: ['id', 'name', 'arn'],
  refs: {
    s3_bucket_name: 'S3BucketName',
    kms_key_id: 'KmsKeyId',
    cloud_watch_logs_group_arn: 'CloudWatchLogsLogGroupArn',
    cloud_watch_logs_role_arn: 'CloudWatchLogsRoleArn',
    sns_topic_name: 'SnsTopicName',
  },
  translate: (v) => ({
    Name: str(v.name),
    TrailARN: str(v.arn),
    HomeRegion: ifKnown(str(v.home_region)),
    S3BucketName: str(v.s3_bucket_name),
    S3KeyPrefix: str(v.s3_key_prefix),
    SnsTopicName: str(v.sns_topic_name),
    IsMultiRegionTrail: bool(v.is_multi_region_trail, false),
    IsOrganizationTrail: bool(v.is_organization_trail, false),
    IncludeGlobalServiceEvents: bool(v.include_global_service_events, true),
    LogFileValidationEnabled: bool(v.enable_log_file_validation, false),
    KmsKeyId: str(v.kms_key_id),
    CloudWatchLogsLogGroupArn: str(v.cloud_watch_logs_group_arn),
    CloudWatchLogsRoleArn: str(v.cloud_watch_logs_role_arn),
    Status: { IsLogging: bool(v.enable_logging, true) },
    EventSelectors: eventSelectors(v.event_selector, v.advanced_event_selector),
    AdvancedEventSelectors: advancedSelectors(v.advanced_event_selector),
  }),
};

const logGroup: ResourceSpec = {
  provider: 'aws',
  type: 'aws.logs.log-group',
  nameKey: 'logGroupName',
  keys: ['id', 'name', 'arn'],
  identity: { id: 'name' },
  refs: { kms_key_id: 'kmsKeyId' },
  translate: (v) => ({
    logGroupName: str(v.name),
    arn: str(v.arn),
    // 0 means "never expire": CloudWatch Logs then reports no retention at all.
    retentionInDays: known(num(v.retention_in_days), (n) => (n === 0 ? undefined : n)),
    kmsKeyId: str(v.kms_key_id),
    logGroupClass: str(v.log_group_class) ?? 'STANDARD',
  }),
};

/** Environment values are secrets as often as not: only their names are kept. */
function environment(value: unknown): unknown {
  const block = firstBlock(value);
  if (block === undefined || isMarker(block)) return block;
  const vars = block.variables;
  if (isMarker(vars)) return { Variables: vars };
  if (vars === null || vars === undefined || typeof vars !== 'object') return { Variables: {} };
  return { Variables: Object.fromEntries(Object.keys(vars).map((name) => [name, '<redacted>'])) };
}

function vpcConfig(value: unknown): unknown {
  const block = firstBlock(value);
  if (isMarker(block)) return block;
  return {
    SubnetIds: block ? strList(block.subnet_ids) : [],
    SecurityGroupIds: block ? strList(block.security_group_ids) : [],
    VpcId: block ? ifKnown(str(block.vpc_id)) : undefined,
  };
}

const lambda: ResourceSpec = {
  provider: 'aws',
  type: 'aws.lambda.function',
  nameKey: 'FunctionName',
  keys: ['id', 'function_name', 'arn'],
  refs: { role: 'Role', vpc_config: 'VpcConfig', kms_key_arn: 'KMSKeyArn', environment: 'Environment' },
  translate: (v) => ({
    FunctionName: str(v.function_name),
    FunctionArn: str(v.arn),
    Runtime: str(v.runtime),
    Handler: str(v.handler),
    Role: str(v.role),
    PackageType: str(v.package_type) ?? 'Zip',
    VpcConfig: vpcConfig(v.vpc_config),
    Environment: environment(v.environment),
    KMSKeyArn: str(v.kms_key_arn),
    TracingConfig: known(firstBlock(v.tracing_config), (t) => ({ Mode: str(t.mode) ?? 'PassThrough' })) ?? {
      Mode: 'PassThrough',
    },
  }),
};

export const OBSERVABILITY_TYPES: TypeTable = {
  aws_cloudtrail: {
    resource: trail,
    names: ['s3_bucket_name'],
    readBack: ['event_selector', 'advanced_event_selector', 'insight_selector'],
  },
  aws_cloudwatch_log_group: { resource: logGroup, readBack: ['log_group_class'] },
  aws_lambda_function: { resource: lambda, readBack: ['tracing_config', 'vpc_config', 'environment'] },
};
