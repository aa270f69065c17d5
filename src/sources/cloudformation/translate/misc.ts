import { isUnknown, UNKNOWN } from '../../../model/unknown.js';
import type { TypeSpec } from '../draft.js';
import { orDefault, type Props } from '../props.js';
import { orGenerated, stringsOf } from './common.js';

/** Variable names are kept so policies can look for e.g. `AWS_SECRET_ACCESS_KEY`; values never are. */
const REDACTED = '<redacted>';

function environment(props: Props): unknown {
  const env = props.obj('Environment');
  if (env === undefined) return undefined;
  if (isUnknown(env)) return UNKNOWN;
  const variables = props.toObj(env.Variables, 'Environment.Variables', 'Environment');
  if (variables === undefined) return { Variables: {} };
  if (isUnknown(variables)) return { Variables: UNKNOWN };
  return { Variables: Object.fromEntries(Object.keys(variables).map((name) => [name, REDACTED])) };
}

function vpcConfig(props: Props): unknown {
  const config = props.obj('VpcConfig');
  if (config === undefined || isUnknown(config)) return config;
  return {
    SubnetIds: stringsOf(props, config.SubnetIds, 'VpcConfig.SubnetIds', 'VpcConfig') ?? [],
    SecurityGroupIds:
      stringsOf(props, config.SecurityGroupIds, 'VpcConfig.SecurityGroupIds', 'VpcConfig') ?? [],
  };
}

export const lambdaFunction: TypeSpec = {
  type: 'aws.lambda.function',
  nameKey: 'FunctionName',
  refAttributes: {
    'VpcConfig.SubnetIds': 'VpcConfig',
    'VpcConfig.SecurityGroupIds': 'VpcConfig',
    KmsKeyArn: 'KMSKeyArn',
  },
  translate(props) {
    // Code (ZipFile) is never copied: inline code is where secrets hide.
    return {
      FunctionName: orGenerated(props.str('FunctionName')),
      FunctionArn: UNKNOWN,
      Runtime: props.str('Runtime'),
      Handler: props.str('Handler'),
      Role: props.str('Role'),
      PackageType: orDefault(props.str('PackageType'), 'Zip'),
      Timeout: orDefault(props.num('Timeout'), 3),
      MemorySize: orDefault(props.num('MemorySize'), 128),
      VpcConfig: vpcConfig(props),
      Environment: environment(props),
      KMSKeyArn: props.str('KmsKeyArn'),
    };
  },
};

export const logGroup: TypeSpec = {
  type: 'aws.logs.log-group',
  nameKey: 'logGroupName',
  refAttributes: { KmsKeyId: 'kmsKeyId', LogGroupName: 'logGroupName', RetentionInDays: 'retentionInDays' },
  translate(props) {
    // CloudWatch Logs' own API is camelCase; an omitted retention means "never expire" and is absent.
    return {
      logGroupName: orGenerated(props.str('LogGroupName')),
      arn: UNKNOWN,
      retentionInDays: props.num('RetentionInDays'),
      kmsKeyId: props.str('KmsKeyId'),
    };
  },
};
