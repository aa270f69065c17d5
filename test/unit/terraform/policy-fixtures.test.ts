import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import { readTerraformPlan } from '../../../src/sources/terraform/index.js';
import { readJson } from './helpers.js';

/**
 * The plan twins of the built-in policies' fixtures. The policy engine is tested elsewhere; here a
 * small independent reading of each policy checks that every plan translates into the config that
 * makes its expected status true, so a fixture cannot silently test nothing.
 */
const ROOT = new URL('../../fixtures/policies/', import.meta.url);

type Obj = Record<string, unknown>;
type Status = 'fail' | 'pass' | 'unknown' | 'exempt';

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const WORLD = new Set(['0.0.0.0/0', '::/0']);
const ADMIN_PORTS = [22, 3389];

const isUnknown = (r: Resource, path: string) =>
  (r.unknown ?? []).some((u) => u === path || u.startsWith(`${path}.`) || u.startsWith(`${path}[`));
const covers = (from: unknown, to: unknown) =>
  ADMIN_PORTS.some(
    (p) => from === undefined || from === null || ((from as number) <= p && p <= ((to ?? from) as number)),
  );
const verdict = (failing: boolean, undecided: boolean): Status =>
  failing ? 'fail' : undecided ? 'unknown' : 'pass';

function s3Public(r: Resource): Status {
  if (r.tags.Content === 'Marketing') return 'exempt';
  const c = r.config;
  const blocked = (flags: string[]) =>
    flags.some(
      (f) =>
        obj(c.PublicAccessBlockConfiguration)[f] === true ||
        obj(c.AccountPublicAccessBlockConfiguration)[f] === true,
    );
  const publicAcl = list(obj(c.Acl).Grants).some((g) =>
    /\/(AllUsers|AuthenticatedUsers)$/.test(String(obj(obj(g).Grantee).URI ?? '')),
  );
  const statements = list(obj(c.Policy).Statement);
  const publicPolicy = statements.some((s) => {
    const st = obj(s);
    return (
      st.Effect === 'Allow' &&
      (st.Principal === '*' || obj(st.Principal).AWS === '*') &&
      st.Condition === undefined
    );
  });
  const failing =
    (publicAcl && !blocked(['IgnorePublicAcls', 'BlockPublicAcls'])) ||
    (publicPolicy && !blocked(['RestrictPublicBuckets', 'BlockPublicPolicy']));
  return verdict(failing, isUnknown(r, 'Acl') || isUnknown(r, 'Policy'));
}

function sgAdmin(r: Resource): Status {
  const failing = list(r.config.IpPermissions).some((p) => {
    const perm = obj(p);
    const ranges = [
      ...list(perm.IpRanges).map((x) => obj(x).CidrIp),
      ...list(perm.Ipv6Ranges).map((x) => obj(x).CidrIpv6),
    ];
    const tcp = perm.IpProtocol === '-1' || perm.IpProtocol === 'tcp';
    return (
      tcp &&
      ranges.some((c) => WORLD.has(String(c))) &&
      (perm.IpProtocol === '-1' || covers(perm.FromPort, perm.ToPort))
    );
  });
  return verdict(failing, isUnknown(r, 'IpPermissions'));
}

function instanceAdmin(r: Resource, inv: Inventory): Status {
  const profileName = obj(r.config.IamInstanceProfile).Name;
  const profile = inv.resources.find(
    (x) => x.type === 'aws.iam.instance-profile' && x.config.InstanceProfileName === profileName,
  );
  const roleNames = list(profile?.config.Roles).map((x) => obj(x).RoleName);
  const roles = inv.resources.filter(
    (x) => x.type === 'aws.iam.role' && roleNames.includes(x.config.RoleName),
  );
  const starStar = (doc: unknown) =>
    list(obj(doc).Statement).some(
      (s) =>
        obj(s).Effect === 'Allow' &&
        [obj(s).Action].flat().includes('*') &&
        [obj(s).Resource].flat().includes('*'),
    );
  const admin = roles.some(
    (role) =>
      list(role.config.AttachedManagedPolicies).some(
        (p) => obj(p).PolicyArn === 'arn:aws:iam::aws:policy/AdministratorAccess',
      ) || list(role.config.RolePolicyList).some((p) => starStar(obj(p).PolicyDocument)),
  );
  return verdict(admin, false);
}

