import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../../../src/model/resource.js';
import { compileFilter } from '../../../src/policy/compile.js';
import { EvalContext } from '../../../src/policy/context.js';
import { resource } from '../../helpers/resources.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const ADMIN_PORTS = {
  type: 'ingress',
  IpProtocol: 'tcp',
  Ports: [22, 3389],
  Cidr: { value: ['0.0.0.0/0', '::/0'], op: 'in' },
};

function run(filter: unknown, r: Resource) {
  const f = compileFilter(filter, { at: [], resourceTypes: [r.type] });
  return f.evaluate(r, new EvalContext(r, NOW));
}

const sg = (perms: unknown[], extra: Partial<Resource> = {}) =>
  resource('aws.ec2.security-group', { GroupName: 'g', IpPermissions: perms }, extra);
const perm = (
  p: string,
  from: number | undefined,
  to: number | undefined,
  cidrs: string[],
  v6: string[] = [],
) => ({
  IpProtocol: p,
  ...(from === undefined ? {} : { FromPort: from, ToPort: to }),
  IpRanges: cidrs.map((CidrIp) => ({ CidrIp })),
  Ipv6Ranges: v6.map((CidrIpv6) => ({ CidrIpv6 })),
  UserIdGroupPairs: [],
});

describe('ingress filter', () => {
  it('AWS: exact port, ranges, all-protocol rules and IPv6 count; private sources and other ports do not', () => {
    assert.equal(run(ADMIN_PORTS, sg([perm('tcp', 22, 22, ['0.0.0.0/0'])])).truth, true);
    assert.equal(run(ADMIN_PORTS, sg([perm('tcp', 0, 1024, ['0.0.0.0/0'])])).truth, true);
    assert.equal(run(ADMIN_PORTS, sg([perm('-1', undefined, undefined, ['0.0.0.0/0'])])).truth, true);
    assert.equal(run(ADMIN_PORTS, sg([perm('tcp', 3389, 3389, [], ['::/0'])])).truth, true);
    assert.equal(run(ADMIN_PORTS, sg([perm('tcp', 22, 22, ['10.0.0.0/8'])])).truth, false);
    assert.equal(run(ADMIN_PORTS, sg([perm('tcp', 443, 443, ['0.0.0.0/0'])])).truth, false);
    assert.equal(run(ADMIN_PORTS, sg([perm('udp', 22, 22, ['0.0.0.0/0'])])).truth, false);
    assert.equal(run(ADMIN_PORTS, sg([perm('icmp', -1, -1, ['0.0.0.0/0'])])).truth, false);
  });

  it('AWS: evidence names the rule, port and source', () => {
    const v = run(
      ADMIN_PORTS,
      sg([perm('tcp', 443, 443, ['0.0.0.0/0']), perm('tcp', 20, 25, ['0.0.0.0/0'])]),
    );
    assert.deepEqual(v.evidence, [
      { path: 'IpPermissions[1].IpRanges[0]', value: '0.0.0.0/0', note: 'allows tcp 20-25 from 0.0.0.0/0' },
    ]);
  });

  it('AllowedCidrs turns the test into an allow-list of known ranges', () => {
    const allowList = { ...ADMIN_PORTS, AllowedCidrs: ['203.0.113.0/24'] };
    assert.equal(run(allowList, sg([perm('tcp', 22, 22, ['203.0.113.8/29'])])).truth, false);
    assert.equal(run(allowList, sg([perm('tcp', 22, 22, ['198.51.100.0/24'])])).truth, true);
    assert.equal(run(allowList, sg([perm('tcp', 22, 22, ['0.0.0.0/0'])])).truth, true);
    // An empty list keeps the world-only test.
    assert.equal(
      run({ ...ADMIN_PORTS, AllowedCidrs: [] }, sg([perm('tcp', 22, 22, ['198.51.100.0/24'])])).truth,
      false,
    );
  });

  it('unknown rules make the verdict unknown unless a known rule already fails', () => {
    assert.equal(run(ADMIN_PORTS, sg([], { unknown: ['IpPermissions'] })).truth, 'unknown');
    assert.equal(
      run(ADMIN_PORTS, sg([perm('tcp', 22, 22, ['0.0.0.0/0'])], { unknown: ['IpPermissions[1]'] })).truth,
      true,
    );
  });

  it('Azure NSG: inbound allow from */Internet on 22 or a range; deny and outbound rules do not count', () => {
    const nsg = (rules: unknown[]) =>
      resource('azure.network.nsg', { name: 'n', properties: { securityRules: rules } });
    const rule = (p: Record<string, unknown>) => ({
      name: 'r',
      properties: { direction: 'Inbound', access: 'Allow', protocol: 'Tcp', priority: 100, ...p },
    });
    assert.equal(
      run(ADMIN_PORTS, nsg([rule({ sourceAddressPrefix: '*', destinationPortRange: '22' })])).truth,
      true,
    );
    assert.equal(
      run(
        ADMIN_PORTS,
        nsg([rule({ sourceAddressPrefix: 'Internet', destinationPortRanges: ['80', '3000-4000'] })]),
      ).truth,
      true,
    );
    assert.equal(
      run(ADMIN_PORTS, nsg([rule({ sourceAddressPrefix: '*', destinationPortRange: '22', access: 'Deny' })]))
        .truth,
      false,
    );
    assert.equal(
      run(
        ADMIN_PORTS,
        nsg([rule({ sourceAddressPrefix: '*', destinationPortRange: '22', direction: 'Outbound' })]),
      ).truth,
      false,
    );
    assert.equal(
      run(ADMIN_PORTS, nsg([rule({ sourceAddressPrefix: 'VirtualNetwork', destinationPortRange: '22' })]))
        .truth,
      false,
    );
  });

  it('GCP firewall: ingress from the world, no ports means all ports; disabled rules do not count', () => {
    const fw = (c: Record<string, unknown>) =>
      resource('gcp.compute.firewall', { name: 'f', direction: 'INGRESS', ...c });
    assert.equal(
      run(ADMIN_PORTS, fw({ sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] }))
        .truth,
      true,
    );
    assert.equal(
      run(ADMIN_PORTS, fw({ sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp' }] })).truth,
      true,
    );
    assert.equal(
      run(ADMIN_PORTS, fw({ sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'all' }] })).truth,
      true,
    );
    assert.equal(
      run(
        ADMIN_PORTS,
        fw({ sourceRanges: ['35.235.240.0/20'], allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] }),
      ).truth,
      false,
    );
    assert.equal(
      run(
        ADMIN_PORTS,
        fw({ disabled: true, sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] }),
      ).truth,
      false,
    );
    assert.equal(
      run(
        ADMIN_PORTS,
        fw({
          direction: 'EGRESS',
          destinationRanges: ['0.0.0.0/0'],
          allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
        }),
      ).truth,
      false,
    );
  });

  it('OpenStack: a rule without remote prefix or group is open to everyone', () => {
    const sgo = (rules: unknown[]) =>
      resource('openstack.networking.secgroup', { name: 's', security_group_rules: rules });
    const base = {
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
    };
    assert.equal(run(ADMIN_PORTS, sgo([{ ...base, remote_ip_prefix: '0.0.0.0/0' }])).truth, true);
    assert.equal(run(ADMIN_PORTS, sgo([{ ...base, remote_ip_prefix: null }])).truth, true);
    assert.equal(
      run(ADMIN_PORTS, sgo([{ ...base, remote_ip_prefix: null, remote_group_id: 'sg-1' }])).truth,
      false,
    );
    assert.equal(
      run(
        ADMIN_PORTS,
        sgo([
          {
            ...base,
            protocol: null,
            port_range_min: null,
            port_range_max: null,
            remote_ip_prefix: '::/0',
            ethertype: 'IPv6',
          },
        ]),
      ).truth,
      true,
    );
    assert.equal(run(ADMIN_PORTS, sgo([{ ...base, remote_ip_prefix: '192.168.0.0/16' }])).truth, false);
  });
});

