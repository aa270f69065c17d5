import type { JoinSpec, TypeSpec } from './draft.js';
import { trail } from './translate/cloudtrail.js';
import { instance, keyPair, volume, volumeAttachment } from './translate/ec2.js';
import { classicLoadBalancer, listenerV2, loadBalancerV2, targetGroup } from './translate/elb.js';
import {
  accessKey,
  accessKeyToUser,
  group,
  groupPolicy,
  inlinePolicy,
  instanceProfile,
  managedPolicy,
  managedPolicyAttachments,
  role,
  rolePolicy,
  user,
  userPolicy,
  userToGroupAddition,
} from './translate/iam.js';
import { kmsAlias, kmsKey } from './translate/kms.js';
import { lambdaFunction, logGroup } from './translate/misc.js';
import {
  flowLog,
  flowLogToVpc,
  gatewayAttachment,
  internetGateway,
  natGateway,
  networkAcl,
  networkAclEntry,
  route,
  routeTable,
  subnet,
  subnetNetworkAclAssociation,
  subnetRouteTableAssociation,
  vpc,
} from './translate/network.js';
import { dbCluster, dbInstance, dbSubnetGroup } from './translate/rds.js';
import { bucket, bucketPolicy } from './translate/s3.js';
import { securityGroup, securityGroupEgress, securityGroupIngress } from './translate/security-group.js';

/** A CloudFormation type becomes a resource (`spec`), is folded into others (`join`), or both. */
export interface Handler {
  spec?: TypeSpec;
  join?: JoinSpec;
}

const HANDLERS: Record<string, Handler> = {
  'AWS::S3::Bucket': { spec: bucket },
  'AWS::S3::BucketPolicy': { join: bucketPolicy },
  'AWS::EC2::SecurityGroup': { spec: securityGroup },
  'AWS::EC2::SecurityGroupIngress': { join: securityGroupIngress },
  'AWS::EC2::SecurityGroupEgress': { join: securityGroupEgress },
  'AWS::EC2::Instance': { spec: instance },
  'AWS::EC2::Volume': { spec: volume },
  'AWS::EC2::VolumeAttachment': { join: volumeAttachment },
  'AWS::EC2::KeyPair': { spec: keyPair },
  'AWS::EC2::VPC': { spec: vpc },
  'AWS::EC2::Subnet': { spec: subnet },
  'AWS::EC2::RouteTable': { spec: routeTable },
  'AWS::EC2::Route': { join: route },
  'AWS::EC2::SubnetRouteTableAssociation': { join: subnetRouteTableAssociation },
  'AWS::EC2::InternetGateway': { spec: internetGateway },
  'AWS::EC2::VPCGatewayAttachment': { join: gatewayAttachment },
  'AWS::EC2::NatGateway': { spec: natGateway },
  'AWS::EC2::NetworkAcl': { spec: networkAcl },
  'AWS::EC2::NetworkAclEntry': { join: networkAclEntry },
  'AWS::EC2::SubnetNetworkAclAssociation': { join: subnetNetworkAclAssociation },
  'AWS::EC2::FlowLog': { spec: flowLog, join: flowLogToVpc },
  'AWS::IAM::Role': { spec: role },
  'AWS::IAM::User': { spec: user },
  'AWS::IAM::Group': { spec: group },
  'AWS::IAM::InstanceProfile': { spec: instanceProfile },
  'AWS::IAM::ManagedPolicy': { spec: managedPolicy, join: managedPolicyAttachments },
  'AWS::IAM::Policy': { join: inlinePolicy },
  'AWS::IAM::RolePolicy': { join: rolePolicy },
  'AWS::IAM::UserPolicy': { join: userPolicy },
  'AWS::IAM::GroupPolicy': { join: groupPolicy },
  'AWS::IAM::AccessKey': { spec: accessKey, join: accessKeyToUser },
  'AWS::IAM::UserToGroupAddition': { join: userToGroupAddition },
  'AWS::RDS::DBInstance': { spec: dbInstance },
  'AWS::RDS::DBCluster': { spec: dbCluster },
  'AWS::RDS::DBSubnetGroup': { spec: dbSubnetGroup },
  'AWS::KMS::Key': { spec: kmsKey },
  'AWS::KMS::Alias': { join: kmsAlias },
  'AWS::CloudTrail::Trail': { spec: trail },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { spec: loadBalancerV2 },
  'AWS::ElasticLoadBalancingV2::Listener': { join: listenerV2 },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { spec: targetGroup },
  'AWS::ElasticLoadBalancing::LoadBalancer': { spec: classicLoadBalancer },
  'AWS::Lambda::Function': { spec: lambdaFunction },
  'AWS::Logs::LogGroup': { spec: logGroup },
};

export function handlerFor(cfnType: string): Handler | undefined {
  return Object.hasOwn(HANDLERS, cfnType) ? HANDLERS[cfnType] : undefined;
}

/** The CloudFormation types this source understands, for docs and `warden policies` listings. */
export function supportedTypes(): string[] {
  return Object.keys(HANDLERS).sort();
}
