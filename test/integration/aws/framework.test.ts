import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { scanInventory } from '../../../src/engine/scan.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { accountRegionCollector } from '../../../src/sources/aws/collectors/account-region.js';
import { ec2Collector } from '../../../src/sources/aws/collectors/ec2/index.js';
import { formatCollectionSummary } from '../../../src/sources/aws/summary.js';
import { collectFull } from '../../support/aws-collect.js';
import { type Answer, type RequestInfo, startAwsProxy } from '../../support/aws-proxy.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const tag = (Name: string, type: 'security-group' | 'volume' | 'vpc' | 'snapshot') => [
  { ResourceType: type, Tags: [{ Key: 'Name', Value: Name }] },
];

/** One SG with SSH open, one VPC, one volume and a snapshot of it, in the client's account/region. */
async function populate(c: EC2Client, prefix: string): Promise<void> {
  const vpc = await c.send(
    new CreateVpcCommand({ CidrBlock: '10.9.0.0/16', TagSpecifications: tag(`${prefix}-vpc`, 'vpc') }),
  );
  const sg = await c.send(
    new CreateSecurityGroupCommand({
      GroupName: `${prefix}-ssh`,
      Description: 'test',
      VpcId: vpc.Vpc?.VpcId,
      TagSpecifications: tag(`${prefix}-ssh`, 'security-group'),
    }),
  );
  await c.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: sg.GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  const vol = await c.send(
    new CreateVolumeCommand({
      AvailabilityZone: `${await c.config.region()}a`,
      Size: 4,
      Encrypted: true,
      TagSpecifications: tag(`${prefix}-vol`, 'volume'),
    }),
  );
  await c.send(
    new CreateSnapshotCommand({
      VolumeId: vol.VolumeId,
      TagSpecifications: tag(`${prefix}-snap`, 'snapshot'),
    }),
  );
}

function statuses(policy: string, inv: Parameters<typeof scanInventory>[0]): string[] {
  return scanInventory(inv, loadPolicies({ only: [policy] }))
    .results.filter((r) => r.resource.name.startsWith('wt-'))
    .map((r) => `${r.resource.name} ${r.status}`)
    .sort();
}