const flag = (path: string, failWhen: unknown) => (r: Resource) =>
  verdict(r.config[path] === failWhen, isUnknown(r, path));

function kmsRotation(r: Resource): Status {
  const c = r.config;
  return verdict(
    c.KeyManager === 'CUSTOMER' && c.KeySpec === 'SYMMETRIC_DEFAULT' && c.KeyRotationEnabled === false,
    isUnknown(r, 'KeyRotationEnabled'),
  );
}

function azureContainer(r: Resource): Status {
  const access = obj(r.config.properties).publicAccess;
  const allowed = obj(obj(r.config.storageAccount).properties).allowBlobPublicAccess;
  return verdict((access === 'Blob' || access === 'Container') && allowed !== false, false);
}

function azureNsg(r: Resource): Status {
  const failing = list(obj(r.config.properties).securityRules).some((x) => {
    const p = obj(obj(x).properties);
    const sources = [p.sourceAddressPrefix, ...list(p.sourceAddressPrefixes)].map((s) =>
      String(s).toLowerCase(),
    );
    const ports = [p.destinationPortRange, ...list(p.destinationPortRanges)]
      .filter((x) => x !== undefined)
      .map(String);
    const portsCover = ports.some(
      (t) =>
        t === '*' ||
        ADMIN_PORTS.some((n) => {
          const [a, b] = t.split('-').map(Number);
          return a !== undefined && a <= n && n <= (b ?? a);
        }),
    );
    return (
      p.direction === 'Inbound' &&
      p.access === 'Allow' &&
      (p.protocol === 'Tcp' || p.protocol === '*') &&
      sources.some((s) => ['*', 'internet', 'any', '0.0.0.0/0', '::/0'].includes(s)) &&
      portsCover
    );
  });
  return verdict(failing, false);
}

function gcsPublic(r: Resource): Status {
  const members = list(obj(r.config.iamPolicy).bindings).flatMap((b) => list(obj(b).members));
  const granted = members.some((m) => m === 'allUsers' || m === 'allAuthenticatedUsers');
  return verdict(granted && obj(r.config.iamConfiguration).publicAccessPrevention !== 'enforced', false);
}

function gcpFirewall(r: Resource): Status {
  const c = r.config;
  const world = list(c.sourceRanges).some((s) => WORLD.has(String(s)));
  const opens = list(c.allowed).some((a) => {
    const rule = obj(a);
    if (rule.IPProtocol !== 'tcp' && rule.IPProtocol !== 'all') return false;
    const ports = list(rule.ports).map(String);
    return (
      ports.length === 0 ||
      ports.some((t) => {
        const [x, y] = t.split('-').map(Number);
        return covers(x, y ?? x);
      })
    );
  });
  return verdict(c.direction === 'INGRESS' && c.disabled === false && world && opens, false);
}

function openstackSecgroup(r: Resource): Status {
  const failing = list(r.config.security_group_rules).some((x, i) => {
    const rule = obj(x);
    const remoteGroup =
      rule.remote_group_id !== undefined || isUnknown(r, `security_group_rules[${i}].remote_group_id`);
    const fromAnywhere =
      WORLD.has(String(rule.remote_ip_prefix)) || (rule.remote_ip_prefix === null && !remoteGroup);
    return (
      rule.direction === 'ingress' &&
      fromAnywhere &&
      (rule.protocol === 'tcp' || rule.protocol === null) &&
      covers(rule.port_range_min, rule.port_range_max)
    );
  });
  return verdict(failing, false);
}

