import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGraph } from '../../../src/graph/build.js';
import type { Graph } from '../../../src/graph/model.js';
import type { Resource } from '../../../src/model/resource.js';
import {
  ACCOUNT,
  ADMIN,
  allow,
  instance,
  keyPair,
  network,
  profile,
  REGION,
  role,
  roleArn,
} from '../../helpers/live-network.js';

const short = (id: string) => id.replace(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:\d*:/, '');

/** Every edge as `kind from → to` with ARNs shortened to their resource part. */
function edges(graph: Graph, kinds?: string[]): string[] {
  return graph.edges
    .filter((e) => !kinds || kinds.includes(e.kind))
    .map((e) => `${e.kind} ${short(e.from)} → ${short(e.to)}`)
    .sort();
}

function liveAccount(): Resource[] {
  return [
    ...network(),
    keyPair('ops'),
    role('worker', { managed: [ADMIN], inline: [allow('s3:GetObject')] }),
    profile('worker', 'worker'),
    instance('i-0bastion', {
      subnet: 'subnet-0pub',
      vpc: 'vpc-0a1',
      groups: ['sg-0ssh'],
      key: 'ops',
      publicIp: '198.51.100.7',
    }),
    instance('i-0worker', {
      subnet: 'subnet-0prv',
      vpc: 'vpc-0a1',
      groups: ['sg-0app'],
      key: 'ops',
      profile: 'worker',
    }),
  ];
}

describe('buildGraph on live-shaped resources (ids)', () => {
  const graph = buildGraph(liveAccount());

  it('links instances to subnet, security groups, key pair and instance profile by id', () => {
    assert.deepEqual(
      edges(graph, ['in-subnet', 'protected-by', 'uses-key-pair', 'has-instance-profile', 'has-role']),
      [
        'has-instance-profile instance/i-0worker → instance-profile/worker',
        'has-role instance-profile/worker → role/worker',
        'in-subnet instance/i-0bastion → subnet/subnet-0pub',
        'in-subnet instance/i-0worker → subnet/subnet-0prv',
        'in-subnet natgateway/nat-0a1 → subnet/subnet-0pub',
        'protected-by instance/i-0bastion → security-group/sg-0ssh',
        'protected-by instance/i-0worker → security-group/sg-0app',
        'uses-key-pair instance/i-0bastion → key-pair/key-ops',
        'uses-key-pair instance/i-0worker → key-pair/key-ops',
      ],
    );
  });

  it('routes subnets through their associated or the main route table to gateways, and finds the default NACL', () => {
    assert.deepEqual(edges(graph, ['routes-via', 'routes-to', 'guarded-by-nacl']), [
      'guarded-by-nacl subnet/subnet-0prv → network-acl/acl-0def',
      'guarded-by-nacl subnet/subnet-0pub → network-acl/acl-0def',
      'routes-to route-table/rtb-0main → natgateway/nat-0a1',
      'routes-to route-table/rtb-0pub → internet-gateway/igw-0a1',
      'routes-via subnet/subnet-0prv → route-table/rtb-0main',
      'routes-via subnet/subnet-0pub → route-table/rtb-0pub',
    ]);
    const route = graph.out(`arn:aws:ec2:${REGION}:${ACCOUNT}:route-table/rtb-0pub`, 'routes-to')[0];
    assert.deepEqual(route?.data, { destination: '0.0.0.0/0' });
  });

  it('links a security group to the groups its rules reference, and roles to their policies and principals', () => {
    assert.deepEqual(edges(graph, ['allows-from']), [
      'allows-from security-group/sg-0app → security-group/sg-0ssh',
    ]);
    assert.deepEqual(edges(graph, ['has-policy', 'trusts']), [
      'has-policy role/worker → arn:aws:iam::aws:policy/AdministratorAccess',
      'has-policy role/worker → role/worker#inline/inline-0',
      'trusts role/worker → principal:service:ec2.amazonaws.com',
    ]);
    assert.equal(graph.node(ADMIN)?.external, true);
  });

  it('keeps key pairs apart across accounts and regions: same name, different key', () => {
    const other = {
      ...instance('i-0other', { subnet: 'subnet-0pub', vpc: 'vpc-0a1', groups: [], key: 'ops' }),
      account: '999988887777',
      id: 'arn:aws:ec2:eu-west-1:999988887777:instance/i-0other',
    };
    const g = buildGraph([...liveAccount(), other]);
    assert.deepEqual(
      g.out(other.id, 'uses-key-pair').map((e) => e.to),
      ['key-pair:999988887777:eu-west-1:ops'],
    );
    assert.equal(g.in(`arn:aws:ec2:${REGION}:${ACCOUNT}:key-pair/key-ops`, 'uses-key-pair').length, 2);
  });

  it('follows load balancer → target group → instance, RDS, Lambda and bucket policies', () => {
    const lbArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`;
    const tgArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/73e2d6bc24d8a067`;
    const extra: Resource[] = [
      {
        ...liveAccount()[0]!,
        id: lbArn,
        type: 'aws.elbv2.load-balancer',
        name: 'web',
        config: {
          LoadBalancerArn: lbArn,
          Scheme: 'internet-facing',
          SecurityGroups: ['sg-0ssh'],
          AvailabilityZones: [{ SubnetId: 'subnet-0pub' }],
          Listeners: [
            { Port: 443, Protocol: 'HTTPS', DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] },
          ],
        },
      },
      {
        ...liveAccount()[0]!,
        id: tgArn,
        type: 'aws.elbv2.target-group',
        name: 'web',
        config: { TargetGroupArn: tgArn, Port: 8080, Targets: [{ Id: 'i-0worker', Port: 8080 }] },
      },
      {
        ...liveAccount()[0]!,
        id: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`,
        type: 'aws.rds.instance',
        name: 'orders',
        config: {
          DBInstanceIdentifier: 'orders',
          VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0app' }],
          DBSubnetGroup: { DBSubnetGroupName: 'orders' },
        },
      },
      {
        ...liveAccount()[0]!,
        id: `arn:aws:rds:${REGION}:${ACCOUNT}:subgrp:orders`,
        type: 'aws.rds.db-subnet-group',
        name: 'orders',
        config: { DBSubnetGroupName: 'orders', Subnets: [{ SubnetIdentifier: 'subnet-0prv' }] },
      },
      {
        ...liveAccount()[0]!,
        id: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:etl`,
        type: 'aws.lambda.function',
        name: 'etl',
        config: {
          FunctionName: 'etl',
          Role: roleArn('worker'),
          VpcConfig: { SubnetIds: ['subnet-0prv'], SecurityGroupIds: ['sg-0app'] },
        },
      },
      {
        ...liveAccount()[0]!,
        id: 'arn:aws:s3:::reports',
        type: 'aws.s3.bucket',
        name: 'reports',
        config: {
          Name: 'reports',
          Policy: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::444455556666:root' },
                Action: 's3:GetObject',
              },
              { Effect: 'Deny', Principal: '*', Action: 's3:*' },
            ],
          },
        },
      },
    ];
    const g = buildGraph([...liveAccount(), ...extra]);
    const mine = new Set(extra.map((r) => r.id));
    const out = g.edges
      .filter((e) => mine.has(e.from))
      .map((e) => `${e.kind} ${short(e.from)} → ${short(e.to)}`)
      .sort();
    assert.deepEqual(out, [
      'forwards-to loadbalancer/app/web/50dc6c495c0c9188 → targetgroup/web/73e2d6bc24d8a067',
      'grants-to reports → principal:account:444455556666',
      'has-role function:etl → role/worker',
      'in-subnet function:etl → subnet/subnet-0prv',
      'in-subnet loadbalancer/app/web/50dc6c495c0c9188 → subnet/subnet-0pub',
      'in-subnet subgrp:orders → subnet/subnet-0prv',
      'in-subnet-group db:orders → subgrp:orders',
      'protected-by db:orders → security-group/sg-0app',
      'protected-by function:etl → security-group/sg-0app',
      'protected-by loadbalancer/app/web/50dc6c495c0c9188 → security-group/sg-0ssh',
      'targets targetgroup/web/73e2d6bc24d8a067 → instance/i-0worker',
    ]);
    assert.deepEqual(g.out(lbArn, 'forwards-to')[0]?.data, { port: 443, protocol: 'HTTPS' });
  });
});

