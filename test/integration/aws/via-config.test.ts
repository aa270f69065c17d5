import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { configExpression, makeConfigCollector } from '../../../src/sources/aws/via-config/collector.js';
import { collectFull } from '../../support/aws-collect.js';
import { type ErrorDoc, startAwsProxy } from '../../support/aws-proxy.js';
import { type Moto, startMoto } from '../../support/moto.js';

/**
 * moto answers SelectResourceConfig only with results preset from inside its Python process, so the
 * Config side is played by the loopback proxy: it answers SelectResourceConfig and
 * SelectAggregateResourceConfig in the API's real JSON 1.1 wire format (`Results` are JSON strings,
 * `QueryInfo.SelectFields`, `NextToken`) with configuration items in Config's recorded camelCase
 * shape, and forwards STS/EC2 to moto.
 */
let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

const ACCOUNT = '123456789012';
const rule = (port: number, cidr: string) => ({
  fromPort: port,
  ipProtocol: 'tcp',
  ipv6Ranges: [],
  prefixListIds: [],
  toPort: port,
  userIdGroupPairs: [],
  ipv4Ranges: [{ cidrIp: cidr }],
  ipRanges: [cidr],
});
const item = (type: string, id: string, name: string, configuration: Record<string, unknown>, extra = {}) =>
  JSON.stringify({
    resourceId: id,
    resourceName: name,
    resourceType: type,
    accountId: ACCOUNT,
    awsRegion: 'us-east-1',
    configuration,
    tags: [{ key: 'Name', value: name }],
    ...extra,
  });

const PAGE_1 = [
  item('AWS::EC2::SecurityGroup', 'sg-0a1', 'wt-cfg-ssh', {
    groupId: 'sg-0a1',
    groupName: 'wt-cfg-ssh',
    description: 'ssh',
    vpcId: 'vpc-0c1',
    ipPermissions: [rule(22, '0.0.0.0/0')],
    ipPermissionsEgress: [],
  }),
  item('AWS::EC2::SecurityGroup', 'sg-0a2', 'wt-cfg-vpn', {
    groupId: 'sg-0a2',
    groupName: 'wt-cfg-vpn',
    description: 'vpn',
    vpcId: 'vpc-0c1',
    ipPermissions: [rule(22, '10.0.0.0/8')],
    ipPermissionsEgress: [],
  }),
  item('AWS::EC2::Volume', 'vol-0b1', 'wt-cfg-plain', { volumeId: 'vol-0b1', size: 8, encrypted: false }),
  'not json {',
];
const PAGE_2 = [
  item('AWS::EC2::VPC', 'vpc-0c1', 'wt-cfg-logged', {
    vpcId: 'vpc-0c1',
    cidrBlock: '10.0.0.0/16',
    isDefault: false,
  }),
  item('AWS::EC2::VPC', 'vpc-0c2', 'wt-cfg-dark', {
    vpcId: 'vpc-0c2',
    cidrBlock: '10.1.0.0/16',
    isDefault: false,
  }),
  item('AWS::EC2::FlowLog', 'fl-0d1', 'fl-0d1', {
    flowLogId: 'fl-0d1',
    resourceId: 'vpc-0c1',
    trafficType: 'ALL',
    logDestinationType: 'cloud-watch-logs',
    flowLogStatus: 'ACTIVE',
  }),
  // Another account's item in a non-aggregated answer must not be taken.
  item(
    'AWS::EC2::Volume',
    'vol-0b9',
    'wt-cfg-foreign',
    { volumeId: 'vol-0b9', encrypted: false },
    { accountId: '999999999999' },
  ),
];

function reply(results: string[], next?: string): ErrorDoc {
  const body = {
    Results: results,
    QueryInfo: {
      SelectFields: [
        'resourceId',
        'resourceName',
        'resourceType',
        'accountId',
        'awsRegion',
        'configuration',
        'tags',
      ].map((Name) => ({ Name })),
    },
    ...(next ? { NextToken: next } : {}),
  };
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r-1' },
    body: JSON.stringify(body),
  };
}

