import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diffInventories, diffResource } from '../../../src/drift/diff.js';
import { buildReport, renderDriftMarkdown, renderDriftTable } from '../../../src/drift/report.js';
import { compileRules, loadDriftRules } from '../../../src/drift/rules.js';
import type { Resource } from '../../../src/model/resource.js';
import { InputError } from '../../../src/util/errors.js';
import { resource } from '../../helpers/resources.js';

const rules = loadDriftRules();
const tmp = mkdtempSync(join(tmpdir(), 'warden-drift-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function sg(perms: unknown[], tags: Record<string, string> = {}): Resource {
  return resource(
    'aws.ec2.security-group',
    { GroupId: 'sg-1', GroupName: 'web', IpPermissions: perms, IpPermissionsEgress: [] },
    { id: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-1', name: 'web', tags },
  );
}

const https = {
  IpProtocol: 'tcp',
  FromPort: 443,
  ToPort: 443,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [],
};
const sshFromOffice = {
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: '203.0.113.0/24' }],
};

const texts = (before: Resource, after: Resource) => diffResource(before, after, rules).map((c) => c.text);

describe('drift: field-level changes', () => {
  it('reports a source added to an existing permission as one added rule', () => {
    const before = sg([https, sshFromOffice]);
    const after = sg([
      https,
      { ...sshFromOffice, IpRanges: [{ CidrIp: '203.0.113.0/24' }, { CidrIp: '0.0.0.0/0' }] },
    ]);
    assert.deepEqual(texts(before, after), ['IpPermissions[+]: tcp 22 from 0.0.0.0/0']);
    const [change] = diffResource(before, after, rules);
    assert.deepEqual(change!.after, { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' });
    assert.equal(change!.op, 'added');
  });

  it('reports removed rules, all-protocol rules and group sources', () => {
    const before = sg([https, { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-2' }] }]);
    const after = sg([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'vpn' }] }]);
    assert.deepEqual(texts(before, after), [
      'IpPermissions[-]: tcp 443 from 0.0.0.0/0',
      'IpPermissions[-]: all from sg-2',
      'IpPermissions[+]: all from 10.0.0.0/8 (vpn)',
    ]);
  });

  it('is not fooled by order in rules, tags, statements and grants', () => {
    const stmt = (sid: string) => ({
      Sid: sid,
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:ListBucket'],
    });
    const bucket = (statements: unknown[], actionsReversed: boolean, tagOrder: [string, string][]) =>
      resource(
        'aws.s3.bucket',
        {
          Name: 'b',
          Policy: {
            Version: '2012-10-17',
            Statement: actionsReversed
              ? statements.map((s) => ({ ...(s as object), Action: ['s3:ListBucket', 's3:GetObject'] }))
              : statements,
          },
          Tags: tagOrder.map(([Key, Value]) => ({ Key, Value })),
        },
        { id: 'b', tags: Object.fromEntries(tagOrder) },
      );
    const a = bucket([stmt('A'), stmt('B')], false, [
      ['env', 'prod'],
      ['team', 'pay'],
    ]);
    const b = bucket([stmt('B'), stmt('A')], true, [
      ['team', 'pay'],
      ['env', 'prod'],
    ]);
    assert.deepEqual(texts(a, b), []);
    assert.deepEqual(texts(sg([https, sshFromOffice]), sg([sshFromOffice, https])), []);
  });

  it('sees no drift when the same rules are grouped differently, in diffInventories too', () => {
    const grouped = sg([
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '192.168.0.0/16' }],
      },
    ]);
    const split = sg([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '192.168.0.0/16' }] },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
    ]);
    const result = diffInventories([grouped], [split], rules);
    assert.deepEqual([result.changed, result.unchanged], [[], 1]);
    const opened = sg([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]);
    assert.deepEqual(
      diffInventories([grouped], [opened], rules).changed.map((c) => c.changes.map((x) => x.text)),
      [
        [
          'IpPermissions[-]: tcp 22 from 10.0.0.0/8',
          'IpPermissions[-]: tcp 22 from 192.168.0.0/16',
          'IpPermissions[+]: tcp 22 from 0.0.0.0/0',
        ],
      ],
    );
  });

  it('reports statements, scalar changes, removed fields and tags', () => {
    const base = resource(
      'aws.s3.bucket',
      {
        Name: 'b',
        Policy: { Version: '2012-10-17', Statement: [{ Sid: 'TLS', Effect: 'Deny', Action: 's3:*' }] },
        Versioning: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true },
      },
      { id: 'b', tags: { env: 'prod' } },
    );
    const cur = resource(
      'aws.s3.bucket',
      {
        Name: 'b',
        Policy: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'TLS', Effect: 'Deny', Action: 's3:*' },
            { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' },
          ],
        },
        Versioning: {},
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: true },
      },
      { id: 'b', tags: { env: 'dev', owner: 'ana' } },
    );
    assert.deepEqual(texts(base, cur), [
      'tags.env: prod → dev',
      'tags.owner: (none) → ana',
      'Policy.Statement[+]: {"Action":"s3:GetObject","Effect":"Allow","Principal":"*","Sid":"Public"}',
      'PublicAccessBlockConfiguration.BlockPublicAcls: true → false',
      'Versioning.Status: Enabled → (none)',
    ]);
  });

  it('ignores values that change by themselves, per type, and still sees real changes', () => {
    const inst = (state: string, launch: string, type: string) =>
      resource(
        'aws.ec2.instance',
        {
          InstanceId: 'i-1',
          InstanceType: type,
          State: { Name: state },
          LaunchTime: launch,
          PublicIpAddress: launch,
        },
        { id: 'i-1' },
      );
    assert.deepEqual(
      texts(inst('running', '2026-01-01', 't3.micro'), inst('stopped', '2026-02-01', 't3.micro')),
      [],
    );
    assert.deepEqual(
      texts(inst('running', '2026-01-01', 't3.micro'), inst('running', '2026-01-01', 't3.large')),
      ['InstanceType: t3.micro → t3.large'],
    );
    const user = (used: string, status: string) =>
      resource(
        'aws.iam.user',
        { UserName: 'u', AccessKeys: [{ AccessKeyId: 'AKIA1', Status: status, LastUsedDate: used }] },
        { id: 'u' },
      );
    assert.deepEqual(texts(user('2026-01-01', 'Active'), user('2026-03-01', 'Active')), []);
    assert.deepEqual(texts(user('2026-01-01', 'Active'), user('2026-03-01', 'Inactive')), [
      'AccessKeys[-]: {"AccessKeyId":"AKIA1","LastUsedDate":"2026-01-01","Status":"Active"}',
      'AccessKeys[+]: {"AccessKeyId":"AKIA1","LastUsedDate":"2026-03-01","Status":"Inactive"}',
    ]);
    // The same state change is drift on a type that does not list it.
    const key = (state: string) => resource('aws.kms.key', { KeyId: 'k', KeyState: state }, { id: 'k' });
    assert.deepEqual(texts(key('Enabled'), key('PendingDeletion')), ['KeyState: Enabled → PendingDeletion']);
  });

  it('compares lists listed as ordered by position', () => {
    const custom = compileRules([{ ignore: {}, ordered: { 'aws.ec2.route-table': ['Routes'] } }]);
    const rt = (routes: unknown[]) => resource('aws.ec2.route-table', { Routes: routes }, { id: 'rt' });
    const changes = diffResource(
      rt([{ GatewayId: 'a' }, { GatewayId: 'b' }]),
      rt([{ GatewayId: 'b' }, { GatewayId: 'a' }]),
      custom,
    );
    assert.deepEqual(
      changes.map((c) => c.text),
      ['Routes[0].GatewayId: a → b', 'Routes[1].GatewayId: b → a'],
    );
  });
});

