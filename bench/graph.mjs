#!/usr/bin/env node
// Graph benchmark: `npm run build && node bench/graph.mjs` (BENCH_GRAPH_SIZE=100000 by default).
//
// Generates a deterministic live-shaped inventory (docs/resource-types.md shapes, ARNs as ids, links
// through native ids) of N resources spread over accounts and VPCs — networks with internet and NAT
// gateways, security groups, key pairs shared by ten instances each, roles (one in eight is admin),
// instance profiles, load balancers with target groups — then measures in this one process:
//   1. buildGraph(resources)                 the relationship graph,
//   2. the complex pack (the four cross-resource built-in policies) evaluated over the inventory,
// and prints wall time per stage, the findings count and the process's peak RSS (ru_maxrss).
import { cpus, loadavg } from 'node:os';
import { graphFactsFor } from '../dist/graph/facts/index.js';
import { evaluate } from '../dist/policy/evaluate.js';
import { loadPolicies } from '../dist/policy/load.js';

const SIZE = Number(process.env.BENCH_GRAPH_SIZE ?? 100_000);
const COMPLEX = [
  'aws-ec2-public-instance-shares-key-with-admin-instance',
  'aws-ec2-internet-exposed-admin-instance',
  'aws-lb-public-to-admin-instance',
  'aws-iam-role-trusts-unknown-account',
];

function generate(size) {
  const out = [];
  let seq = 0;
  const hex = () => (seq++).toString(16).padStart(12, '0');
  const region = 'eu-west-1';
  const res = (account, type, id, name, config, global = false) => {
    out.push({
      id,
      provider: 'aws',
      type,
      account,
      region: global ? 'global' : region,
      name,
      tags: {},
      config,
      source: { kind: 'live' },
    });
  };
  const ec2 = (account, kind, id) => `arn:aws:ec2:${region}:${account}:${kind}/${id}`;
  let a = 0;
  while (out.length < size) {
    const account = String(100000000000 + a++);
    // IAM: 40 roles per account, one in eight admin, one in twenty trusting a foreign account.
    const roles = [];
    for (let i = 0; i < 40 && out.length < size; i++) {
      const name = `role-${i}`;
      const arn = `arn:aws:iam::${account}:role/${name}`;
      const principal =
        i % 20 === 0 ? { AWS: 'arn:aws:iam::999988887777:root' } : { Service: 'ec2.amazonaws.com' };
      res(
        account,
        'aws.iam.role',
        arn,
        name,
        {
          RoleName: name,
          Arn: arn,
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
          },
          AttachedManagedPolicies:
            i % 8 === 0
              ? [
                  {
                    PolicyName: 'AdministratorAccess',
                    PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
                  },
                ]
              : [],
          RolePolicyList: [
            {
              PolicyName: 'app',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
            },
          ],
        },
        true,
      );
      const profileArn = `arn:aws:iam::${account}:instance-profile/${name}`;
      res(
        account,
        'aws.iam.instance-profile',
        profileArn,
        name,
        {
          InstanceProfileName: name,
          Arn: profileArn,
          Roles: [{ RoleName: name, Arn: arn }],
        },
        true,
      );
      roles.push(profileArn);
    }
    // 10 VPCs per account, ~250 resources each.
    for (let v = 0; v < 10 && out.length < size; v++) {
      const vpc = `vpc-${hex()}`;
      const [pub, prv] = [`subnet-${hex()}`, `subnet-${hex()}`];
      const igw = `igw-${hex()}`;
      const nat = `nat-${hex()}`;
      res(account, 'aws.ec2.vpc', ec2(account, 'vpc', vpc), vpc, { VpcId: vpc, CidrBlock: '10.0.0.0/16' });
      for (const s of [pub, prv]) {
        res(account, 'aws.ec2.subnet', ec2(account, 'subnet', s), s, {
          SubnetId: s,
          VpcId: vpc,
          MapPublicIpOnLaunch: s === pub,
        });
      }
      res(account, 'aws.ec2.internet-gateway', ec2(account, 'internet-gateway', igw), igw, {
        InternetGatewayId: igw,
        Attachments: [{ VpcId: vpc, State: 'available' }],
      });
      res(account, 'aws.ec2.nat-gateway', ec2(account, 'natgateway', nat), nat, {
        NatGatewayId: nat,
        SubnetId: pub,
        VpcId: vpc,
      });
      const rtb = (id, routes, assoc, main) =>
        res(account, 'aws.ec2.route-table', ec2(account, 'route-table', id), id, {
          RouteTableId: id,
          VpcId: vpc,
          Routes: routes,
          Associations: [
            ...(main ? [{ Main: true }] : []),
            ...assoc.map((s) => ({ SubnetId: s, Main: false })),
          ],
        });
      rtb(`rtb-${hex()}`, [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }], [pub], false);
      rtb(`rtb-${hex()}`, [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }], [], true);
      const acl = `acl-${hex()}`;
      res(account, 'aws.ec2.network-acl', ec2(account, 'network-acl', acl), acl, {
        NetworkAclId: acl,
        VpcId: vpc,
        IsDefault: true,
        Entries: [
          { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
        ],
        Associations: [],
      });
      const sgs = [`sg-${hex()}`, `sg-${hex()}`, `sg-${hex()}`];
      const perms = [
        [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            UserIdGroupPairs: [],
          },
        ],
        [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            UserIdGroupPairs: [],
          },
        ],
        [
          {
            IpProtocol: 'tcp',
            FromPort: 8080,
            ToPort: 8080,
            IpRanges: [],
            UserIdGroupPairs: [{ GroupId: sgs[1] }],
          },
        ],
      ];
      for (const [i, g] of sgs.entries()) {
        res(account, 'aws.ec2.security-group', ec2(account, 'security-group', g), g, {
          GroupId: g,
          VpcId: vpc,
          IpPermissions: perms[i],
        });
      }
      const instances = [];
      for (let k = 0; k < 20 && out.length < size; k++) {
        const keyName = `key-${vpc}-${k}`;
        res(account, 'aws.ec2.key-pair', ec2(account, 'key-pair', `key-${hex()}`), keyName, {
          KeyName: keyName,
        });
        for (let i = 0; i < 10 && out.length < size; i++) {
          const id = `i-${hex()}`;
          const isPublic = i === 0;
          res(account, 'aws.ec2.instance', ec2(account, 'instance', id), id, {
            InstanceId: id,
            SubnetId: isPublic ? pub : prv,
            VpcId: vpc,
            KeyName: keyName,
            ...(isPublic ? { PublicIpAddress: `198.51.100.${i + 1}` } : {}),
            SecurityGroups: [{ GroupId: isPublic ? sgs[0] : sgs[2] }],
            IamInstanceProfile: { Arn: roles[(k * 10 + i) % roles.length] },
          });
          instances.push(id);
        }
      }
      const lb = `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/lb-${hex()}/1`;
      const tg = `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/tg-${hex()}/1`;
      res(account, 'aws.elbv2.load-balancer', lb, 'lb', {
        LoadBalancerArn: lb,
        Scheme: 'internet-facing',
        SecurityGroups: [sgs[1]],
        AvailabilityZones: [{ SubnetId: pub }],
        Listeners: [
          { Port: 443, Protocol: 'HTTPS', DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] },
        ],
      });
      res(account, 'aws.elbv2.target-group', tg, 'tg', {
        TargetGroupArn: tg,
        Port: 8080,
        Targets: instances.slice(1, 11).map((id) => ({ Id: id, Port: 8080 })),
      });
    }
  }
  return out.slice(0, size);
}

