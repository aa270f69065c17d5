import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGraph } from '../../../src/graph/build.js';
import { GraphFacts } from '../../../src/graph/facts/index.js';
import type { Resource } from '../../../src/model/resource.js';
import { loadInputs } from '../../../src/sources/index.js';
import {
  ADMIN,
  allow,
  instance,
  keyPair,
  nacl,
  network,
  profile,
  role,
  routeTable,
  sg,
  subnet,
} from '../../helpers/live-network.js';

function facts(resources: Resource[]): GraphFacts {
  return new GraphFacts(buildGraph(resources));
}

const byName = (resources: Resource[], name: string) => resources.find((r) => r.name === name)!;

describe('internet-exposed', () => {
  const box = (id: string, opts: Partial<Parameters<typeof instance>[1]>) =>
    instance(id, {
      subnet: 'subnet-0pub',
      vpc: 'vpc-0a1',
      groups: ['sg-0ssh'],
      publicIp: '198.51.100.7',
      ...opts,
    });

  it('holds with a public IP, an internet gateway route, an open group and an open NACL; the evidence is the path', () => {
    const rs = [...network(), box('i-0open', {})];
    const f = facts(rs).internetExposed(byName(rs, 'i-0open'), 22);
    assert.equal(f.truth, true);
    assert.deepEqual(
      f.evidence.map((e) => e.note),
      [
        'public IP 198.51.100.7',
        'subnet subnet-0pub routes 0.0.0.0/0 to internet gateway igw-0a1 (route table rtb-0pub)',
        'security group sg-0ssh allows tcp 22 from 0.0.0.0/0',
        'network ACL acl-0def rule 100 allows 22 from 0.0.0.0/0',
      ],
    );
    assert.equal(f.via.length, 5);
  });

  it('is per port: the same instance is not exposed on 3389', () => {
    const rs = [...network(), box('i-0open', {})];
    assert.equal(facts(rs).internetExposed(byName(rs, 'i-0open'), 3389).truth, false);
    assert.equal(facts(rs).internetExposed(byName(rs, 'i-0open')).truth, true);
  });

  it('near misses: no public IP, group closed to the world, NAT-only route, NACL deny', () => {
    const denyAcl = nacl(
      'acl-0strict',
      'vpc-0a1',
      ['subnet-0deny'],
      [
        {
          RuleNumber: 90,
          Protocol: '6',
          RuleAction: 'deny',
          Egress: false,
          CidrBlock: '0.0.0.0/0',
          PortRange: { From: 22, To: 22 },
        },
        { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
      ],
    );
    const rs = [
      ...network(),
      subnet('subnet-0deny', 'vpc-0a1'),
      routeTable('rtb-0deny', 'vpc-0a1', [{ dest: '0.0.0.0/0', gateway: 'igw-0a1' }], ['subnet-0deny']),
      denyAcl,
      box('i-0private', { publicIp: undefined }),
      box('i-0office', { groups: ['sg-0office'] }),
      box('i-0natted', { subnet: 'subnet-0prv' }),
      box('i-0denied', { subnet: 'subnet-0deny' }),
    ];
    const g = facts(rs);
    for (const name of ['i-0private', 'i-0office', 'i-0natted', 'i-0denied']) {
      assert.equal(g.internetExposed(byName(rs, name), 22).truth, false, name);
    }
    // The NACL lets 443 through (rule 100) but the group does not open it.
    assert.equal(g.internetExposed(byName(rs, 'i-0denied'), 443).truth, false);
  });

  it('holds through an internet-facing load balancer for the target port, not for others', () => {
    const rs: Resource[] = [
      ...network(),
      sg('sg-0web', 'vpc-0a1', [{ port: 443, cidr: '0.0.0.0/0' }]),
      sg('sg-0tgt', 'vpc-0a1', [{ port: 8080, group: 'sg-0web' }]),
      instance('i-0app', { subnet: 'subnet-0prv', vpc: 'vpc-0a1', groups: ['sg-0tgt'] }),
    ];
    const base = rs[0]!;
    rs.push(
      {
        ...base,
        id: 'arn:lb',
        type: 'aws.elbv2.load-balancer',
        name: 'web',
        config: {
          LoadBalancerArn: 'arn:lb',
          Scheme: 'internet-facing',
          SecurityGroups: ['sg-0web'],
          AvailabilityZones: [{ SubnetId: 'subnet-0pub' }],
          Listeners: [
            { Port: 443, Protocol: 'HTTPS', DefaultActions: [{ Type: 'forward', TargetGroupArn: 'arn:tg' }] },
          ],
        },
      },
      {
        ...base,
        id: 'arn:tg',
        type: 'aws.elbv2.target-group',
        name: 'app',
        config: { TargetGroupArn: 'arn:tg', Port: 8080, Targets: [{ Id: 'i-0app', Port: 8080 }] },
      },
    );
    const g = facts(rs);
    const f = g.internetExposed(byName(rs, 'i-0app'), 8080);
    assert.equal(f.truth, true);
    assert.equal(
      f.evidence[0]?.note,
      'load balancer web (listener 443) forwards through target group app to port 8080',
    );
    assert.equal(
      f.evidence.at(-1)?.note,
      "security group sg-0tgt admits 8080 from the load balancer's group sg-0web",
    );
    assert.equal(g.internetExposed(byName(rs, 'i-0app'), 22).truth, false);
    // Its own group does not let the load balancer in: not exposed.
    const shut = rs.map((r) =>
      r.name === 'i-0app' ? { ...r, config: { ...r.config, SecurityGroups: [{ GroupId: 'sg-0app' }] } } : r,
    );
    assert.equal(facts(shut).internetExposed(byName(shut, 'i-0app'), 8080).truth, false);
    const internal = rs.map((r) =>
      r.id === 'arn:lb' ? { ...r, config: { ...r.config, Scheme: 'internal' } } : r,
    );
    assert.equal(facts(internal).internetExposed(byName(internal, 'i-0app'), 8080).truth, false);
  });

  it('is unknown when the security groups are known only after apply and nothing references them', () => {
    const planned: Resource = {
      ...box('i-0planned', { groups: [], publicIp: undefined }),
      source: { kind: 'terraform-plan' },
      unknown: ['SecurityGroups'],
    };
    planned.config.AssociatePublicIpAddress = true;
    const rs = [...network(), planned];
    const f = facts(rs).internetExposed(planned, 22);
    assert.equal(f.truth, 'unknown');
    assert.equal(f.reason, 'the security groups are known only after apply');
  });

  it('on IaC follows references: the seed shared-key plan exposes the bastion on 22', async () => {
    const inv = await loadInputs([
      'test/fixtures/policies/aws-ec2-public-instance-shares-key-with-admin-instance/fail/plan.json',
    ]);
    const g = facts(inv.resources);
    const bastion = inv.resources.find((r) => r.source.address === 'aws_instance.bastion')!;
    const f = g.internetExposed(bastion, 22);
    assert.equal(f.truth, true);
    assert.deepEqual(
      f.evidence.map((e) => e.note),
      [
        'public IP (AssociatePublicIpAddress = true)',
        'subnet aws_subnet.public routes 0.0.0.0/0 to internet gateway aws_internet_gateway.main (route table aws_route_table.public)',
        'security group fixture-ssh allows tcp 22 from 0.0.0.0/0',
        'subnet aws_subnet.public has no network ACL of its own (the default allows all)',
      ],
    );
  });
});

describe('admin-privilege', () => {
  const admin = (r: Resource) => facts([r]).adminPrivilege(r);

  it('wildcards, NotAction, iam:*, self-granting actions and PassRole with compute creation amount to admin', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['star', allow('*'), 'role star: inline policy inline-0 allows * on *'],
      [
        'notaction',
        { Statement: [{ Effect: 'Allow', NotAction: ['s3:*'], Resource: '*' }] },
        'role notaction: inline policy inline-0 allows iam:* on * (NotAction s3:*)',
      ],
      ['iamall', allow('iam:*'), 'role iamall: inline policy inline-0 allows iam:* on *'],
      [
        'putrole',
        allow('iam:PutRolePolicy'),
        'role putrole: inline policy inline-0 allows iam:PutRolePolicy on *, so it can grant itself any permission',
      ],
      [
        'passrole',
        allow('iam:PassRole', 'lambda:CreateFunction'),
        'role passrole: inline policy inline-0 allows iam:PassRole on * and inline policy inline-0 allows lambda:CreateFunction on *: it can run code as any role',
      ],
    ];
    for (const [name, doc, note] of cases) {
      const f = admin(role(name, { inline: [doc] }));
      assert.equal(f.truth, true, name);
      assert.deepEqual(
        f.evidence.map((e) => e.note),
        [note],
      );
    }
  });

  it('is not admin: PassRole alone, escalation actions on one resource, an explicit deny, PowerUserAccess', () => {
    const notAdmin: Resource[] = [
      role('pass-only', { inline: [allow('iam:PassRole', 's3:*')] }),
      role('scoped', {
        inline: [
          {
            Statement: [
              { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::111122223333:role/x' },
            ],
          },
        ],
      }),
      role('denied', {
        managed: [ADMIN],
        inline: [{ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }],
      }),
      role('poweruser', { managed: ['arn:aws:iam::aws:policy/PowerUserAccess'] }),
    ];
    for (const r of notAdmin) assert.equal(admin(r).truth, false, r.name);
  });

  it('a conditional deny does not take admin away; a customer policy not in the input makes it unknown', () => {
    const conditional = role('conditional', {
      managed: [ADMIN],
      inline: [
        {
          Statement: [
            {
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
            },
          ],
        },
      ],
    });
    assert.equal(admin(conditional).truth, true);
    const missing = admin(role('missing', { managed: ['arn:aws:iam::111122223333:policy/custom'] }));
    assert.equal(missing.truth, 'unknown');
    assert.match(missing.reason ?? '', /custom/);
  });

  it('an instance is admin through its profile role; the via path names profile and role', () => {
    const rs = [
      ...network(),
      role('worker', { managed: [ADMIN] }),
      profile('worker', 'worker'),
      keyPair('ops'),
      instance('i-0w', { subnet: 'subnet-0prv', vpc: 'vpc-0a1', groups: [], profile: 'worker' }),
    ];
    const f = facts(rs).adminPrivilege(byName(rs, 'i-0w'));
    assert.equal(f.truth, true);
    assert.deepEqual(f.via, [
      'arn:aws:iam::111122223333:instance-profile/worker',
      'arn:aws:iam::111122223333:role/worker',
    ]);
    assert.deepEqual(
      f.evidence.map((e) => e.note),
      ['role worker: managed policy AdministratorAccess allows * on *'],
    );
  });
});

describe('shares-key-with', () => {
  it('on IaC, instances naming the same key pair by a literal share one key node', async () => {
    const inv = await loadInputs(['test/fixtures/terraform/graph-literal-key']);
    const g = facts(inv.resources);
    const at = (address: string) => inv.resources.find((r) => r.source.address === address)!;
    assert.deepEqual(
      g.sharesKey(at('aws_instance.a')).evidence.map((e) => e.note),
      ['key pair legacy-ops is also used by aws_instance.b'],
    );
    assert.equal(g.sharesKey(at('aws_instance.c')).truth, false);
  });
});