const POLICIES: Record<string, { types: string[]; status: (r: Resource, inv: Inventory) => Status }> = {
  'aws-s3-bucket-public': { types: ['aws.s3.bucket'], status: s3Public },
  'aws-ec2-sg-admin-ports-open': { types: ['aws.ec2.security-group'], status: sgAdmin },
  'aws-ec2-instance-admin-role': { types: ['aws.ec2.instance'], status: instanceAdmin },
  'aws-rds-storage-unencrypted': {
    types: ['aws.rds.instance', 'aws.rds.cluster'],
    status: flag('StorageEncrypted', false),
  },
  'aws-rds-publicly-accessible': { types: ['aws.rds.instance'], status: flag('PubliclyAccessible', true) },
  'aws-ebs-volume-unencrypted': { types: ['aws.ec2.volume'], status: flag('Encrypted', false) },
  'aws-kms-key-rotation-disabled': { types: ['aws.kms.key'], status: kmsRotation },
  'aws-cloudtrail-not-multi-region': {
    types: ['aws.cloudtrail.trail'],
    status: flag('IsMultiRegionTrail', false),
  },
  'aws-vpc-flow-logs-disabled': {
    types: ['aws.ec2.vpc'],
    status: (r) => verdict(list(r.config.FlowLogs).length === 0, isUnknown(r, 'FlowLogs')),
  },
  'azure-storage-public': { types: ['azure.storage.container'], status: azureContainer },
  'azure-nsg-admin-ports-open': { types: ['azure.network.nsg'], status: azureNsg },
  'gcp-storage-public': { types: ['gcp.storage.bucket'], status: gcsPublic },
  'gcp-firewall-admin-ports-open': { types: ['gcp.compute.firewall'], status: gcpFirewall },
  'openstack-secgroup-admin-ports-open': {
    types: ['openstack.networking.secgroup'],
    status: openstackSecgroup,
  },
};

const REQUIRED_CASES: Record<string, string[]> = {
  'aws-s3-bucket-public': ['fail', 'pass', 'exempt'],
  'aws-ec2-sg-admin-ports-open': ['fail', 'pass', 'unknown'],
  'aws-rds-storage-unencrypted': ['fail', 'pass', 'unknown'],
  'aws-ebs-volume-unencrypted': ['fail', 'pass', 'unknown'],
};

describe('plan twins of the policy fixtures', () => {
  it('exist for every built-in policy, with fail and pass cases at least', () => {
    for (const policy of Object.keys(POLICIES)) {
      for (const c of REQUIRED_CASES[policy] ?? ['fail', 'pass']) {
        assert.ok(existsSync(new URL(`${policy}/${c}/plan.json`, ROOT)), `${policy}/${c}/plan.json`);
        assert.ok(
          existsSync(new URL(`${policy}/${c}/expected-plan.json`, ROOT)),
          `${policy}/${c}/expected-plan.json`,
        );
      }
    }
  });

  for (const policy of Object.keys(POLICIES)) {
    const spec = POLICIES[policy]!;
    for (const c of readdirSync(new URL(`${policy}/`, ROOT))) {
      if (!existsSync(new URL(`${policy}/${c}/plan.json`, ROOT))) continue;
      it(`${policy}/${c}`, () => {
        const inv = readTerraformPlan(
          readJson(new URL(`${policy}/${c}/plan.json`, ROOT)),
          `${policy}/${c}/plan.json`,
        );
        const expected = readJson(new URL(`${policy}/${c}/expected-plan.json`, ROOT)) as {
          address: string;
          status: Status;
        }[];
        const inScope = inv.resources.filter((r) => spec.types.includes(r.type));
        assert.deepEqual(
          inScope.map((r) => r.id).sort(),
          expected.map((e) => e.address).sort(),
          'expected-plan.json lists every resource of the policy type',
        );
        for (const e of expected) {
          const r = inScope.find((x) => x.id === e.address)!;
          assert.equal(
            spec.status(r, inv),
            e.status,
            `${e.address}: ${JSON.stringify(r.config)} unknown=${JSON.stringify(r.unknown)}`,
          );
          assert.equal(r.source.kind, 'terraform-plan');
        }
        assert.equal(
          c === 'unknown',
          expected.some((e) => e.status === 'unknown'),
          'an unknown case has an unknown result',
        );
      });
    }
  }
});