const ms = (t) => performance.now() - t;
// CPU time of this process as well as wall time: on a busy shared machine wall time mostly measures waiting.
const cpu = (c) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
let t = performance.now();
const resources = generate(SIZE);
const generated = ms(t);
const policies = loadPolicies({ only: COMPLEX });
t = performance.now();
let c = process.cpuUsage();
// The graph the engine builds once per scan (scan.ts) and shares with every policy through the context.
const { graph } = graphFactsFor(resources);
const built = ms(t);
const builtCpu = cpu(c);
t = performance.now();
c = process.cpuUsage();
const results = evaluate(policies.compiled, { resources, unsupported: {}, inputs: [] });
const evaluated = ms(t);
const evaluatedCpu = cpu(c);
const counts = {};
for (const r of results) if (r.status === 'fail') counts[r.policy] = (counts[r.policy] ?? 0) + 1;
const rss = (process.resourceUsage().maxRSS / 1024).toFixed(0);
const f = (x) => `${x.toFixed(0)} ms`;
console.log(`resources: ${resources.length} (generated in ${f(generated)})`);
console.log(
  `graph: ${graph.nodes.size} nodes, ${graph.edges.length} edges, built in ${f(built)} (CPU ${f(builtCpu)})`,
);
console.log(
  `complex pack (${COMPLEX.length} policies): ${results.length} results in ${f(evaluated)} (CPU ${f(evaluatedCpu)})`,
);
for (const [policy, n] of Object.entries(counts)) console.log(`  ${policy}: ${n} findings`);
console.log(
  `graph + complex pack: ${f(built + evaluated)} (CPU ${f(builtCpu + evaluatedCpu)}); peak RSS ${rss} MB`,
);
// Other work on the machine inflates every figure: print what it was doing.
console.log(
  `Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