function verdicts(inv: Parameters<typeof scanInventory>[0], policy: string): string[] {
  return scanInventory(inv, loadPolicies({ only: [policy] }))
    .results.map((r) => `${r.resource.name} ${r.status}`)
    .sort();
}

describe('--via-config (SelectResourceConfig)', () => {
  it('reads configuration items in pages and translates them to the describe shapes', async () => {
    const requests: Record<string, unknown>[] = [];
    const proxy = await startAwsProxy(moto.endpoint, (i) => {
      if (i.operation !== 'SelectResourceConfig') return undefined;
      const req = JSON.parse(i.body) as Record<string, unknown>;
      requests.push(req);
      return req.NextToken === 'page-2' ? reply(PAGE_2) : reply(PAGE_1, 'page-2');
    });
    try {
      const full = await collectFull(proxy.endpoint, [makeConfigCollector()], { regions: ['us-east-1'] });
      assert.deepEqual(full.failures, []);
      assert.deepEqual(requests, [
        { Expression: configExpression(), Limit: 100 },
        { Expression: configExpression(), Limit: 100, NextToken: 'page-2' },
      ]);
      const inv = full.inventory;
      assert.deepEqual(verdicts(inv, 'aws-ec2-sg-admin-ports-open'), ['wt-cfg-ssh fail', 'wt-cfg-vpn pass']);
      assert.deepEqual(verdicts(inv, 'aws-ebs-volume-unencrypted'), ['wt-cfg-plain fail']);
      assert.deepEqual(verdicts(inv, 'aws-vpc-flow-logs-disabled'), [
        'wt-cfg-dark fail',
        'wt-cfg-logged pass',
      ]);
      const sg = inv.resources.find((r) => r.name === 'wt-cfg-ssh');
      assert.equal(sg?.id, 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a1');
      assert.deepEqual(sg?.config.IpPermissions, [
        {
          FromPort: 22,
          IpProtocol: 'tcp',
          Ipv6Ranges: [],
          PrefixListIds: [],
          ToPort: 22,
          UserIdGroupPairs: [],
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        },
      ]);
      assert.deepEqual(sg?.tags, { Name: 'wt-cfg-ssh' });
      assert.equal(
        inv.resources.some((r) => r.name === 'wt-cfg-foreign'),
        false,
      );
      assert.equal(full.stats.operations.find((o) => o.operation === 'SelectResourceConfig')?.calls, 2);
    } finally {
      await proxy.stop();
    }
  });

  it('asks the aggregator once for the organization, and reports a denied query', async () => {
    const seen: string[] = [];
    const proxy = await startAwsProxy(moto.endpoint, (i) => {
      if (i.operation === 'SelectAggregateResourceConfig') {
        seen.push(
          String(
            (JSON.parse(i.body) as { ConfigurationAggregatorName?: unknown }).ConfigurationAggregatorName,
          ),
        );
        return reply(PAGE_2);
      }
      return i.operation === 'SelectResourceConfig' ? 'deny' : undefined;
    });
    try {
      const agg = await collectFull(proxy.endpoint, [makeConfigCollector('org-aggregator')], {
        regions: ['us-east-1', 'eu-west-1'],
      });
      assert.deepEqual(seen, ['org-aggregator']);
      // An aggregator answers for other accounts too.
      assert.deepEqual(agg.inventory.resources.map((r) => `${r.account} ${r.type} ${r.name}`).sort(), [
        '123456789012 aws.ec2.flow-log fl-0d1',
        '123456789012 aws.ec2.vpc wt-cfg-dark',
        '123456789012 aws.ec2.vpc wt-cfg-logged',
        '999999999999 aws.ec2.volume wt-cfg-foreign',
      ]);
      const denied = await collectFull(proxy.endpoint, [makeConfigCollector()], { regions: ['us-east-1'] });
      assert.deepEqual(
        denied.failures.map((f) => [f.operation, f.code, f.iamAction]),
        [['SelectResourceConfig', 'AccessDeniedException', 'config:SelectResourceConfig']],
      );
    } finally {
      await proxy.stop();
    }
  });
});