describe('buildGraph on IaC', () => {
  it('gives the same edges from plan references (ids unknown) as from state ids, for resources in both', async () => {
    const { loadInputs } = await import('../../../src/sources/index.js');
    const edgesOf = async (file: string) => {
      const inv = await loadInputs([file]);
      const g = buildGraph(inv.resources);
      const addr = (id: string) => g.node(id)?.resource.source.address;
      return {
        addresses: new Set(inv.resources.map((r) => r.source.address)),
        edges: g.edges
          .filter((e) => addr(e.from) && addr(e.to))
          .map((e) => `${e.kind} ${addr(e.from)} → ${addr(e.to)}`),
      };
    };
    const plan = await edgesOf('../shared/fixtures/terraform/webapp/plan.json');
    const state = await edgesOf('../shared/fixtures/terraform/webapp/state.json');
    const inBoth = (edge: string) => {
      const [, from, , to] = edge.split(' ');
      return (
        plan.addresses.has(from) &&
        state.addresses.has(from) &&
        plan.addresses.has(to) &&
        state.addresses.has(to)
      );
    };
    const p = plan.edges.filter(inBoth).sort();
    assert.deepEqual(p, state.edges.filter(inBoth).sort());
    assert.ok(p.length >= 20, `only ${p.length} shared edges`);
    assert.ok(p.includes('routes-to aws_route_table.edge → aws_internet_gateway.shop'));
    assert.ok(p.includes('forwards-to aws_lb.shop → aws_lb_target_group.app'));
  });
});
