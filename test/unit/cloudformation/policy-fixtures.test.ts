import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import { readCloudFormation } from '../../../src/sources/cloudformation/index.js';

/*
 * Checks the CloudFormation side of the twin policy fixtures: every resource of the policy's types is
 * listed in expected-cfn.json, in template order, and the translated data really carries the verdict
 * the file claims. The oracles below read the native config directly; they are a check on the
 * fixture data, not a second policy engine.
 */

type Status = 'fail' | 'pass' | 'unknown' | 'exempt';
type Obj = Record<string, unknown>;

const ROOT = new URL('../../fixtures/policies/', import.meta.url);
const ALL_USERS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const asObj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

function s3Public(r: Resource): boolean {
  const block = asObj(r.config.PublicAccessBlockConfiguration);
  const aclPublic = list(asObj(r.config.Acl).Grants).some((g) =>
    ALL_USERS.test(String(asObj(g.Grantee).URI ?? '')),
  );
  const policyPublic = list(asObj(r.config.Policy).Statement).some(
    (st) =>
      st.Effect === 'Allow' &&
      (st.Principal === '*' || asObj(st.Principal).AWS === '*') &&
      st.Condition === undefined,
  );
  return (
    (aclPublic && block.IgnorePublicAcls !== true && block.BlockPublicAcls !== true) ||
    (policyPublic && block.RestrictPublicBuckets !== true && block.BlockPublicPolicy !== true)
  );
}

function adminPortsOpen(r: Resource): boolean {
  return list(r.config.IpPermissions).some((p) => {
    const world =
      list(p.IpRanges).some((x) => x.CidrIp === '0.0.0.0/0') ||
      list(p.Ipv6Ranges).some((x) => x.CidrIpv6 === '::/0');
    const covers = (port: number) =>
      p.IpProtocol === '-1' ||
      (p.IpProtocol === 'tcp' && Number(p.FromPort) <= port && port <= Number(p.ToPort));
    return world && (covers(22) || covers(3389));
  });
}

function instanceAdmin(r: Resource, inventory: Inventory): boolean {
  const find = (address: string | undefined) => inventory.resources.find((x) => x.source.address === address);
  const target = (from: Resource | undefined, attribute: string) =>
    find(from?.refs?.find((ref) => ref.attribute === attribute)?.target);
  const role = target(target(r, 'IamInstanceProfile'), 'Roles');
  if (!role) return false;
  const managed = list(role.config.AttachedManagedPolicies).some(
    (p) => p.PolicyArn === 'arn:aws:iam::aws:policy/AdministratorAccess',
  );
  const inline = list(role.config.RolePolicyList).some((p) =>
    list(asObj(p.PolicyDocument).Statement).some(
      (st) => st.Effect === 'Allow' && st.Action === '*' && st.Resource === '*',
    ),
  );
  return managed || inline;
}

interface Oracle {
  types: string[];
  /** The config path whose unknown-ness makes the verdict unknown. */
  path?: string;
  failing(r: Resource, inventory: Inventory): boolean;
  exempt?(r: Resource): boolean;
}

const ORACLES: Record<string, Oracle> = {
  'aws-s3-bucket-public': {
    types: ['aws.s3.bucket'],
    failing: s3Public,
    exempt: (r) => r.tags.Content === 'Marketing',
  },
  'aws-ec2-sg-admin-ports-open': {
    types: ['aws.ec2.security-group'],
    failing: adminPortsOpen,
    exempt: (r) => (r.skips ?? []).some((s) => s.policy === 'aws-ec2-sg-admin-ports-open'),
  },
  'aws-ec2-instance-admin-role': { types: ['aws.ec2.instance'], failing: instanceAdmin },
  'aws-rds-storage-unencrypted': {
    types: ['aws.rds.instance', 'aws.rds.cluster'],
    path: 'StorageEncrypted',
    failing: (r) => r.config.StorageEncrypted === false,
  },
  'aws-rds-publicly-accessible': {
    types: ['aws.rds.instance'],
    failing: (r) => r.config.PubliclyAccessible === true,
  },
  'aws-ebs-volume-unencrypted': {
    types: ['aws.ec2.volume'],
    path: 'Encrypted',
    failing: (r) => r.config.Encrypted === false,
  },
  'aws-kms-key-rotation-disabled': {
    types: ['aws.kms.key'],
    failing: (r) =>
      r.config.KeyManager === 'CUSTOMER' &&
      r.config.KeySpec === 'SYMMETRIC_DEFAULT' &&
      r.config.KeyRotationEnabled === false,
  },
  'aws-cloudtrail-not-multi-region': {
    types: ['aws.cloudtrail.trail'],
    failing: (r) => r.config.IsMultiRegionTrail === false,
  },
  'aws-vpc-flow-logs-disabled': {
    types: ['aws.ec2.vpc'],
    failing: (r) => list(r.config.FlowLogs).length === 0,
  },
};

function verdict(oracle: Oracle, r: Resource, inventory: Inventory): Status {
  if (oracle.path && (r.unknown ?? []).includes(oracle.path)) return 'unknown';
  const failing = oracle.failing(r, inventory);
  if (oracle.exempt?.(r)) {
    assert.equal(failing, true, `${r.id}: an exemption fixture must hide a real failure`);
    return 'exempt';
  }
  return failing ? 'fail' : 'pass';
}

describe('twin policy fixtures: CloudFormation side', () => {
  const cases: [string, string][] = [];
  for (const policy of readdirSync(ROOT)) {
    for (const kase of readdirSync(new URL(`${policy}/`, ROOT))) {
      if (existsSync(new URL(`${policy}/${kase}/template.yaml`, ROOT))) cases.push([policy, kase]);
    }
  }

  it('has fail and pass cases for every AWS policy, plus the required unknown and exempt cases', () => {
    const expected = Object.keys(ORACLES).flatMap((p) => [`${p}/fail`, `${p}/pass`]);
    expected.push(
      'aws-rds-storage-unencrypted/unknown',
      'aws-s3-bucket-public/exempt',
      'aws-ec2-sg-admin-ports-open/exempt',
    );
    const found = new Set(cases.map(([p, k]) => `${p}/${k}`));
    for (const name of expected) assert.ok(found.has(name), `missing fixture ${name}`);
  });

  for (const [policy, kase] of cases) {
    const oracle = ORACLES[policy];
    if (!oracle) continue;
    it(`${policy}/${kase}`, () => {
      const dir = new URL(`${policy}/${kase}/`, ROOT);
      const inventory = readCloudFormation(
        readFileSync(new URL('template.yaml', dir), 'utf8'),
        'template.yaml',
      );
      const expected = JSON.parse(readFileSync(new URL('expected-cfn.json', dir), 'utf8')) as {
        address: string;
        status: Status;
      }[];
      const subjects = inventory.resources.filter((r) => oracle.types.includes(r.type));
      assert.deepEqual(
        subjects.map((r) => ({ address: r.source.address, status: verdict(oracle, r, inventory) })),
        expected,
      );
      // A case folder holds what its name says: all pass, all exempt/unknown, or at least one failure.
      const statuses = new Set(expected.map((e) => e.status));
      if (kase === 'fail') assert.ok(statuses.has('fail'));
      else assert.deepEqual([...statuses], [kase]);
      assert.deepEqual(inventory.unsupported, {});
    });
  }
});
