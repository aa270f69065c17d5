import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Resource } from '../../../src/model/resource.js';
import { fingerprint } from '../../../src/policy/evaluate.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { InputError } from '../../../src/util/errors.js';
import { ADMIN, allow, instance, keyPair, network, profile, role } from '../../helpers/live-network.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const SHARED_KEY = 'aws-ec2-public-instance-shares-key-with-admin-instance';

function run(resources: Resource[], only: string[], parameters = {}) {
  return scanInventory({ resources, unsupported: {}, inputs: [] }, loadPolicies({ only, parameters }), NOW)
    .results;
}

function loadError(file: string): string {
  try {
    loadPolicies({ paths: [`test/fixtures/policy-files/${file}`] });
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.format();
  }
  assert.fail(`${file} loaded without error`);
}

const bastion = (id: string, key: string, groups = ['sg-0ssh'], subnet = 'subnet-0pub') =>
  instance(id, { subnet, vpc: 'vpc-0a1', groups, key, publicIp: '198.51.100.7' });
const worker = (id: string, key: string, prof: string) =>
  instance(id, { subnet: 'subnet-0prv', vpc: 'vpc-0a1', groups: ['sg-0app'], key, profile: prof });

/** The live twin of the seed scenario plus its near misses, one account. */
function liveScenario(): Resource[] {
  return [
    ...network(),
    role('admin', { managed: [ADMIN] }),
    profile('admin', 'admin'),
    role('reader', { inline: [allow('s3:GetObject')] }),
    profile('reader', 'reader'),
    ...['ops', 'noadmin', 'bastion-only', 'worker-only', 'closed', 'natted'].map(keyPair),
    // The attack path, twice: one bastion, two admin workers on its key.
    bastion('i-0bastion', 'ops'),
    worker('i-0worker1', 'ops', 'admin'),
    worker('i-0worker2', 'ops', 'admin'),
    // Same key, no admin.
    bastion('i-0b-noadmin', 'noadmin'),
    worker('i-0w-noadmin', 'noadmin', 'reader'),
    // Admin, no shared key.
    bastion('i-0b-ownkey', 'bastion-only'),
    worker('i-0w-ownkey', 'worker-only', 'admin'),
    // Public IP, SSH closed to the world.
    bastion('i-0b-closed', 'closed', ['sg-0office']),
    worker('i-0w-closed', 'closed', 'admin'),
    // Public IP and open group, but the subnet only routes to a NAT gateway.
    bastion('i-0b-natted', 'natted', ['sg-0ssh'], 'subnet-0prv'),
    worker('i-0w-natted', 'natted', 'admin'),
  ];
}

