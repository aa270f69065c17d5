import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Resource } from '../../../src/model/resource.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { InputError } from '../../../src/util/errors.js';
import { inventoryOf, live, NOW, runPolicy } from '../../helpers/live.js';

function loadError(file: string): string {
  try {
    loadPolicies({ paths: [`test/fixtures/policy-files/compliance/${file}`] });
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.format();
  }
  assert.fail(`${file} loaded without error`);
}

function run(yaml: string, resources: Resource[], params: Record<string, Record<string, unknown>> = {}) {
  const dir = join(tmpdir(), `warden-filters-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(dir, yaml);
  try {
    const set = loadPolicies({ paths: [dir], builtIn: false, parameters: params });
    return scanInventory(inventoryOf(resources), set, NOW).results.map(
      (r) => `${r.resource.name} ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
    );
  } finally {
    rmSync(dir, { force: true });
  }
}

describe('account-has', () => {
  const policy = (extra: string) => `policies:
  - id: t
    resource: aws.account.region
    severity: low
    title: region has a running instance
    filters:
      - type: account-has
        resource: aws.ec2.instance
${extra}        where:
          - State.Name: running
`;
  const region = (name: string, account = '111122223333') =>
    live('aws.account.region', name, { RegionName: name }, { region: name, account });
  const inst = (name: string, regionName: string, state: string, account = '111122223333') =>
    live('aws.ec2.instance', name, { State: { Name: state } }, { region: regionName, account });

  it('looks across the account, or only the region with scope: region', () => {
    const resources = [
      region('us-east-1'),
      region('eu-west-1'),
      inst('a', 'us-east-1', 'running'),
      inst('b', 'eu-west-1', 'stopped'),
    ];
    assert.deepEqual(run(policy(''), resources), ['us-east-1 fail', 'eu-west-1 fail']);
    assert.deepEqual(run(policy('        scope: region\n'), resources), ['us-east-1 fail', 'eu-west-1 pass']);
  });

  it('never looks into another account', () => {
    assert.deepEqual(
      run(policy(''), [region('us-east-1'), inst('a', 'us-east-1', 'running', '999988887777')]),
      ['us-east-1 pass'],
    );
  });

  it('an unreadable related resource makes the answer error unless another one decides it', () => {
    const hidden = inst('h', 'us-east-1', 'running');
    hidden.errors = [{ path: 'State', code: 'AccessDenied', message: 'denied' }];
    assert.deepEqual(run(policy(''), [region('us-east-1'), hidden]), [
      'us-east-1 error (h: could not read State (AccessDenied: denied))',
    ]);
    assert.deepEqual(run(policy(''), [region('us-east-1'), hidden, inst('a', 'us-east-1', 'running')]), [
      'us-east-1 fail',
    ]);
  });

  it('with match, a referenced resource missing from the inventory is unknown, not a pass', () => {
    const trail = live(
      'aws.cloudtrail.trail',
      't',
      { S3BucketName: 'elsewhere', IsMultiRegionTrail: true },
      {},
    );
    assert.deepEqual(runPolicy('aws-cloudtrail-bucket-access-logging-disabled', [trail]), ['t unknown']);
  });

  it('rejects an unknown resource type with a suggestion', () => {
    assert.equal(
      loadError('account-has-bad-type.yaml'),
      'test/fixtures/policy-files/compliance/account-has-bad-type.yaml:9:23: account-has needs a known resource type, got "aws.cloudtrail.trial"; did you mean "aws.cloudtrail.trail"?',
    );
  });
});

describe('trail-events and log-metric-alarm validation', () => {
  it('names the bad category and the bad pattern with their location', () => {
    assert.equal(
      loadError('trail-bad-category.yaml'),
      'test/fixtures/policy-files/compliance/trail-bad-category.yaml:8:19: category must be one of management, s3-write, s3-read',
    );
    assert.equal(
      loadError('metric-bad-pattern.yaml'),
      'test/fixtures/policy-files/compliance/metric-bad-pattern.yaml:8:18: pattern must be a CloudWatch Logs JSON filter pattern such as { ($.eventName = X) || ($.eventName = Y) }',
    );
  });
});

describe('mandatory tags (packs/tagging)', () => {
  const bucket = (name: string, tags: Record<string, string>) =>
    live('aws.s3.bucket', name, { Name: name }, { tags });

  it('requires owner and environment with allowed values by default', () => {
    assert.deepEqual(
      runPolicy('mandatory-tags', [
        bucket('ok', { owner: 'team-data', environment: 'prod' }),
        bucket('missing', { owner: 'team-data' }),
        bucket('badenv', { owner: 'team-data', environment: 'production' }),
        bucket('badowner', { owner: 'Team Data', environment: 'dev' }),
      ]),
      ['ok pass', 'missing fail', 'badenv fail', 'badowner fail'],
    );
  });

  it('takes required tags, per-type tags and patterns as parameters', () => {
    const set = loadPolicies({
      packs: ['tagging'],
      parameters: {
        'mandatory-tags': {
          required: ['cost-center'],
          perType: { 'aws.s3.bucket': ['data-class'] },
          allowed: { 'cost-center': ['/^CC-[0-9]{4}$/'] },
        },
      },
    });
    const resources = [
      bucket('b1', { 'cost-center': 'CC-1234', 'data-class': 'internal' }),
      bucket('b2', { 'cost-center': 'CC-1234' }),
      live('aws.ec2.volume', 'v1', { Encrypted: true }, { tags: { 'cost-center': '1234' } }),
      live('aws.ec2.volume', 'v2', { Encrypted: true }, { tags: { 'cost-center': 'CC-0001' } }),
    ];
    const results = scanInventory(inventoryOf(resources), set, NOW).results;
    assert.deepEqual(
      results.map((r) => `${r.resource.name} ${r.status} ${r.evidence.map((e) => e.note).join('; ')}`),
      [
        'b1 pass ',
        'b2 fail tag data-class is missing',
        'v1 fail tag cost-center=1234 is not one of /^CC-[0-9]{4}$/',
        'v2 pass ',
      ],
    );
  });

  it('tags known only after apply leave the result unknown', () => {
    const b = bucket('later', {});
    b.unknown = ['Tags'];
    assert.deepEqual(runPolicy('mandatory-tags', [b]), ['later unknown']);
  });

  it('rejects a bad pattern with its location', () => {
    assert.equal(
      loadError('tags-bad-regex.yaml'),
      'test/fixtures/policy-files/compliance/tags-bad-regex.yaml:10:23: invalid regex: Invalid regular expression: /(unclosed/: Unterminated group',
    );
  });
});
