import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTerraformPlan } from '../../../src/sources/terraform/index.js';
import { byId, readJson, WEBAPP } from './helpers.js';

const inventory = readTerraformPlan(readJson(new URL('plan.json', WEBAPP)), 'webapp/plan.json');

describe('terraform plan: the shared webapp fixture', () => {
  it('emits every modelled resource once, sub-resources joined', () => {
    assert.deepEqual(
      inventory.resources.map((r) => `${r.id} ${r.type}`),
      [
        'aws_cloudtrail.main aws.cloudtrail.trail',
        'aws_cloudwatch_log_group.flow aws.logs.log-group',
        'aws_db_instance.shop aws.rds.instance',
        'aws_db_subnet_group.shop aws.rds.db-subnet-group',
        'aws_ebs_snapshot.cache aws.ec2.snapshot',
        'aws_ebs_volume.cache aws.ec2.volume',
        'aws_flow_log.shop aws.ec2.flow-log',
        'aws_iam_access_key.ci aws.iam.access-key',
        'aws_iam_instance_profile.app aws.iam.instance-profile',
        'aws_iam_policy.app aws.iam.policy',
        'aws_iam_role.app aws.iam.role',
        'aws_iam_role.flow aws.iam.role',
        'aws_iam_user.ci aws.iam.user',
        'aws_instance.app aws.ec2.instance',
        'aws_internet_gateway.shop aws.ec2.internet-gateway',
        'aws_key_pair.ops aws.ec2.key-pair',
        'aws_kms_key.trail aws.kms.key',
        'aws_lb.shop aws.elbv2.load-balancer',
        'aws_lb_target_group.app aws.elbv2.target-group',
        'aws_network_acl.app aws.ec2.network-acl',
        'aws_route_table.edge aws.ec2.route-table',
        'aws_s3_bucket.trail aws.s3.bucket',
        'aws_s3_bucket.uploads aws.s3.bucket',
        'aws_security_group.app aws.ec2.security-group',
        'aws_security_group.lb aws.ec2.security-group',
        'aws_subnet.app aws.ec2.subnet',
        'aws_subnet.edge[0] aws.ec2.subnet',
        'aws_subnet.edge[1] aws.ec2.subnet',
        'aws_vpc.shop aws.ec2.vpc',
      ],
    );
    assert.deepEqual(inventory.unsupported, {});
    assert.deepEqual(inventory.inputs, ['webapp/plan.json']);
  });

  it('never carries the sensitive values or the user data', () => {
    const text = JSON.stringify(inventory);
    assert.equal(text.includes('fixture-password-not-for-output'), false);
    assert.equal(text.includes('fixture-token-not-for-output'), false);
    assert.equal(text.includes('API_TOKEN'), false);
    assert.equal(text.includes('6230817ae160f9af8119eb485767b1e6f663c3d2'), false);
    const instance = byId(inventory, 'aws_instance.app');
    assert.equal(JSON.stringify(instance).toLowerCase().includes('userdata'), false);
  });

  it('joins versioning, logging and the public access block into the uploads bucket', () => {
    const uploads = byId(inventory, 'aws_s3_bucket.uploads');
    assert.equal(uploads.name, 'shop-uploads-staging');
    assert.equal(uploads.region, 'eu-west-1');
    assert.deepEqual(uploads.config.Versioning, { Status: 'Enabled' });
    assert.deepEqual(uploads.config.Logging, {
      LoggingEnabled: { TargetBucket: 'shop-trail-staging', TargetPrefix: 's3/uploads/' },
    });
    assert.deepEqual(uploads.config.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    assert.deepEqual(uploads.config.Acl, {
      Grants: [{ Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }],
    });
    assert.equal(uploads.config.Policy, undefined);
    assert.deepEqual(uploads.tags, { environment: 'staging', owner: 'shop-team' });
    assert.deepEqual(uploads.config.Tags, [
      { Key: 'environment', Value: 'staging' },
      { Key: 'owner', Value: 'shop-team' },
    ]);
    assert.deepEqual(uploads.refs, [{ attribute: 'Logging', target: 'aws_s3_bucket.trail' }]);
    assert.equal(uploads.unknown, undefined);
    assert.deepEqual(uploads.source, {
      kind: 'terraform-plan',
      address: 'aws_s3_bucket.uploads',
      file: 'webapp/plan.json',
    });
  });

  it('leaves the trail bucket policy unknown (it embeds the bucket ARN) with S3 defaults written out', () => {
    const trail = byId(inventory, 'aws_s3_bucket.trail');
    assert.deepEqual(trail.unknown, ['Policy']);
    assert.equal('Policy' in trail.config, false);
    assert.deepEqual(trail.config.Versioning, {});
    assert.deepEqual(trail.config.Logging, {});
    assert.deepEqual(trail.config.ServerSideEncryptionConfiguration, {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
    });
  });

  it('gives the app group its inline rules and the separate RDP rule', () => {
    const app = byId(inventory, 'aws_security_group.app');
    assert.deepEqual(app.config.IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'admin ssh' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] },
      {
        IpProtocol: 'tcp',
        FromPort: 3389,
        ToPort: 3389,
        IpRanges: [],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ]);
    // The 8080 source is the lb group, whose id exists only after apply: unknown, resolvable by ref.
    assert.deepEqual(app.unknown, ['GroupId', 'VpcId', 'OwnerId', 'IpPermissions[1].UserIdGroupPairs']);
    assert.deepEqual(app.refs, [
      { attribute: 'IpPermissions', target: 'aws_security_group.lb' },
      { attribute: 'VpcId', target: 'aws_vpc.shop' },
    ]);
    assert.deepEqual(app.config.IpPermissionsEgress, []);
    assert.equal(app.name, 'shop-app');
  });

  it('gives the lb group its ingress and egress rule resources', () => {
    const lb = byId(inventory, 'aws_security_group.lb');
    assert.deepEqual(lb.config.IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ]);
    assert.deepEqual(lb.config.IpPermissionsEgress, [
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ]);
  });

  it('attaches the customer policy to the role by reference while its ARN is unknown', () => {
    const role = byId(inventory, 'aws_iam_role.app');
    assert.deepEqual(role.config.AttachedManagedPolicies, [{}]);
    assert.deepEqual(role.refs, [{ attribute: 'AttachedManagedPolicies', target: 'aws_iam_policy.app' }]);
    assert.deepEqual(role.unknown, [
      'RoleId',
      'Arn',
      'AttachedManagedPolicies[0].PolicyName',
      'AttachedManagedPolicies[0].PolicyArn',
    ]);
    assert.deepEqual(role.config.AssumeRolePolicyDocument, {
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
      Version: '2012-10-17',
    });
    assert.deepEqual(role.config.RolePolicyList, []);
    assert.equal(role.region, '');
    const profile = byId(inventory, 'aws_iam_instance_profile.app');
    assert.deepEqual(profile.config.Roles, [{ RoleName: 'shop-app' }]);
    assert.deepEqual(profile.refs, [{ attribute: 'Roles', target: 'aws_iam_role.app' }]);
  });

  it('translates the instance with native names and native ref attributes', () => {
    const instance = byId(inventory, 'aws_instance.app');
    assert.equal(instance.name, 'shop-app');
    assert.deepEqual(instance.config.IamInstanceProfile, { Name: 'shop-app' });
    assert.equal(instance.config.KeyName, 'shop-ops');
    assert.deepEqual(instance.config.MetadataOptions, { HttpTokens: 'optional', HttpEndpoint: 'enabled' });
    assert.deepEqual(instance.config.BlockDeviceMappings, [
      { Ebs: { Encrypted: false, VolumeSize: 20, DeleteOnTermination: true } },
    ]);
    assert.deepEqual(instance.refs, [
      { attribute: 'IamInstanceProfile', target: 'aws_iam_instance_profile.app' },
      { attribute: 'KeyName', target: 'aws_key_pair.ops' },
      { attribute: 'SubnetId', target: 'aws_subnet.app' },
      { attribute: 'SecurityGroups', target: 'aws_security_group.app' },
    ]);
    assert.ok(instance.unknown?.includes('SecurityGroups'));
    assert.ok(instance.unknown?.includes('AssociatePublicIpAddress'));
  });

  it('reads RDS, EBS, KMS and CloudTrail settings', () => {
    const db = byId(inventory, 'aws_db_instance.shop');
    assert.equal(db.config.StorageEncrypted, true);
    assert.equal(db.config.PubliclyAccessible, false);
    assert.equal(db.config.BackupRetentionPeriod, 0);
    assert.deepEqual(db.config.DBSubnetGroup, { DBSubnetGroupName: 'shop' });
    assert.deepEqual(db.unknown, ['DBInstanceArn', 'DbiResourceId', 'KmsKeyId', 'VpcSecurityGroups']);
    assert.equal(byId(inventory, 'aws_ebs_volume.cache').config.Encrypted, false);
    const key = byId(inventory, 'aws_kms_key.trail');
    assert.equal(key.config.KeyRotationEnabled, true);
    assert.equal(key.config.KeyManager, 'CUSTOMER');
    assert.equal(key.config.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.deepEqual(key.config.Aliases, ['alias/shop-trail']);
    assert.equal(key.name, 'alias/shop-trail');
    const trail = byId(inventory, 'aws_cloudtrail.main');
    assert.equal(trail.config.IsMultiRegionTrail, false);
    assert.equal(trail.config.LogFileValidationEnabled, false);
    // The bucket's id is unknown before apply but equals its configured name.
    assert.equal(trail.config.S3BucketName, 'shop-trail-staging');
  });

  it('joins the flow log into the VPC and keeps it as a resource', () => {
    const vpc = byId(inventory, 'aws_vpc.shop');
    assert.deepEqual(vpc.config.FlowLogs, [
      { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs', FlowLogStatus: 'ACTIVE' },
    ]);
    assert.deepEqual(vpc.unknown, ['VpcId']);
    const flow = byId(inventory, 'aws_flow_log.shop');
    assert.equal(flow.config.TrafficType, 'REJECT');
    assert.deepEqual(
      flow.refs?.find((r) => r.attribute === 'ResourceId'),
      { attribute: 'ResourceId', target: 'aws_vpc.shop' },
    );
  });

  it('joins listeners, targets, route table associations and snapshot permissions', () => {
    const lb = byId(inventory, 'aws_lb.shop');
    assert.equal(lb.config.Scheme, 'internet-facing');
    assert.deepEqual(lb.config.Listeners, [
      { Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward' }] },
    ]);
    assert.deepEqual(lb.refs, [
      { attribute: 'SecurityGroups', target: 'aws_security_group.lb' },
      { attribute: 'AvailabilityZones', target: 'aws_subnet.edge' },
      { attribute: 'Listeners', target: 'aws_lb_target_group.app' },
    ]);
    const tg = byId(inventory, 'aws_lb_target_group.app');
    assert.deepEqual(tg.config.Targets, [{ Port: 8080 }]);
    assert.deepEqual(tg.refs?.at(-1), { attribute: 'Targets', target: 'aws_instance.app' });
    const rt = byId(inventory, 'aws_route_table.edge');
    assert.deepEqual(rt.config.Associations, [{ Main: false }, { Main: false }]);
    assert.deepEqual(byId(inventory, 'aws_ebs_snapshot.cache').config.CreateVolumePermissions, [
      { UserId: '111122223333' },
    ]);
    const nacl = byId(inventory, 'aws_network_acl.app');
    assert.deepEqual((nacl.config.Entries as unknown[]).slice(0, 2), [
      {
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '10.60.0.0/16',
        PortRange: { From: 8080, To: 8080 },
      },
      { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
    ]);
  });

  it('keeps the user with its managed policy and access key, never the secret', () => {
    const user = byId(inventory, 'aws_iam_user.ci');
    assert.deepEqual(user.config.AttachedManagedPolicies, [
      { PolicyName: 'PowerUserAccess', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
    ]);
    assert.deepEqual(user.config.AccessKeys, [{ Status: 'Active' }]);
    const key = byId(inventory, 'aws_iam_access_key.ci');
    assert.deepEqual(key.config, { UserName: 'shop-ci', Status: 'Active' });
  });
});
