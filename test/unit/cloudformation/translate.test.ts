import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byAddress, inputError, readResources } from './helpers.js';

const one = (yaml: string, address: string, options?: { region?: string }) =>
  byAddress(readResources(yaml, options), address);

describe('translate: security groups', () => {
  it('normalises protocols, leaves out ports for all traffic, and maps every source kind', () => {
    const sg = one(
      `  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: d
      VpcId: vpc-1
      SecurityGroupIngress:
        - { IpProtocol: '6', FromPort: '22', ToPort: '22', CidrIp: 10.0.0.0/8, Description: ssh }
        - { IpProtocol: -1, FromPort: -1, ToPort: -1, CidrIpv6: ::/0 }
        - { IpProtocol: UDP, FromPort: 53, ToPort: 53, SourcePrefixListId: pl-1 }
        - { IpProtocol: icmp, FromPort: 8, ToPort: -1, SourceSecurityGroupName: other, SourceSecurityGroupOwnerId: '111122223333' }
      SecurityGroupEgress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationSecurityGroupId: sg-2 }
`,
      'G',
    );
    assert.deepEqual(sg.config.IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'ssh' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
      {
        IpProtocol: '-1',
        IpRanges: [],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
      {
        IpProtocol: 'udp',
        FromPort: 53,
        ToPort: 53,
        IpRanges: [],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [{ PrefixListId: 'pl-1' }],
      },
      {
        IpProtocol: 'icmp',
        FromPort: 8,
        ToPort: -1,
        IpRanges: [],
        Ipv6Ranges: [],
        UserIdGroupPairs: [{ GroupName: 'other', UserId: '111122223333' }],
        PrefixListIds: [],
      },
    ]);
    assert.deepEqual(sg.config.IpPermissionsEgress, [
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [],
        Ipv6Ranges: [],
        UserIdGroupPairs: [{ GroupId: 'sg-2' }],
        PrefixListIds: [],
      },
    ]);
    assert.equal(sg.config.VpcId, 'vpc-1');
    assert.deepEqual(sg.unknown, ['GroupId', 'GroupName']);
  });

  it('writes the default allow-all egress and joins rule resources by GroupId and GroupName', () => {
    const inventory = readResources(`  G:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupName: named, GroupDescription: d }
  In:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: { GroupName: named, IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0 }
  Out:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !GetAtt G.GroupId, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, DestinationPrefixListId: pl-9 }
`);
    const sg = byAddress(inventory, 'G');
    assert.deepEqual(sg.config.IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 3389,
        ToPort: 3389,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ]);
    assert.deepEqual(sg.config.IpPermissionsEgress, [
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        IpRanges: [],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [{ PrefixListId: 'pl-9' }],
      },
    ]);
    assert.deepEqual(sg.unknown, ['GroupId', 'VpcId']);
    assert.deepEqual(inventory.unsupported, {});
  });

  it('marks the whole rule list unknown when it depends on an unknown condition', () => {
    const inventory = readResources(
      `  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: d
      SecurityGroupIngress:
        - !If [C, { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }, !Ref AWS::NoValue]
`,
      {},
      'Parameters:\n  P: { Type: String }\nConditions:\n  C: !Equals [!Ref P, open]\n',
    );
    const sg = byAddress(inventory, 'G');
    assert.equal('IpPermissions' in sg.config, false);
    assert.deepEqual(sg.unknown, ['GroupId', 'GroupName', 'VpcId', 'IpPermissions']);
  });
});