const ALL_USERS = {
  Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
  Permission: 'READ',
};
const PUBLIC_STATEMENT = {
  Sid: 'Public',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::b/*',
};
const bucket = (
  config: Record<string, unknown>,
  kind: 'live' | 'terraform-plan' = 'live',
  extra: Partial<Resource> = {},
) => resource('aws.s3.bucket', { Name: 'b', ...config }, { source: { kind }, ...extra });
const BPA_OFF = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

describe('public-access filter', () => {
  it('S3: public ACL grant or open policy fails; evidence says which', () => {
    const v = run({ type: 'public-access' }, bucket({ Acl: { Grants: [ALL_USERS] } }));
    assert.equal(v.truth, true);
    assert.deepEqual(v.evidence, [
      { path: 'Acl.Grants[0]', value: 'READ', note: 'ACL grants READ to everyone (AllUsers)' },
    ]);
    assert.equal(
      run({ type: 'public-access' }, bucket({ Policy: { Statement: [PUBLIC_STATEMENT] } })).truth,
      true,
    );
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({ Policy: { Statement: [{ ...PUBLIC_STATEMENT, Principal: { AWS: ['*'] } }] } }),
      ).truth,
      true,
    );
  });

  it('S3: restricting conditions and named principals are not public', () => {
    const restricted = {
      ...PUBLIC_STATEMENT,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } },
    };
    assert.equal(
      run({ type: 'public-access' }, bucket({ Policy: { Statement: [restricted] } })).truth,
      false,
    );
    const worldIp = { ...PUBLIC_STATEMENT, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } };
    assert.equal(run({ type: 'public-access' }, bucket({ Policy: { Statement: [worldIp] } })).truth, true);
    const named = { ...PUBLIC_STATEMENT, Principal: { AWS: 'arn:aws:iam::444455556666:root' } };
    assert.equal(run({ type: 'public-access' }, bucket({ Policy: { Statement: [named] } })).truth, false);
  });

  it('S3: Block Public Access neutralises at bucket or account level; Block* flags only before deploy', () => {
    const acl = { Acl: { Grants: [ALL_USERS] } };
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({ ...acl, PublicAccessBlockConfiguration: { ...BPA_OFF, IgnorePublicAcls: true } }),
      ).truth,
      false,
    );
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({ ...acl, AccountPublicAccessBlockConfiguration: { ...BPA_OFF, IgnorePublicAcls: true } }),
      ).truth,
      false,
    );
    // BlockPublicAcls stops new grants but leaves an existing one in force on a live bucket.
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({ ...acl, PublicAccessBlockConfiguration: { ...BPA_OFF, BlockPublicAcls: true } }),
      ).truth,
      true,
    );
    assert.equal(
      run(
        { type: 'public-access' },
        bucket(
          { ...acl, PublicAccessBlockConfiguration: { ...BPA_OFF, BlockPublicAcls: true } },
          'terraform-plan',
        ),
      ).truth,
      false,
    );
    const pol = { Policy: { Statement: [PUBLIC_STATEMENT] } };
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({ ...pol, PublicAccessBlockConfiguration: { ...BPA_OFF, RestrictPublicBuckets: true } }),
      ).truth,
      false,
    );
    // The ACL flags do not neutralise a policy.
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({ ...pol, PublicAccessBlockConfiguration: { ...BPA_OFF, IgnorePublicAcls: true } }),
      ).truth,
      true,
    );
  });

  it('S3: an unknown block setting leaves a public grant undecided; an unknown ACL with no grant is unknown', () => {
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({ Acl: { Grants: [ALL_USERS] } }, 'terraform-plan', {
          unknown: ['PublicAccessBlockConfiguration.IgnorePublicAcls'],
        }),
      ).truth,
      'unknown',
    );
    assert.equal(
      run({ type: 'public-access' }, bucket({}, 'terraform-plan', { unknown: ['Policy'] })).truth,
      'unknown',
    );
    assert.equal(
      run(
        { type: 'public-access' },
        bucket({}, 'live', { errors: [{ path: 'Policy', code: 'AccessDenied', message: 'x' }] }),
      ).truth,
      'error',
    );
    assert.equal(run({ type: 'public-access' }, bucket({})).truth, false);
  });

  it('GCS: allUsers binding unless public access prevention is enforced', () => {
    const gcs = (c: Record<string, unknown>) => resource('gcp.storage.bucket', { name: 'g', ...c });
    const pub = { iamPolicy: { bindings: [{ role: 'roles/storage.objectViewer', members: ['allUsers'] }] } };
    assert.equal(run({ type: 'public-access' }, gcs(pub)).truth, true);
    assert.equal(
      run(
        { type: 'public-access' },
        gcs({ ...pub, iamConfiguration: { publicAccessPrevention: 'enforced' } }),
      ).truth,
      false,
    );
    assert.equal(
      run(
        { type: 'public-access' },
        gcs({ iamPolicy: { bindings: [{ role: 'r', members: ['user:a@b.c'] }] } }),
      ).truth,
      false,
    );
  });

  it('Azure container: public level and an account that allows it', () => {
    const c = (access: string, allow: boolean | undefined) =>
      resource('azure.storage.container', {
        name: 'c',
        properties: { publicAccess: access },
        storageAccount: {
          name: 'sa',
          properties: allow === undefined ? {} : { allowBlobPublicAccess: allow },
        },
      });
    assert.equal(run({ type: 'public-access' }, c('Blob', true)).truth, true);
    assert.equal(run({ type: 'public-access' }, c('Container', undefined)).truth, true);
    assert.equal(run({ type: 'public-access' }, c('Blob', false)).truth, false);
    assert.equal(run({ type: 'public-access' }, c('None', true)).truth, false);
  });
});

describe('iam-admin filter', () => {
  const role = (config: Record<string, unknown>) => resource('aws.iam.role', { RoleName: 'r', ...config });
  it('AdministratorAccess attached or an inline * on * statement is admin', () => {
    const v = run(
      { type: 'iam-admin' },
      role({
        AttachedManagedPolicies: [
          { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        ],
      }),
    );
    assert.equal(v.truth, true);
    assert.equal(v.evidence[0]?.note, 'managed policy AdministratorAccess allows * on *');
    const inline = {
      RolePolicyList: [
        {
          PolicyName: 'all',
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: '*' }] },
        },
      ],
    };
    assert.equal(run({ type: 'iam-admin' }, role(inline)).truth, true);
  });

  it('scoped policies, PowerUserAccess and explicit denies are not admin', () => {
    assert.equal(
      run(
        { type: 'iam-admin' },
        role({ AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }] }),
      ).truth,
      false,
    );
    const scoped = {
      RolePolicyList: [
        {
          PolicyName: 's3',
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
        },
      ],
    };
    assert.equal(run({ type: 'iam-admin' }, role(scoped)).truth, false);
    const denied = {
      AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      RolePolicyList: [
        {
          PolicyName: 'deny',
          PolicyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] },
        },
      ],
    };
    assert.equal(run({ type: 'iam-admin' }, role(denied)).truth, false);
  });

  it('a customer policy whose document is missing makes the verdict unknown', () => {
    const v = run(
      { type: 'iam-admin' },
      role({
        AttachedManagedPolicies: [
          { PolicyName: 'mystery', PolicyArn: 'arn:aws:iam::111111111111:policy/mystery' },
        ],
      }),
    );
    assert.equal(v.truth, 'unknown');
    assert.equal(
      v.reason,
      'attached policy documents not available (not in the input, or known only after apply): mystery',
    );
  });

  it('instances: no profile passes, an unresolved profile is unknown, an admin role fails', () => {
    const inst = (c: Record<string, unknown>) => resource('aws.ec2.instance', { InstanceId: 'i-1', ...c });
    assert.equal(run({ type: 'iam-admin' }, inst({})).truth, false);
    assert.equal(run({ type: 'iam-admin' }, inst({ IamInstanceProfile: { Name: 'p' } })).truth, 'unknown');
    const admin = {
      RoleName: 'admin',
      AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
    };
    const v = run({ type: 'iam-admin' }, inst({ IamInstanceProfile: { Name: 'p', Roles: [admin] } }));
    assert.equal(v.truth, true);
    assert.deepEqual(
      v.evidence.map((e) => e.path),
      ['IamInstanceProfile.Roles[0].RoleName', 'IamInstanceProfile.Roles[0].AttachedManagedPolicies[0]'],
    );
  });
});
