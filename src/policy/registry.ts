import { accountHasFilter } from './filters/account-has.js';
import { deniesInsecureTransportFilter } from './filters/denies-insecure-transport.js';
import { factFilter } from './filters/fact.js';
import { iamAdminFilter } from './filters/iam-admin.js';
import { egressFilter, ingressFilter } from './filters/ingress.js';
import { logMetricAlarmFilter } from './filters/log-metric-alarm.js';
import { networkAclIngressFilter } from './filters/network-acl-ingress.js';
import { pathFilter } from './filters/path.js';
import { publicAccessFilter } from './filters/public-access.js';
import { requiredTagsFilter } from './filters/required-tags.js';
import { trailEventsFilter } from './filters/trail-events.js';
import type { TypedFilter } from './filters/types.js';

/** Every named filter type the policy language knows. */
export const TYPED_FILTERS: ReadonlyMap<string, TypedFilter> = new Map(
  [
    ingressFilter,
    egressFilter,
    publicAccessFilter,
    iamAdminFilter,
    // Graph: derived facts and multi-resource paths.
    factFilter,
    pathFilter,
    // Compliance: account-wide lookups, CloudTrail/CloudWatch chains, tags.
    accountHasFilter,
    trailEventsFilter,
    logMetricAlarmFilter,
    deniesInsecureTransportFilter,
    networkAclIngressFilter,
    requiredTagsFilter,
  ].map((f) => [f.name, f]),
);

/** Canonical resource types a policy may name (docs/resource-types.md). */
export const RESOURCE_TYPES: readonly string[] = [
  'aws.s3.bucket',
  'aws.ec2.security-group',
  'aws.ec2.instance',
  'aws.iam.role',
  'aws.iam.user',
  'aws.iam.group',
  'aws.iam.policy',
  'aws.iam.instance-profile',
  'aws.iam.access-key',
  'aws.iam.account',
  'aws.iam.server-certificate',
  'aws.rds.instance',
  'aws.rds.cluster',
  'aws.rds.snapshot',
  'aws.rds.db-subnet-group',
  'aws.ec2.volume',
  'aws.ec2.snapshot',
  'aws.ec2.image',
  'aws.ec2.key-pair',
  'aws.efs.file-system',
  'aws.kms.key',
  'aws.cloudtrail.trail',
  'aws.ec2.vpc',
  'aws.ec2.subnet',
  'aws.ec2.route-table',
  'aws.ec2.internet-gateway',
  'aws.ec2.nat-gateway',
  'aws.ec2.network-acl',
  'aws.ec2.flow-log',
  'aws.ec2.network-interface',
  'aws.ec2.elastic-ip',
  'aws.elbv2.load-balancer',
  'aws.elbv2.target-group',
  'aws.elb.load-balancer',
  'aws.logs.log-group',
  'aws.logs.metric-filter',
  'aws.cloudwatch.alarm',
  'aws.lambda.function',
  'aws.config.recorder',
  'aws.account.region',
  'aws.sns.topic',
  'azure.storage.account',
  'azure.storage.container',
  'azure.network.nsg',
  'gcp.storage.bucket',
  'gcp.compute.firewall',
  'openstack.networking.secgroup',
  'openstack.networking.port',
];
