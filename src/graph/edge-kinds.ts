import type { EdgeKind } from './model.js';

const INSTANCE = 'aws.ec2.instance';
const SUBNET = 'aws.ec2.subnet';
const SG = 'aws.ec2.security-group';
const ALB = 'aws.elbv2.load-balancer';
const ELB = 'aws.elb.load-balancer';

/** An edge kind a `path` step can follow: stored edges plus `shares-key-with`, derived from key pairs. */
export type PathEdgeKind = EdgeKind | 'shares-key-with';

/** Source and target node types of every edge kind, for validating `path` steps when a policy loads. */
export const EDGE_TYPES: Record<PathEdgeKind, { from: readonly string[]; to: readonly string[] }> = {
  'in-subnet': {
    from: [
      INSTANCE,
      'aws.ec2.network-interface',
      'aws.ec2.nat-gateway',
      ALB,
      ELB,
      'aws.rds.db-subnet-group',
      'aws.lambda.function',
    ],
    to: [SUBNET],
  },
  'in-vpc': { from: [SUBNET, SG], to: ['aws.ec2.vpc'] },
  'protected-by': {
    from: [
      INSTANCE,
      'aws.ec2.network-interface',
      ALB,
      ELB,
      'aws.rds.instance',
      'aws.rds.cluster',
      'aws.lambda.function',
    ],
    to: [SG],
  },
  'uses-key-pair': { from: [INSTANCE], to: ['aws.ec2.key-pair'] },
  'has-instance-profile': { from: [INSTANCE], to: ['aws.iam.instance-profile'] },
  'has-role': { from: ['aws.iam.instance-profile', 'aws.lambda.function'], to: ['aws.iam.role'] },
  'has-policy': {
    from: ['aws.iam.role', 'aws.iam.user', 'aws.iam.group'],
    to: ['aws.iam.policy', 'aws.iam.inline-policy'],
  },
  'member-of': { from: ['aws.iam.user'], to: ['aws.iam.group'] },
  'routes-via': { from: [SUBNET], to: ['aws.ec2.route-table'] },
  'guarded-by-nacl': { from: [SUBNET], to: ['aws.ec2.network-acl'] },
  'routes-to': { from: ['aws.ec2.route-table'], to: ['aws.ec2.internet-gateway', 'aws.ec2.nat-gateway'] },
  'allows-from': { from: [SG], to: [SG] },
  'forwards-to': { from: [ALB], to: ['aws.elbv2.target-group'] },
  targets: { from: ['aws.elbv2.target-group', ELB], to: [INSTANCE] },
  'in-subnet-group': { from: ['aws.rds.instance'], to: ['aws.rds.db-subnet-group'] },
  'attached-to': {
    from: ['aws.ec2.network-interface', 'aws.ec2.internet-gateway'],
    to: [INSTANCE, 'aws.ec2.vpc'],
  },
  trusts: { from: ['aws.iam.role'], to: ['aws.iam.principal'] },
  'grants-to': { from: ['aws.s3.bucket'], to: ['aws.iam.principal'] },
  'shares-key-with': { from: [INSTANCE], to: [INSTANCE] },
};

export const EDGE_KIND_NAMES = Object.keys(EDGE_TYPES) as PathEdgeKind[];