describe('path policies', () => {
  it('shared key on live-shaped data: one finding per (public instance, admin instance, key pair)', () => {
    const results = run(liveScenario(), [SHARED_KEY]);
    const failed = results.filter((r) => r.status === 'fail');
    assert.deepEqual(
      failed.map((r) => r.message),
      [
        'Internet-exposed instance shares its key pair with an instance whose role is admin: i-0bastion → key pair ops → i-0worker1',
        'Internet-exposed instance shares its key pair with an instance whose role is admin: i-0bastion → key pair ops → i-0worker2',
      ],
    );
    const arn = (kind: string, id: string) => `arn:aws:ec2:eu-west-1:111122223333:${kind}/${id}`;
    assert.deepEqual(failed[0]!.path, [
      arn('instance', 'i-0bastion'),
      arn('key-pair', 'key-ops'),
      arn('instance', 'i-0worker1'),
    ]);
    assert.equal(
      failed[0]!.fingerprint,
      fingerprint(
        SHARED_KEY,
        arn('instance', 'i-0bastion'),
        arn('key-pair', 'key-ops'),
        arn('instance', 'i-0worker1'),
      ),
    );
    assert.notEqual(failed[0]!.fingerprint, failed[1]!.fingerprint);
    // The evidence names both instances, the key pair, the role and the exposure path.
    assert.deepEqual(
      failed[0]!.evidence.map((e) => e.note),
      [
        'i-0bastion and i-0worker1 were launched with the same key pair ops',
        'role admin: managed policy AdministratorAccess allows * on *',
        'public IP 198.51.100.7',
        'subnet subnet-0pub routes 0.0.0.0/0 to internet gateway igw-0a1 (route table rtb-0pub)',
        'security group sg-0ssh allows tcp 22 from 0.0.0.0/0',
        'network ACL acl-0def rule 100 allows 22 from 0.0.0.0/0',
      ],
    );
    // Every near miss passes; the fingerprints are stable from one run to the next.
    const passed = results.filter((r) => r.status === 'pass').map((r) => r.resource.name);
    assert.equal(passed.length, results.filter((r) => r.resource.type === 'aws.ec2.instance').length - 2);
    assert.deepEqual(
      run(liveScenario(), [SHARED_KEY])
        .filter((r) => r.status === 'fail')
        .map((r) => r.fingerprint),
      failed.map((r) => r.fingerprint),
    );
  });

  it('reports at most 50 paths per resource', () => {
    const rs = [
      ...network(),
      role('admin', { managed: [ADMIN] }),
      profile('admin', 'admin'),
      keyPair('ops'),
      bastion('i-0bastion', 'ops'),
      ...Array.from({ length: 60 }, (_, i) => worker(`i-0w${i}`, 'ops', 'admin')),
    ];
    const failed = run(rs, [SHARED_KEY]).filter((r) => r.status === 'fail');
    assert.equal(failed.length, 50);
    assert.equal(new Set(failed.map((r) => r.fingerprint)).size, 50);
  });

  it('a role trusted by a known account passes once knownAccounts lists it', () => {
    const vendor = role('vendor', {
      trust: {
        Statement: [{ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole' }],
      },
    });
    const own = role('own', {
      trust: {
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
        ],
      },
    });
    const id = 'aws-iam-role-trusts-unknown-account';
    assert.deepEqual(
      run([vendor, own], [id]).map((r) => `${r.resource.name} ${r.status}`),
      ['vendor fail', 'own pass'],
    );
    assert.deepEqual(
      run([vendor, own], [id], { [id]: { knownAccounts: ['999988887777'] } }).map(
        (r) => `${r.resource.name} ${r.status}`,
      ),
      ['vendor pass', 'own pass'],
    );
  });

  it('rejects mistakes with file:line and the nearest valid name', () => {
    assert.equal(
      loadError('graph-bad-edge.yaml'),
      `test/fixtures/policy-files/graph-bad-edge.yaml:9:19: unknown edge "shares-key-wth"; did you mean "shares-key-with"? (valid: in-subnet, in-vpc, protected-by, uses-key-pair, has-instance-profile, has-role, has-policy, member-of, routes-via, guarded-by-nacl, routes-to, allows-from, forwards-to, targets, in-subnet-group, attached-to, trusts, grants-to, shares-key-with)`,
    );
    assert.equal(
      loadError('graph-wrong-start.yaml'),
      'test/fixtures/policy-files/graph-wrong-start.yaml:10:19: edge "forwards-to" (out) does not start at aws.ec2.key-pair (it starts at aws.elbv2.load-balancer)',
    );
    assert.equal(
      loadError('graph-bad-fact.yaml'),
      'test/fixtures/policy-files/graph-bad-fact.yaml:12:23: unknown fact "admin-privileges"; did you mean "admin-privilege"? (valid: internet-exposed, admin-privilege, shares-key-with)',
    );
    assert.equal(
      loadError('graph-port-on-admin.yaml'),
      'test/fixtures/policy-files/graph-port-on-admin.yaml:9:15: "port" applies to the internet-exposed fact only',
    );
    assert.equal(
      loadError('graph-fact-type.yaml'),
      'test/fixtures/policy-files/graph-fact-type.yaml:7:15: filter "fact" does not apply to aws.s3.bucket (it applies to aws.ec2.instance, aws.elbv2.load-balancer, aws.elb.load-balancer, aws.iam.role, aws.iam.user, aws.iam.group, aws.lambda.function)',
    );
  });
});