describe('translate: S3 buckets', () => {
  it('expands canned ACLs to grants', () => {
    const grants = (acl: string) =>
      (
        one(`  B:\n    Type: AWS::S3::Bucket\n    Properties: { AccessControl: ${acl} }\n`, 'B').config
          .Acl as { Grants: unknown[] }
      ).Grants.slice(1);
    const group = (uri: string, Permission: string) => ({
      Grantee: { Type: 'Group', URI: `http://acs.amazonaws.com/groups/${uri}` },
      Permission,
    });
    assert.deepEqual(grants('Private'), []);
    assert.deepEqual(grants('PublicReadWrite'), [
      group('global/AllUsers', 'READ'),
      group('global/AllUsers', 'WRITE'),
    ]);
    assert.deepEqual(grants('AuthenticatedRead'), [group('global/AuthenticatedUsers', 'READ')]);
    assert.deepEqual(grants('LogDeliveryWrite'), [
      group('s3/LogDelivery', 'WRITE'),
      group('s3/LogDelivery', 'READ_ACP'),
    ]);
    const err = inputError(() => grants('Everyone'));
    assert.equal(err.format(), 'stack.yaml:4:19: resource B: AccessControl Everyone is not a canned ACL');
  });

  it('fills omitted public access block flags with false and keeps unknown settings unknown', () => {
    const bucket = one(
      `  B:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: !ImportValue acl
      PublicAccessBlockConfiguration: { BlockPublicPolicy: 'true' }
      LoggingConfiguration: { DestinationBucketName: !Ref Logs, LogFilePrefix: b/ }
  Logs:
    Type: AWS::S3::Bucket
    Properties: { BucketName: logs }
`,
      'B',
      { region: 'eu-west-1' },
    );
    assert.deepEqual(bucket.config.PublicAccessBlockConfiguration, {
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    assert.deepEqual(bucket.config.Acl, {});
    assert.deepEqual(bucket.config.Logging, { LoggingEnabled: { TargetPrefix: 'b/' } });
    assert.equal(bucket.config.Location, 'eu-west-1');
    assert.deepEqual(bucket.unknown, ['Name', 'Acl.Grants', 'Logging.LoggingEnabled.TargetBucket']);
    assert.deepEqual(bucket.refs, [{ attribute: 'Logging', target: 'Logs' }]);
    assert.equal(bucket.name, 'B');
  });
});

describe('translate: EC2 instances and volumes', () => {
  it('leaves launch-template-supplied fields unknown', () => {
    const instance = one(
      `  I:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: { LaunchTemplateId: lt-1, Version: '1' }
      SubnetId: subnet-1
`,
      'I',
    );
    assert.deepEqual(instance.config, { SubnetId: 'subnet-1', State: { Name: 'running' }, Tags: [] });
    assert.deepEqual(instance.unknown, [
      'InstanceId',
      'ImageId',
      'InstanceType',
      'KeyName',
      'VpcId',
      'PrivateIpAddress',
      'PublicIpAddress',
      'AssociatePublicIpAddress',
      'SecurityGroups',
      'IamInstanceProfile',
      'MetadataOptions',
      'BlockDeviceMappings',
    ]);
  });

  it('places an instance without subnet or groups in the default subnet and group', () => {
    const instance = one(
      `  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      IamInstanceProfile: literal-profile
      MetadataOptions: { HttpTokens: required }
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: { VolumeSize: 30, Encrypted: true }
        - DeviceName: /dev/sdf
          Ebs: { SnapshotId: snap-1 }
        - DeviceName: /dev/sdg
          NoDevice: {}
`,
      'I',
    );
    assert.deepEqual(instance.config, {
      ImageId: 'ami-1',
      InstanceType: 'm1.small',
      AssociatePublicIpAddress: true,
      SecurityGroups: [{ GroupName: 'default' }],
      IamInstanceProfile: { Name: 'literal-profile' },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 30, DeleteOnTermination: true } },
        { DeviceName: '/dev/sdf', Ebs: { SnapshotId: 'snap-1', DeleteOnTermination: true } },
        { DeviceName: '/dev/sdg', NoDevice: '' },
      ],
      State: { Name: 'running' },
      Tags: [],
    });
    assert.deepEqual(instance.unknown, [
      'InstanceId',
      'SubnetId',
      'VpcId',
      'PrivateIpAddress',
      'PublicIpAddress',
      'SecurityGroups.0.GroupId',
      'BlockDeviceMappings.1.Ebs.Encrypted',
    ]);
  });

  it('reads subnet and public IP from the primary network interface', () => {
    const instance = one(
      `  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      NetworkInterfaces:
        - { DeviceIndex: '0', SubnetId: !Ref S, AssociatePublicIpAddress: 'false', GroupSet: [sg-1] }
  S:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: vpc-1, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: true }
`,
      'I',
    );
    assert.equal(instance.config.AssociatePublicIpAddress, false);
    assert.deepEqual(instance.config.SecurityGroups, [{ GroupId: 'sg-1' }]);
    assert.deepEqual(instance.refs, [{ attribute: 'SubnetId', target: 'S' }]);
  });

  it('joins volume attachments; a volume from a snapshot has unknown encryption', () => {
    const inventory = readResources(`  V:
    Type: AWS::EC2::Volume
    Properties: { AvailabilityZone: us-east-1a, SnapshotId: snap-1 }
  A:
    Type: AWS::EC2::VolumeAttachment
    Properties: { VolumeId: !Ref V, InstanceId: !Ref I, Device: /dev/sdh }
  I:
    Type: AWS::EC2::Instance
    Properties: { ImageId: ami-1, SubnetId: subnet-1 }
`);
    const volume = byAddress(inventory, 'V');
    assert.deepEqual(volume.config, {
      AvailabilityZone: 'us-east-1a',
      VolumeType: 'gp2',
      SnapshotId: 'snap-1',
      Attachments: [{ Device: '/dev/sdh', State: 'attached' }],
      Tags: [],
    });
    assert.deepEqual(volume.unknown, ['VolumeId', 'Encrypted', 'Attachments.0.InstanceId']);
    assert.deepEqual(volume.refs, [{ attribute: 'Attachments', target: 'I' }]);
    assert.equal(byAddress(inventory, 'I').config.AssociatePublicIpAddress, undefined);
    assert.deepEqual(byAddress(inventory, 'I').unknown?.includes('AssociatePublicIpAddress'), true);
  });

  it('translates a key pair and names it', () => {
    const key = one(
      '  K:\n    Type: AWS::EC2::KeyPair\n    Properties: { KeyName: ops, KeyType: ed25519 }\n',
      'K',
    );
    assert.equal(key.name, 'ops');
    assert.deepEqual(key.config, { KeyName: 'ops', KeyType: 'ed25519', Tags: [] });
    assert.deepEqual(key.unknown, ['KeyPairId', 'KeyFingerprint']);
  });
});