describe('drift: user ignore files', () => {
  it('extends the built-in list with --ignore-file entries, including wildcards and tags', () => {
    const file = join(tmp, 'ignore.yaml');
    writeFileSync(
      file,
      "ignore:\n  aws.kms.key: [Description, 'Policy.Statement[].Sid', tags.LastDeploy]\n  '*': ['Meta.*']\n",
    );
    const extended = loadDriftRules([file]);
    const key = (desc: string, sid: string, deploy: string, meta: string, rot: boolean) =>
      resource(
        'aws.kms.key',
        {
          KeyId: 'k',
          Description: desc,
          Policy: { Statement: [{ Sid: sid, Effect: 'Allow' }] },
          Meta: { at: meta },
          KeyRotationEnabled: rot,
        },
        { id: 'k', tags: { LastDeploy: deploy } },
      );
    const a = key('one', 's1', 'mon', 'x', true);
    const b = key('two', 's2', 'tue', 'y', false);
    assert.deepEqual(
      diffResource(a, b, extended).map((c) => c.text),
      ['KeyRotationEnabled: true → false'],
    );
    assert.equal(diffResource(a, b, rules).length, 6);
  });

  it('rejects a broken ignore file with its location', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'ignore:\n  aws.kms.key: [a\n');
    assert.throws(
      () => loadDriftRules([bad]),
      (e: unknown) => e instanceof InputError && /bad\.yaml:\d+:\d+: invalid YAML/.test(e.format()),
    );
    const wrong = join(tmp, 'wrong.yaml');
    writeFileSync(wrong, 'ignore:\n  aws.kms.key: Description\n');
    assert.throws(
      () => loadDriftRules([wrong]),
      (e: unknown) =>
        e instanceof InputError &&
        /wrong\.yaml: invalid drift ignore file at ignore\.aws\.kms\.key/.test(e.format()),
    );
    assert.throws(() => loadDriftRules([join(tmp, 'missing.yaml')]), /cannot read: ENOENT/);
  });
});