describe('live AWS framework on moto', () => {
  it('turns denied calls into errors and failures with the missing IAM action, never a pass', async () => {
    await populate(new EC2Client(testClientConfig(moto.endpoint, 'us-east-1')), 'wt');
    const deny = new Set([
      'DescribeVolumes',
      'DescribeFlowLogs',
      'DescribeSnapshotAttribute',
      'DescribeConfigurationRecorders',
    ]);
    const proxy = await startAwsProxy(
      moto.endpoint,
      (i: RequestInfo): Answer => (deny.has(i.operation) ? 'deny' : undefined),
    );
    try {
      const full = await collectFull(proxy.endpoint, [ec2Collector, accountRegionCollector], {
        regions: ['us-east-1'],
        needsAll: true,
        maxAttempts: 3,
      });
      const inv = full.inventory;
      // The EC2 query error and the JSON 1.1 error were both read as denials.
      assert.deepEqual(
        full.failures.map((f) => [f.operation, f.code, f.iamAction, f.resourceType]),
        [
          ['DescribeFlowLogs', 'UnauthorizedOperation', 'ec2:DescribeFlowLogs', 'aws.ec2.flow-log'],
          ['DescribeVolumes', 'UnauthorizedOperation', 'ec2:DescribeVolumes', 'aws.ec2.volume'],
        ],
      );
      assert.equal(inv.resources.filter((r) => r.type === 'aws.ec2.volume').length, 0);
      // Denials are not retried.
      assert.equal(full.stats.operations.find((o) => o.operation === 'DescribeVolumes')?.attempts, 1);
      assert.deepEqual(statuses('aws-vpc-flow-logs-disabled', inv), ['wt-vpc error']);
      assert.deepEqual(statuses('aws-ebs-snapshot-public', inv), ['wt-snap error']);
      const region = inv.resources.find((r) => r.type === 'aws.account.region');
      assert.deepEqual(
        region?.errors?.map((e) => [e.path, e.code]),
        [
          ['ConfigurationRecorders', 'AccessDeniedException'],
          // moto has no Access Analyzer API: unreadable, recorded as such.
          ['AccessAnalyzers', 'InvalidResponse(HTTP 500)'],
        ],
      );
      const summary = formatCollectionSummary({ ...full, resources: inv.resources });
      assert.match(summary, /123456789012 us-east-1 ec2:DescribeVolumes — aws\.ec2\.volume not inventoried/);
      assert.match(
        summary,
        /123456789012 us-east-1 ec2:DescribeSnapshotAttribute \(aws\.ec2\.snapshot CreateVolumePermissions\)/,
      );
      assert.match(
        summary,
        /config:DescribeConfigurationRecorders \(aws\.account\.region ConfigurationRecorders\)/,
      );
    } finally {
      await proxy.stop();
    }
  });

  it('completes a throttled scan with every throttle retried and counted', async () => {
    await populate(new EC2Client(testClientConfig(moto.endpoint, 'eu-west-1')), 'wt');
    const calm = await collectFull(moto.endpoint, [ec2Collector], { regions: ['eu-west-1'], needsAll: true });
    // The first attempt of every EC2 describe call is throttled with EC2's RequestLimitExceeded.
    const seen = new Set<string>();
    const proxy = await startAwsProxy(moto.endpoint, (i) => {
      if (i.service !== 'ec2' || !i.operation.startsWith('Describe') || i.operation === 'DescribeRegions')
        return undefined;
      const key = `${i.region} ${i.operation}`;
      if (i.operation === 'DescribeSnapshotAttribute' || seen.has(key)) return undefined;
      seen.add(key);
      return 'throttle';
    });
    try {
      const full = await collectFull(proxy.endpoint, [ec2Collector], {
        regions: ['eu-west-1'],
        needsAll: true,
      });
      assert.deepEqual(full.failures, []);
      const throttled = [...proxy.answered.values()].reduce((a, b) => a + b, 0);
      // 15 describe operations, each throttled once.
      assert.equal(throttled, 15);
      assert.equal(full.stats.totals.throttles, 15);
      assert.equal(full.stats.totals.retries, 15);
      assert.equal(full.stats.operations.find((o) => o.operation === 'DescribeVolumes')?.attempts, 2);
      assert.deepEqual(
        full.inventory.resources.map((r) => r.id),
        calm.inventory.resources.map((r) => r.id),
      );
      assert.deepEqual(statuses('aws-ec2-sg-admin-ports-open', full.inventory), ['wt-ssh fail']);
    } finally {
      await proxy.stop();
    }
  });

  it('scans several accounts through AssumeRole and reports the one it cannot reach', async () => {
    const sts = new STSClient(testClientConfig(moto.endpoint, 'us-east-1'));
    for (const account of ['111111111111', '222222222222']) {
      const role = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/WardenAudit`,
          RoleSessionName: 'setup',
        }),
      );
      const c = new EC2Client({
        ...testClientConfig(moto.endpoint, 'us-west-2'),
        credentials: {
          accessKeyId: role.Credentials?.AccessKeyId as string,
          secretAccessKey: role.Credentials?.SecretAccessKey as string,
          sessionToken: role.Credentials?.SessionToken as string,
        },
      });
      await populate(c, `wt-${account.slice(0, 1)}`);
    }
    const full = await collectFull(moto.endpoint, [ec2Collector], {
      regions: ['us-west-2', 'eu-central-1'],
      account: '111111111111',
    });
    // A second run names both accounts (collectFull takes one; the framework takes many).
    const { collectAws } = await import('../../../src/sources/aws/collect.js');
    const { demandFromPaths } = await import('../../../src/sources/aws/demand.js');
    const { FAKE_CREDENTIALS } = await import('../../support/moto.js');
    // Account 333333333333's role refuses AssumeRole (STS's real error through the proxy).
    const proxy = await startAwsProxy(moto.endpoint, (i) =>
      i.operation === 'AssumeRole' && i.params.get('RoleArn')?.includes('333333333333') ? 'deny' : undefined,
    );
    const both = await collectAws({
      endpoint: proxy.endpoint,
      credentials: FAKE_CREDENTIALS,
      homeRegion: 'us-east-1',
      regions: ['us-west-2', 'eu-central-1'],
      assumeRoles: [
        'arn:aws:iam::111111111111:role/WardenAudit',
        'arn:aws:iam::333333333333:role/WardenAudit',
        'arn:aws:iam::222222222222:role/WardenAudit',
      ],
      demand: demandFromPaths({}),
      collectors: [ec2Collector],
    }).finally(() => proxy.stop());
    assert.deepEqual(
      both.unreachable.map((u) => [u.via, u.account, u.code]),
      [['assume-role arn:aws:iam::333333333333:role/WardenAudit', '333333333333', 'AccessDenied']],
    );
    // AssumeRole is counted like any call: three roles, one refused.
    assert.deepEqual(
      both.stats.operations
        .filter((o) => o.operation === 'AssumeRole')
        .map((o) => [o.service, o.calls, o.errors]),
      [['sts', 3, 1]],
    );
    assert.deepEqual(
      full.accounts.map((a) => [a.accountId, a.regions.map((r) => r.region)]),
      [['111111111111', ['eu-central-1', 'us-west-2']]],
    );
    assert.deepEqual(
      both.accounts.map((a) => [a.accountId, a.via]),
      [
        ['111111111111', 'assume-role arn:aws:iam::111111111111:role/WardenAudit'],
        ['222222222222', 'assume-role arn:aws:iam::222222222222:role/WardenAudit'],
      ],
    );
    assert.deepEqual(both.failures, []);
    const groups = both.inventory.resources
      .filter((r) => r.type === 'aws.ec2.security-group' && r.name.startsWith('wt-'))
      .map((r) => `${r.account} ${r.region} ${r.name}`);
    assert.deepEqual(groups, ['111111111111 us-west-2 wt-1-ssh', '222222222222 us-west-2 wt-2-ssh']);
  });

  it('scans every account of the organization through --org-role', async () => {
    const org = new OrganizationsClient(testClientConfig(moto.endpoint, 'us-east-1'));
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await org.send(
      new CreateAccountCommand({ AccountName: 'prod', Email: 'prod@example.com' }),
    );
    const status = await org.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id }),
    );
    const member = status.CreateAccountStatus?.AccountId as string;
    assert.match(member, /^\d{12}$/);
    const { collectAws } = await import('../../../src/sources/aws/collect.js');
    const { demandFromPaths } = await import('../../../src/sources/aws/demand.js');
    const { FAKE_CREDENTIALS } = await import('../../support/moto.js');
    const full = await collectAws({
      endpoint: moto.endpoint,
      credentials: FAKE_CREDENTIALS,
      homeRegion: 'us-east-1',
      regions: ['ap-southeast-2'],
      orgRole: 'WardenAudit',
      demand: demandFromPaths({}),
      collectors: [ec2Collector],
    });
    assert.deepEqual(
      full.accounts.map((a) => [a.accountId, a.via, a.regions.map((r) => r.region)]),
      [
        ['123456789012', 'org-role arn:aws:iam::123456789012:role/WardenAudit', ['ap-southeast-2']],
        [member, `org-role arn:aws:iam::${member}:role/WardenAudit`, ['ap-southeast-2']],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    assert.deepEqual(full.unreachable, []);
    // Each account's default VPC is its own resource, under its own account id.
    const vpcAccounts = full.inventory.resources
      .filter((r) => r.type === 'aws.ec2.vpc')
      .map((r) => r.account);
    assert.deepEqual(vpcAccounts, ['123456789012', member].sort());
  });

  it('reads every enabled region by default and skips a requested region that is not enabled', async () => {
    const { resolveTargets } = await import('../../../src/sources/aws/targets.js');
    const { CallStats } = await import('../../../src/sources/aws/call-stats.js');
    const { FAKE_CREDENTIALS } = await import('../../support/moto.js');
    const settings = { endpoint: moto.endpoint, maxAttempts: 2 };
    const all = await resolveTargets(
      { credentials: FAKE_CREDENTIALS, homeRegion: 'us-east-1' },
      settings,
      new CallStats(),
    );
    const regions = all.targets[0]?.regions ?? [];
    // moto's commercial regions that need no opt-in; opt-in, GovCloud and China regions are left out.
    assert.equal(regions.length, 20);
    assert.ok(
      regions.includes('eu-west-1') && !regions.includes('ap-east-1') && !regions.includes('us-gov-west-1'),
    );
    const asked = await collectFull(moto.endpoint, [ec2Collector], { regions: ['us-east-1', 'ap-east-1'] });
    assert.deepEqual(
      asked.accounts.map((a) => [a.regions.map((r) => r.region), a.skippedRegions]),
      [[['us-east-1'], ['ap-east-1']]],
    );
    assert.match(
      formatCollectionSummary({ ...asked, resources: asked.inventory.resources }),
      /regions not enabled, skipped: ap-east-1/,
    );
  });
});
