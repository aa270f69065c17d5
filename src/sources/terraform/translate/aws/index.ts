import type { TypeTable } from '../types.js';
import { EC2_TYPES } from './ec2.js';
import { ELB_TYPES } from './elb.js';
import { IAM_TYPES } from './iam.js';
import { KMS_TYPES } from './kms.js';
import { NETWORK_TYPES } from './network.js';
import { OBSERVABILITY_TYPES } from './observability.js';
import { RDS_TYPES } from './rds.js';
import { S3_TYPES } from './s3.js';
import { SECURITY_GROUP_TYPES } from './security-group.js';

export const AWS_TYPES: TypeTable = {
  ...S3_TYPES,
  ...SECURITY_GROUP_TYPES,
  ...EC2_TYPES,
  ...NETWORK_TYPES,
  ...IAM_TYPES,
  ...RDS_TYPES,
  ...KMS_TYPES,
  ...OBSERVABILITY_TYPES,
  ...ELB_TYPES,
};
