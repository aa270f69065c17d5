import type { Collector } from '../types.js';
import { accountRegionCollector } from './account-region.js';
import { cloudtrailCollector } from './cloudtrail.js';
import { cloudwatchCollector } from './cloudwatch.js';
import { ec2Collector } from './ec2/index.js';
import { elbCollector } from './elb.js';
import { iamCollector } from './iam.js';
import { kmsCollector } from './kms.js';
import { lambdaCollector } from './lambda.js';
import { logsCollector } from './logs.js';
import { rdsCollector } from './rds.js';
import { s3Collector } from './s3.js';
import { snsCollector } from './sns.js';

/**
 * Every live AWS collector. Each service's collector lives in its own module; add it here to have it
 * run by `scan --aws`, `collect` and the tests' `collectWith`.
 */
export const COLLECTORS: Collector[] = [
  ec2Collector,
  accountRegionCollector,
  s3Collector,
  iamCollector,
  rdsCollector,
  kmsCollector,
  cloudtrailCollector,
  elbCollector,
  lambdaCollector,
  logsCollector,
  cloudwatchCollector,
  snsCollector,
];