describe('drift: inventories and the report', () => {
  const key = (id: string, rot: boolean) =>
    resource('aws.kms.key', { KeyId: id, KeyRotationEnabled: rot }, { id, name: id });
  const result = diffInventories(
    [key('k1', true), key('k2', true), key('k3', true)],
    [key('k3', true), key('k1', false), key('k4', true)],
    rules,
  );

  it('finds added, removed, changed and unchanged resources by id', () => {
    assert.deepEqual(
      result.added.map((r) => r.id),
      ['k4'],
    );
    assert.deepEqual(
      result.removed.map((r) => r.id),
      ['k2'],
    );
    assert.deepEqual(
      result.changed.map((c) => [c.id, c.changes.map((x) => x.text)]),
      [['k1', ['KeyRotationEnabled: true → false']]],
    );
    assert.equal(result.unchanged, 1);
  });

  it('renders one aggregated report as markdown and text', () => {
    const report = buildReport(result, {
      baseline: { name: 'prod', version: 2, createdAt: '2026-01-01T00:00:00.000Z', resources: 3 },
      current: { inputs: ['snap.json'], resources: 3 },
      at: new Date('2026-01-02T00:00:00Z'),
    });
    assert.deepEqual(report.summary, { added: 1, removed: 1, changed: 1, unchanged: 1, changes: 1 });
    assert.equal(
      renderDriftMarkdown(report),
      [
        '# Drift report',
        '',
        '1 changed, 1 added, 1 removed (1 unchanged) against baseline prod v2. Generated 2026-01-02T00:00:00.000Z.',
        '',
        '## Changed',
        '',
        '### k1 (aws.kms.key)',
        '',
        '`k1`',
        '',
        '- `KeyRotationEnabled: true → false`',
        '',
        '## Added',
        '',
        '| resource | type | account | region |',
        '|---|---|---|---|',
        '| k4 | aws.kms.key |  |  |',
        '',
        '## Removed',
        '',
        '| resource | type | account | region |',
        '|---|---|---|---|',
        '| k2 | aws.kms.key |  |  |',
        '',
      ].join('\n'),
    );
    assert.equal(
      renderDriftTable(report),
      '~ k1 (aws.kms.key)\n    KeyRotationEnabled: true → false\n+ k4 (aws.kms.key)\n- k2 (aws.kms.key)\ndrift: 1 changed, 1 added, 1 removed (1 unchanged) against baseline prod v2\n',
    );
  });
});
