import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readCloudFormation } from '../../../src/sources/cloudformation/index.js';
import { byAddress, inputError, read, readResources } from './helpers.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/cloudformation/${name}`, import.meta.url), 'utf8');

describe('readCloudFormation: YAML template with short forms', () => {
  const inventory = readCloudFormation(fixture('webapp.yaml'), 'templates/webapp.yaml');

  it('emits the supported resources in template order with ids, lines and names', () => {
    assert.deepEqual(
      inventory.resources.map((r) => [r.id, r.type, r.name, r.source.line]),
      [
        ['templates/webapp.yaml#Vpc', 'aws.ec2.vpc', 'dev-vpc', 34],
        ['templates/webapp.yaml#PublicSubnet', 'aws.ec2.subnet', 'PublicSubnet', 42],
        ['templates/webapp.yaml#WebSecurityGroup', 'aws.ec2.security-group', 'web', 49],
        ['templates/webapp.yaml#LbSecurityGroup', 'aws.ec2.security-group', 'LbSecurityGroup', 74],
        ['templates/webapp.yaml#WebRole', 'aws.iam.role', 'WebRole', 80],
        ['templates/webapp.yaml#WebProfile', 'aws.iam.instance-profile', 'WebProfile', 100],
        ['templates/webapp.yaml#WebServer', 'aws.ec2.instance', 'web-1', 105],
        ['templates/webapp.yaml#Assets', 'aws.s3.bucket', 'webapp-assets-dev', 130],
        ['templates/webapp.yaml#Database', 'aws.rds.instance', 'Database', 153],
      ],
    );
    assert.deepEqual(inventory.unsupported, { 'Custom::SlackNotifier': 1, 'AWS::SNS::Topic': 1 });
    assert.deepEqual(inventory.inputs, ['templates/webapp.yaml']);
  });

  it('fills the common identity fields', () => {
    const vpc = byAddress(inventory, 'Vpc');
    assert.deepEqual(
      {
        provider: vpc.provider,
        account: vpc.account,
        region: vpc.region,
        source: vpc.source,
        tags: vpc.tags,
      },
      {
        provider: 'aws',
        account: '',
        region: '',
        source: { kind: 'cloudformation', file: 'templates/webapp.yaml', line: 34, address: 'Vpc' },
        tags: { Name: 'dev-vpc' },
      },
    );
    assert.deepEqual(vpc.config.Tags, [{ Key: 'Name', Value: 'dev-vpc' }]);
  });

  it('translates inline rules and joins a SecurityGroupIngress resource into its group', () => {
    const sg = byAddress(inventory, 'WebSecurityGroup');
    const empty = { Ipv6Ranges: [], PrefixListIds: [] };
    assert.deepEqual(sg.config.IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        UserIdGroupPairs: [],
        ...empty,
      },
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        UserIdGroupPairs: [],
        ...empty,
      },
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [], UserIdGroupPairs: [{}], ...empty },
    ]);
    assert.deepEqual(sg.unknown, ['GroupId', 'VpcId', 'IpPermissions.2.UserIdGroupPairs.0.GroupId']);
    assert.deepEqual(sg.refs, [
      { attribute: 'VpcId', target: 'Vpc' },
      { attribute: 'IpPermissions', target: 'LbSecurityGroup' },
    ]);
    assert.equal(sg.config.GroupName, 'web');
    assert.equal(sg.config.Description, 'Web servers');
  });

  it('translates the instance with references, mapping lookups and the subnet public IP setting', () => {
    const web = byAddress(inventory, 'WebServer');
    assert.deepEqual(web.config, {
      ImageId: 'ami-0abcdef1234567890',
      InstanceType: 't3.micro',
      KeyName: 'ops-key',
      AssociatePublicIpAddress: true,
      SecurityGroups: [{}],
      IamInstanceProfile: {},
      MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      BlockDeviceMappings: [],
      State: { Name: 'running' },
      Tags: [{ Key: 'Name', Value: 'web-1' }, { Key: 'Stack' }],
    });
    assert.deepEqual(web.unknown, [
      'InstanceId',
      'SubnetId',
      'VpcId',
      'PrivateIpAddress',
      'PublicIpAddress',
      'SecurityGroups.0.GroupId',
      'IamInstanceProfile.Name',
      'Tags.1.Value',
    ]);
    assert.deepEqual(web.refs, [
      { attribute: 'SubnetId', target: 'PublicSubnet' },
      { attribute: 'SecurityGroups', target: 'WebSecurityGroup' },
      { attribute: 'IamInstanceProfile', target: 'WebProfile' },
    ]);
    assert.deepEqual(web.skips, [
      { policy: 'aws-ec2-instance-imdsv1', reason: 'legacy agent needs IMDSv1 until Q3' },
    ]);
    assert.deepEqual(web.tags, { Name: 'web-1' });
  });

  it('links the role, its instance profile and its inline policy', () => {
    const role = byAddress(inventory, 'WebRole');
    assert.deepEqual(role.config.AttachedManagedPolicies, [
      {
        PolicyName: 'AmazonSSMManagedInstanceCore',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      },
    ]);
    assert.deepEqual(role.config.RolePolicyList, [
      {
        PolicyName: 'read-assets',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] },
      },
    ]);
    assert.deepEqual(role.config.InstanceProfileList, [{}]);
    assert.deepEqual(role.unknown, [
      'RoleName',
      'RoleId',
      'Arn',
      'RolePolicyList.0.PolicyDocument.Statement.0.Resource',
    ]);
    const profile = byAddress(inventory, 'WebProfile');
    assert.deepEqual(profile.config, { Path: '/', Roles: [{}], Tags: [] });
    assert.deepEqual(profile.unknown, ['InstanceProfileName', 'Arn', 'Roles.0.RoleName']);
    assert.deepEqual(profile.refs, [{ attribute: 'Roles', target: 'WebRole' }]);
  });

  it('joins the bucket policy, expands the canned ACL and writes S3 defaults', () => {
    const bucket = byAddress(inventory, 'Assets');
    assert.deepEqual(bucket.config, {
      Name: 'webapp-assets-dev',
      Acl: {
        Grants: [
          { Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
          {
            Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
            Permission: 'READ',
          },
        ],
      },
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
      },
      Versioning: { Status: 'Enabled' },
      Logging: {},
      Tags: [{ Key: 'Content', Value: 'Marketing' }],
      Policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::webapp-assets-dev/*',
          },
        ],
      },
    });
    assert.deepEqual(bucket.unknown, ['Location']);
    assert.equal(bucket.refs, undefined);
  });

  it('applies conditions: a false condition drops the resource, NoValue drops the property', () => {
    assert.equal(
      inventory.resources.some((r) => r.source.address === 'DebugBucket'),
      false,
    );
    const db = byAddress(inventory, 'Database');
    assert.equal(db.config.StorageEncrypted, false);
    assert.equal(db.config.MultiAZ, false);
    const prod = readCloudFormation(fixture('webapp.yaml'), 'webapp.yaml', { parameters: { Env: 'prod' } });
    assert.equal(byAddress(prod, 'Database').config.StorageEncrypted, true);
    assert.equal(byAddress(prod, 'Database').config.MultiAZ, true);
    assert.equal(byAddress(prod, 'WebServer').config.InstanceType, 'm5.large');
    assert.equal(byAddress(prod, 'DebugBucket').config.Name, 'debug');
  });

  it('never copies NoEcho values, passwords or user data', () => {
    const text = JSON.stringify(inventory);
    assert.equal(text.includes('hunter2-never-print-me'), false);
    assert.equal(text.includes('MasterUserPassword'), false);
    assert.equal(text.includes('UserData'), false);
    assert.equal(text.includes('/etc/app.conf'), false);
  });
});

describe('readCloudFormation: JSON template in long form', () => {
  const inventory = readCloudFormation(fixture('audit.json'), 'audit.json');

  it('emits resources with lines from the JSON text', () => {
    assert.deepEqual(
      inventory.resources.map((r) => [r.source.address, r.type, r.source.line]),
      [
        ['TrailKey', 'aws.kms.key', 15],
        ['TrailBucket', 'aws.s3.bucket', 37],
        ['Trail', 'aws.cloudtrail.trail', 68],
        ['SharedVpc', 'aws.ec2.vpc', 79],
        ['FlowLogGroup', 'aws.logs.log-group', 83],
        ['SharedVpcFlowLog', 'aws.ec2.flow-log', 87],
        ['PublicAcl', 'aws.ec2.network-acl', 97],
        ['Gateway', 'aws.ec2.internet-gateway', 112],
        ['PublicRoutes', 'aws.ec2.route-table', 117],
        ['AuditRole', 'aws.iam.role', 129],
        ['ReadTrailPolicy', 'aws.iam.policy', 142],
        ['Auditor', 'aws.iam.user', 163],
        ['AuditorKey', 'aws.iam.access-key', 170],
        ['Digest', 'aws.lambda.function', 174],
        ['Reports', 'aws.rds.cluster', 184],
        ['ReportsWriter', 'aws.rds.instance', 193],
      ],
    );
    assert.deepEqual(inventory.unsupported, { 'AWS::CloudFormation::WaitConditionHandle': 1 });
  });

  it('joins the alias into the key and names the key after it', () => {
    const key = byAddress(inventory, 'TrailKey');
    assert.equal(key.name, 'alias/trail');
    assert.deepEqual(key.config.Aliases, ['alias/trail']);
    assert.equal(key.config.KeyRotationEnabled, true);
    assert.equal(key.config.KeyState, 'Enabled');
    assert.deepEqual(key.unknown, ['KeyId', 'Arn', 'Policy.Statement.0.Principal.AWS']);
  });

  it('joins a bucket policy written as a JSON string to its bucket by literal name', () => {
    const bucket = byAddress(inventory, 'TrailBucket');
    assert.deepEqual(bucket.config.Policy, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::org-audit-trail/*',
        },
      ],
    });
    assert.deepEqual(bucket.config.ServerSideEncryptionConfiguration, {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }],
    });
    assert.deepEqual(bucket.config.Logging, {
      LoggingEnabled: { TargetBucket: 'org-audit-trail', TargetPrefix: 'access/' },
    });
    assert.deepEqual(bucket.unknown, [
      'Location',
      'ServerSideEncryptionConfiguration.Rules.0.ApplyServerSideEncryptionByDefault.KMSMasterKeyID',
    ]);
  });

  it('leaves a condition on AWS::Region unknown unless the region is given', () => {
    assert.deepEqual(byAddress(inventory, 'Trail').unknown, [
      'TrailARN',
      'S3BucketName',
      'IsMultiRegionTrail',
      'KmsKeyId',
    ]);
    const inRegion = readCloudFormation(fixture('audit.json'), 'audit.json', { region: 'us-east-1' });
    const trail = byAddress(inRegion, 'Trail');
    assert.equal(trail.config.IsMultiRegionTrail, true);
    assert.equal(trail.region, 'us-east-1');
    assert.equal(byAddress(inRegion, 'TrailBucket').config.Location, 'us-east-1');
  });

  it('joins the flow log into the VPC and keeps it as a resource', () => {
    assert.deepEqual(byAddress(inventory, 'SharedVpc').config.FlowLogs, [
      { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs', FlowLogStatus: 'ACTIVE' },
    ]);
    const flowLog = byAddress(inventory, 'SharedVpcFlowLog');
    assert.deepEqual(flowLog.unknown, ['FlowLogId', 'ResourceId', 'DeliverLogsPermissionArn']);
    assert.deepEqual(flowLog.refs, [{ attribute: 'ResourceId', target: 'SharedVpc' }]);
  });

  it('joins ACL entries, gateway attachments and routes', () => {
    assert.deepEqual(byAddress(inventory, 'PublicAcl').config.Entries, [
      {
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 443, To: 443 },
      },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
    ]);
    const gateway = byAddress(inventory, 'Gateway');
    assert.deepEqual(gateway.config.Attachments, [{ State: 'available' }]);
    assert.deepEqual(gateway.refs, [{ attribute: 'Attachments', target: 'SharedVpc' }]);
    const routes = byAddress(inventory, 'PublicRoutes');
    assert.deepEqual(routes.config.Routes, [{ State: 'active', DestinationCidrBlock: '0.0.0.0/0' }]);
    assert.deepEqual(routes.refs, [
      { attribute: 'VpcId', target: 'SharedVpc' },
      { attribute: 'Routes', target: 'Gateway' },
    ]);
  });

  it('joins managed (by Ref) and inline (by role name) policies into the role', () => {
    const role = byAddress(inventory, 'AuditRole');
    const readTrail = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::org-audit-trail/*' }],
    };
    assert.deepEqual(role.config.AttachedManagedPolicies, [
      { PolicyName: 'read-trail', PolicyDocument: readTrail },
    ]);
    assert.deepEqual(role.config.RolePolicyList, [
      {
        PolicyName: 'break-glass',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        },
      },
    ]);
    assert.deepEqual(role.unknown, ['RoleId', 'Arn', 'AttachedManagedPolicies.0.PolicyArn']);
    assert.deepEqual(role.refs, [{ attribute: 'AttachedManagedPolicies', target: 'ReadTrailPolicy' }]);
    assert.deepEqual(byAddress(inventory, 'ReadTrailPolicy').config.PolicyDocument, readTrail);
  });

  it('joins the access key into the user and never copies the password', () => {
    const user = byAddress(inventory, 'Auditor');
    assert.deepEqual(user.config.AccessKeys, [{ Status: 'Active' }]);
    assert.deepEqual(user.config.LoginProfile, {});
    assert.deepEqual(byAddress(inventory, 'AuditorKey').config, { Status: 'Active', Tags: [] });
    assert.deepEqual(byAddress(inventory, 'AuditorKey').refs, [{ attribute: 'UserName', target: 'Auditor' }]);
  });

  it('redacts Lambda environment values and never copies inline code', () => {
    assert.deepEqual(byAddress(inventory, 'Digest').config.Environment, {
      Variables: { API_TOKEN: '<redacted>', STAGE: '<redacted>' },
    });
    const text = JSON.stringify(inventory);
    assert.equal(text.includes('tok-SECRET-5f4dcc3b'), false);
    assert.equal(text.includes('Sup3r-Secret-Pw!'), false);
    assert.equal(text.includes('ZipFile'), false);
  });

  it('gives a cluster member the cluster encryption, unknown here', () => {
    assert.deepEqual(byAddress(inventory, 'Reports').unknown, [
      'DBClusterIdentifier',
      'EngineVersion',
      'StorageEncrypted',
    ]);
    const writer = byAddress(inventory, 'ReportsWriter');
    assert.equal('StorageEncrypted' in writer.config, false);
    assert.deepEqual(writer.unknown, [
      'DBInstanceIdentifier',
      'EngineVersion',
      'StorageEncrypted',
      'DBClusterIdentifier',
    ]);
    const prod = readCloudFormation(fixture('audit.json'), 'audit.json', { parameters: { Stage: 'prod' } });
    assert.equal(byAddress(prod, 'ReportsWriter').config.StorageEncrypted, true);
  });
});

describe('readCloudFormation: bad input', () => {
  it('rejects a template without Resources', () => {
    const err = inputError(() => read("AWSTemplateFormatVersion: '2010-09-09'\nDescription: nothing\n"));
    assert.equal(
      err.format(),
      'stack.yaml:1:1: not a CloudFormation template: expected a non-empty `Resources` mapping',
    );
  });

  it('rejects Resources that is not a mapping, pointing at the key', () => {
    const err = inputError(() => read('Description: x\nResources: [a]\n'));
    assert.equal(err.line, 2);
    assert.equal(err.column, 1);
  });

  it('rejects a resource without Type at the logical id', () => {
    const err = inputError(() =>
      readResources('  Good:\n    Type: AWS::S3::Bucket\n  Broken:\n    Properties: {}\n'),
    );
    assert.equal(err.format(), 'stack.yaml:4:3: resource Broken: missing or non-string Type');
  });

  it('rejects Properties that are not a mapping', () => {
    const err = inputError(() => readResources('  B:\n    Type: AWS::S3::Bucket\n    Properties: [x]\n'));
    assert.equal(err.format(), 'stack.yaml:4:17: resource B: Properties must be a mapping');
  });

  it('rejects a resource Condition that is not defined', () => {
    const err = inputError(() => readResources('  B:\n    Type: AWS::S3::Bucket\n    Condition: Nope\n'));
    assert.equal(err.format(), 'stack.yaml:4:5: resource B: unknown condition Nope');
  });

  it('rejects a parameter override outside AllowedValues', () => {
    const text =
      'Parameters:\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n';
    const err = inputError(() => read(text, { parameters: { Env: 'test' } }));
    assert.equal(
      err.format(),
      'stack.yaml:2:3: parameter Env: value is not one of AllowedValues (dev, prod)',
    );
  });

  it('rejects a property of the wrong shape at the property', () => {
    const err = inputError(() =>
      readResources('  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Encrypted: maybe\n'),
    );
    assert.equal(err.format(), 'stack.yaml:5:7: resource V: Encrypted must be true or false');
  });

  it('rejects an inline skip without a reason', () => {
    const text =
      '  G:\n    Type: AWS::EC2::SecurityGroup\n    Metadata:\n      warden:\n        skip:\n          - id: aws-ec2-sg-admin-ports-open\n';
    const err = inputError(() => readResources(text));
    assert.equal(
      err.format(),
      'stack.yaml:7:13: resource G: Metadata.warden.skip must be a list of {id, reason} with non-empty strings',
    );
  });

  it('reports a YAML syntax error with its line', () => {
    const err = inputError(() => read('Resources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: {}\n'));
    assert.equal(err.file, 'stack.yaml');
    assert.equal(err.line, 4);
  });
});

describe('readCloudFormation: what is not modelled', () => {
  it('counts unknown AWS types, custom resources and loops, never crashing', () => {
    const inventory = readResources(
      [
        '  Queue:\n    Type: AWS::SQS::Queue\n',
        '  Queue2:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Undefined\n',
        '  Hook:\n    Type: Custom::Hook\n',
        '  Legacy:\n    Type: AWS::CloudFormation::CustomResource\n',
        '  Fn::ForEach::Topics:\n    - Name\n    - [a, b]\n    - Topic${Name}: { Type: AWS::SNS::Topic }\n',
        '  Bucket:\n    Type: AWS::S3::Bucket\n',
      ].join(''),
    );
    assert.deepEqual(inventory.unsupported, {
      'AWS::SQS::Queue': 2,
      'Custom::Hook': 1,
      'AWS::CloudFormation::CustomResource': 1,
      'Fn::ForEach': 1,
    });
    assert.deepEqual(
      inventory.resources.map((r) => r.source.address),
      ['Bucket'],
    );
  });

  it('counts a sub-resource whose parent is outside the template', () => {
    const inventory = readResources(
      [
        '  Rule:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n',
        '      GroupId: !ImportValue shared-sg\n      IpProtocol: tcp\n      FromPort: 22\n      ToPort: 22\n      CidrIp: 0.0.0.0/0\n',
        '  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: elsewhere\n      PolicyDocument: {}\n',
      ].join(''),
    );
    assert.deepEqual(inventory.unsupported, {
      'AWS::EC2::SecurityGroupIngress (target outside template)': 1,
      'AWS::S3::BucketPolicy (target outside template)': 1,
    });
    assert.deepEqual(inventory.resources, []);
  });

  it('records Properties that depend on an unknown condition as a read error', () => {
    const header = 'Parameters:\n  P: { Type: String }\nConditions:\n  C: !Equals [!Ref P, x]\n';
    const inventory = readResources(
      '  V:\n    Type: AWS::EC2::Volume\n    Properties: !If [C, { Encrypted: true }, { Encrypted: false }]\n',
      {},
      header,
    );
    assert.deepEqual(byAddress(inventory, 'V').errors, [
      {
        path: '',
        code: 'unresolved-properties',
        message: 'Properties depend on values known only at deploy time',
      },
    ]);
  });

  it('emits a resource whose condition is unknown', () => {
    const header = 'Parameters:\n  P: { Type: String }\nConditions:\n  C: !Equals [!Ref P, x]\n';
    const inventory = readResources('  B:\n    Type: AWS::S3::Bucket\n    Condition: C\n', {}, header);
    assert.deepEqual(
      inventory.resources.map((r) => r.source.address),
      ['B'],
    );
  });
});
