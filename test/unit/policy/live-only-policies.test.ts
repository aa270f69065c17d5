import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import type { Resource } from '../../../src/model/resource.js';
import type { ParameterValues } from '../../../src/policy/compile.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { resource } from '../../helpers/resources.js';

/**
 * The live-only IAM policies read the credential report and the account summary, which no IaC
 * format carries: they are tested here on inventories shaped as the IAM collector writes them
 * (docs/resource-types.md), including cases moto cannot produce (root MFA on, old keys).
 */
const NOW = new Date('2026-11-23T00:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function statuses(id: string, resources: Resource[], parameters?: ParameterValues): Record<string, string> {
  const policies = loadPolicies({ only: [id], ...(parameters ? { parameters } : {}) });
  const report = scanInventory({ resources, unsupported: {}, inputs: [] }, policies, NOW);
  return Object.fromEntries(report.results.map((r) => [r.resource.name, r.status]));
}

/** A credential-report row with nothing enabled; cases switch on what they test. */
function row(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    user: 'u',
    password_enabled: false,
    password_last_used: null,
    password_last_changed: null,
    mfa_active: false,
    access_key_1_active: false,
    access_key_1_last_rotated: null,
    access_key_1_last_used_date: null,
    access_key_2_active: false,
    access_key_2_last_rotated: null,
    access_key_2_last_used_date: null,
    ...overrides,
  };
}

const user = (name: string, report: Record<string, unknown>) =>
  resource('aws.iam.user', { UserName: name, CredentialReport: row({ user: name, ...report }) }, { name });

const unreadableUser = (name: string) =>
  resource(
    'aws.iam.user',
    { UserName: name },
    {
      name,
      errors: [{ path: 'CredentialReport', code: 'AccessDenied', message: 'GetCredentialReport: denied' }],
    },
  );

const account = (name: string, summary: Record<string, number>) =>
  resource('aws.iam.account', { AccountId: name, SummaryMap: summary }, { name });

describe('aws-iam-root-access-keys', () => {
  it('fails while the summary counts a root key, passes at zero, errors when unread', () => {
    const unread = resource('aws.iam.account', { AccountId: 'c' }, { name: 'c' });
    unread.errors = [{ path: 'SummaryMap', code: 'AccessDenied', message: 'GetAccountSummary: denied' }];
    assert.deepEqual(
      statuses('aws-iam-root-access-keys', [
        account('a', { AccountAccessKeysPresent: 1, AccountMFAEnabled: 1 }),
        account('b', { AccountAccessKeysPresent: 0, AccountMFAEnabled: 1 }),
        unread,
      ]),
      { a: 'fail', b: 'pass', c: 'error' },
    );
  });
});

describe('aws-iam-root-mfa-disabled', () => {
  it('passes only when AccountMFAEnabled is 1', () => {
    assert.deepEqual(
      statuses('aws-iam-root-mfa-disabled', [
        account('off', { AccountMFAEnabled: 0 }),
        account('on', { AccountMFAEnabled: 1 }),
        account('missing', {}),
      ]),
      { off: 'fail', on: 'pass', missing: 'fail' },
    );
  });
});

describe('aws-iam-user-console-without-mfa', () => {
  it('fails a console password without MFA only', () => {
    assert.deepEqual(
      statuses('aws-iam-user-console-without-mfa', [
        user('console-no-mfa', { password_enabled: true, mfa_active: false }),
        user('console-mfa', { password_enabled: true, mfa_active: true }),
        user('api-only', { password_enabled: false, access_key_1_active: true }),
        unreadableUser('unread'),
      ]),
      { 'console-no-mfa': 'fail', 'console-mfa': 'pass', 'api-only': 'pass', unread: 'error' },
    );
  });
});

describe('aws-iam-access-key-stale', () => {
  const users = () => [
    user('old-key-1', { access_key_1_active: true, access_key_1_last_rotated: daysAgo(100) }),
    user('old-key-2', {
      access_key_1_active: true,
      access_key_1_last_rotated: daysAgo(10),
      access_key_2_active: true,
      access_key_2_last_rotated: daysAgo(91),
    }),
    user('fresh', { access_key_1_active: true, access_key_1_last_rotated: daysAgo(90) }),
    user('old-inactive', { access_key_1_active: false, access_key_1_last_rotated: daysAgo(400) }),
    user('no-keys', {}),
    unreadableUser('unread'),
  ];

  it('fails an active key older than 90 days (key 1 or key 2), not inactive or younger ones', () => {
    assert.deepEqual(statuses('aws-iam-access-key-stale', users()), {
      'old-key-1': 'fail',
      'old-key-2': 'fail',
      fresh: 'pass',
      'old-inactive': 'pass',
      'no-keys': 'pass',
      unread: 'error',
    });
  });

  it('takes the age limit from the maxAgeDays parameter', () => {
    const got = statuses('aws-iam-access-key-stale', users(), {
      'aws-iam-access-key-stale': { maxAgeDays: 95 },
    });
    assert.equal(got['old-key-1'], 'fail');
    assert.equal(got['old-key-2'], 'pass');
  });
});

describe('aws-iam-credentials-unused', () => {
  it('fails passwords and active keys unused for 45 days or more, counting never-used ones from when they were set', () => {
    assert.deepEqual(
      statuses('aws-iam-credentials-unused', [
        user('password-idle', {
          password_enabled: true,
          password_last_used: daysAgo(50),
          password_last_changed: daysAgo(300),
        }),
        user('password-used', {
          password_enabled: true,
          password_last_used: daysAgo(3),
          password_last_changed: daysAgo(300),
        }),
        user('password-never-used-old', { password_enabled: true, password_last_changed: daysAgo(60) }),
        user('password-never-used-new', { password_enabled: true, password_last_changed: daysAgo(10) }),
        user('key-never-used-45', { access_key_1_active: true, access_key_1_last_rotated: daysAgo(45) }),
        user('key-used-44', {
          access_key_1_active: true,
          access_key_1_last_rotated: daysAgo(200),
          access_key_1_last_used_date: daysAgo(44),
        }),
        user('key-2-idle', {
          access_key_1_active: true,
          access_key_1_last_rotated: daysAgo(200),
          access_key_1_last_used_date: daysAgo(1),
          access_key_2_active: true,
          access_key_2_last_rotated: daysAgo(200),
          access_key_2_last_used_date: daysAgo(100),
        }),
        user('key-inactive-idle', { access_key_1_active: false, access_key_1_last_rotated: daysAgo(400) }),
        unreadableUser('unread'),
      ]),
      {
        'password-idle': 'fail',
        'password-used': 'pass',
        'password-never-used-old': 'fail',
        'password-never-used-new': 'pass',
        'key-never-used-45': 'fail',
        'key-used-44': 'pass',
        'key-2-idle': 'fail',
        'key-inactive-idle': 'pass',
        unread: 'error',
      },
    );
  });
});

describe('live-only policies on IaC', () => {
  it('are not evaluated on resources read from Terraform or CloudFormation', () => {
    const planned = resource(
      'aws.iam.user',
      { UserName: 'ci' },
      { name: 'ci', source: { kind: 'terraform-plan', address: 'aws_iam_user.ci' } },
    );
    const live = user('live-user', { password_enabled: true, mfa_active: false });
    assert.deepEqual(statuses('aws-iam-user-console-without-mfa', [planned, live]), { 'live-user': 'fail' });
  });
});