describe('translate: IAM', () => {
  it('attaches managed and inline policies to roles, users and groups by Ref and by name', () => {
    const inventory = readResources(`  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
      PermissionsBoundary: arn:aws:iam::111122223333:policy/boundary
  U:
    Type: AWS::IAM::User
    Properties: { Groups: [devs], LoginProfile: { Password: pw-never-copied } }
  G:
    Type: AWS::IAM::Group
    Properties: { GroupName: devs }
  MP:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [app]
      Users: [!Ref U]
      PolicyDocument: { Statement: [{ Effect: Allow, Action: 'ec2:Describe*', Resource: '*' }] }
  RP:
    Type: AWS::IAM::RolePolicy
    Properties: { RoleName: !Ref R, PolicyName: inline, PolicyDocument: { Statement: [] } }
  GP:
    Type: AWS::IAM::Policy
    Properties: { PolicyName: group-inline, Groups: [!Ref G], PolicyDocument: { Statement: [] } }
  Add:
    Type: AWS::IAM::UserToGroupAddition
    Properties: { GroupName: ops, Users: [!Ref U] }
  P:
    Type: AWS::IAM::InstanceProfile
    Properties: { InstanceProfileName: app-profile, Roles: [app] }
`);
    const describeDoc = { Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] };
    const role = byAddress(inventory, 'R');
    assert.deepEqual(role.config.AttachedManagedPolicies, [{ PolicyDocument: describeDoc }]);
    assert.deepEqual(role.config.RolePolicyList, [
      { PolicyName: 'inline', PolicyDocument: { Statement: [] } },
    ]);
    assert.deepEqual(role.config.InstanceProfileList, [{ InstanceProfileName: 'app-profile' }]);
    assert.deepEqual(role.config.PermissionsBoundary, {
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/boundary',
    });
    assert.deepEqual(role.config.AssumeRolePolicyDocument, {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    assert.deepEqual(role.refs, [
      { attribute: 'AttachedManagedPolicies', target: 'MP' },
      { attribute: 'InstanceProfileList', target: 'P' },
    ]);
    const user = byAddress(inventory, 'U');
    assert.deepEqual(user.config.GroupList, ['devs', 'ops']);
    assert.deepEqual(user.config.AttachedManagedPolicies, [{ PolicyDocument: describeDoc }]);
    assert.equal(JSON.stringify(inventory).includes('pw-never-copied'), false);
    assert.deepEqual(byAddress(inventory, 'G').config.GroupPolicyList, [
      { PolicyName: 'group-inline', PolicyDocument: { Statement: [] } },
    ]);
    assert.deepEqual(byAddress(inventory, 'P').config.Roles, [{ RoleName: 'app' }]);
    assert.deepEqual(inventory.unsupported, {});
  });

  it('rejects a policy document that is not JSON', () => {
    const err = inputError(() =>
      readResources(
        '  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: "{not json"\n',
      ),
    );
    assert.equal(
      err.format(),
      'stack.yaml:5:7: resource R: AssumeRolePolicyDocument is not a JSON policy document',
    );
  });
});

describe('translate: RDS, KMS, CloudTrail', () => {
  it('inherits encryption from snapshots and encrypts serverless v1 clusters', () => {
    const inventory = readResources(`  FromSnapshot:
    Type: AWS::RDS::DBInstance
    Properties: { DBSnapshotIdentifier: snap, DBInstanceClass: db.t3.micro, DBSubnetGroupName: !Ref Subnets }
  Serverless:
    Type: AWS::RDS::DBCluster
    Properties: { Engine: aurora-mysql, EngineMode: serverless }
  Subnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties: { DBSubnetGroupDescription: d, SubnetIds: [subnet-1, !Ref S] }
  S:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: vpc-1, CidrBlock: 10.0.0.0/24 }
`);
    const fromSnapshot = byAddress(inventory, 'FromSnapshot');
    assert.equal('StorageEncrypted' in fromSnapshot.config, false);
    assert.deepEqual(fromSnapshot.unknown, [
      'DBInstanceIdentifier',
      'EngineVersion',
      'StorageEncrypted',
      'DBSubnetGroup.DBSubnetGroupName',
    ]);
    assert.deepEqual(fromSnapshot.refs, [{ attribute: 'DBSubnetGroup', target: 'Subnets' }]);
    assert.equal(byAddress(inventory, 'Serverless').config.StorageEncrypted, true);
    assert.deepEqual(byAddress(inventory, 'Subnets').config.Subnets, [{ SubnetIdentifier: 'subnet-1' }, {}]);
    assert.deepEqual(byAddress(inventory, 'Subnets').refs, [{ attribute: 'Subnets', target: 'S' }]);
  });

  it('translates KMS key state, spec and defaults', () => {
    const key = one(
      '  K:\n    Type: AWS::KMS::Key\n    Properties: { Enabled: false, KeySpec: RSA_2048, KeyUsage: SIGN_VERIFY }\n',
      'K',
    );
    assert.deepEqual(key.config, {
      Description: '',
      KeyManager: 'CUSTOMER',
      KeyState: 'Disabled',
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      Origin: 'AWS_KMS',
      MultiRegion: false,
      KeyRotationEnabled: false,
      Aliases: [],
      Tags: [],
    });
    assert.equal(key.name, 'K');
  });

  it('translates trail event selectors and requires IsLogging', () => {
    const trail = one(
      `  T:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: 'false'
      EventSelectors:
        - ReadWriteType: WriteOnly
          DataResources: [{ Type: AWS::S3::Object, Values: ['arn:aws:s3'] }]
`,
      'T',
    );
    assert.deepEqual(trail.config.EventSelectors, [
      {
        ReadWriteType: 'WriteOnly',
        IncludeManagementEvents: true,
        DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
        ExcludeManagementEventSources: [],
      },
    ]);
    assert.deepEqual(trail.config.Status, { IsLogging: false });
    assert.equal(trail.config.IsMultiRegionTrail, false);
    const err = inputError(() =>
      readResources('  T:\n    Type: AWS::CloudTrail::Trail\n    Properties: { S3BucketName: b }\n'),
    );
    assert.equal(err.format(), 'stack.yaml:2:3: resource T: IsLogging is required');
  });
});

describe('translate: network, load balancers, Lambda, logs', () => {
  it('joins route table associations and ignores flow logs on subnets for the VPC', () => {
    const inventory = readResources(`  V:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  S:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref V, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }
  RT:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref V }
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { RouteTableId: !Ref RT, SubnetId: !Ref S }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref S, ConnectivityType: private }
  ToNat:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref RT, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
  SubnetLogs:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: Subnet, ResourceId: !Ref S, TrafficType: ALL }
`);
    const rt = byAddress(inventory, 'RT');
    assert.deepEqual(rt.config.Associations, [{ Main: false }]);
    assert.deepEqual(rt.config.Routes, [{ State: 'active', DestinationCidrBlock: '0.0.0.0/0' }]);
    assert.deepEqual(rt.unknown, [
      'RouteTableId',
      'VpcId',
      'Routes.0.NatGatewayId',
      'Associations.0.SubnetId',
    ]);
    assert.deepEqual(rt.refs, [
      { attribute: 'VpcId', target: 'V' },
      { attribute: 'Associations', target: 'S' },
      { attribute: 'Routes', target: 'Nat' },
    ]);
    assert.deepEqual(byAddress(inventory, 'V').config.FlowLogs, []);
    assert.equal(byAddress(inventory, 'Nat').config.ConnectivityType, 'private');
    assert.deepEqual(byAddress(inventory, 'S').config, {
      CidrBlock: '10.0.1.0/24',
      AvailabilityZone: 'us-east-1a',
      MapPublicIpOnLaunch: false,
      Tags: [],
    });
  });

  it('joins listeners into their load balancer and translates target groups and classic ELBs', () => {
    const inventory = readResources(`  LB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: web
      Scheme: internal
      Subnets: [subnet-1, subnet-2]
      SecurityGroups: [sg-1]
      LoadBalancerAttributes: [{ Key: routing.http.drop_invalid_header_fields.enabled, Value: true }]
  L:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LB
      Port: 80
      Protocol: HTTP
      DefaultActions: [{ Type: redirect, RedirectConfig: { Protocol: HTTPS, Port: '443', StatusCode: HTTP_301 } }]
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: { Name: web-tg, Port: 8080, Protocol: HTTP, VpcId: vpc-1, Targets: [{ Id: i-1, Port: 8080 }] }
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners: [{ LoadBalancerPort: '80', InstancePort: '8080', Protocol: HTTP }]
      Instances: [i-1]
`);
    const lb = byAddress(inventory, 'LB');
    assert.equal(lb.name, 'web');
    assert.equal(lb.config.Scheme, 'internal');
    assert.equal(lb.config.Type, 'application');
    assert.deepEqual(lb.config.AvailabilityZones, [{ SubnetId: 'subnet-1' }, { SubnetId: 'subnet-2' }]);
    assert.deepEqual(lb.config.Attributes, { 'routing.http.drop_invalid_header_fields.enabled': 'true' });
    assert.deepEqual(lb.config.Listeners, [
      {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      },
    ]);
    assert.deepEqual(byAddress(inventory, 'TG').config.Targets, [{ Id: 'i-1', Port: 8080 }]);
    const classic = byAddress(inventory, 'Classic');
    assert.deepEqual(classic.config.ListenerDescriptions, [
      { Listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }, PolicyNames: [] },
    ]);
    assert.deepEqual(classic.config.Instances, [{ InstanceId: 'i-1' }]);
    assert.equal(classic.config.Scheme, 'internet-facing');
  });

  it('translates log groups in CloudWatch Logs camelCase', () => {
    const group = one(
      '  G:\n    Type: AWS::Logs::LogGroup\n    Properties: { LogGroupName: /app, RetentionInDays: 30 }\n',
      'G',
    );
    assert.equal(group.name, '/app');
    assert.deepEqual(group.config, { logGroupName: '/app', retentionInDays: 30, Tags: [] });
  });

  it('accepts tags in mapping form', () => {
    const fn = one(
      '  F:\n    Type: AWS::Lambda::Function\n    Properties: { Runtime: python3.12, Role: arn:aws:iam::1:role/r, Tags: { Team: data } }\n',
      'F',
    );
    assert.deepEqual(fn.tags, { Team: 'data' });
    assert.deepEqual(fn.config.Tags, [{ Key: 'Team', Value: 'data' }]);
  });
});
