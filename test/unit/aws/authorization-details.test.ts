import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceProfile } from '@aws-sdk/client-iam';
import { identityResources } from '../../../src/sources/aws/collectors/iam/authorization-details.js';
import type { CollectorContext } from '../../../src/sources/aws/types.js';

/**
 * The mapping of GetAccountAuthorizationDetails pages is a pure function of the answer: tested here
 * on answers moto cannot produce (broken documents, missing members), as a hostile API might send.
 */
const ctx = {
  account: '111122223333',
  region: 'global',
  partition: 'aws',
  now: new Date('2026-11-23T00:00:00Z'),
} as CollectorContext;

const encode = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

describe('authorization details mapping', () => {
  it('records a document that does not parse as an invalid-json error on its path, never as an empty policy', () => {
    const out = identityResources(ctx, [
      {
        RoleDetailList: [
          {
            RoleName: 'broken',
            Arn: 'arn:aws:iam::111122223333:role/broken',
            AssumeRolePolicyDocument: '%7Bnot-json',
            RolePolicyList: [
              { PolicyName: 'ok', PolicyDocument: encode({ Statement: [] }) },
              { PolicyName: 'bad', PolicyDocument: 'nope' },
            ],
          },
        ],
      },
    ]);
    const role = out.roles[0]!;
    assert.equal(role.config.AssumeRolePolicyDocument, undefined);
    assert.deepEqual(role.config.RolePolicyList, [
      { PolicyName: 'ok', PolicyDocument: { Statement: [] } },
      { PolicyName: 'bad' },
    ]);
    assert.deepEqual(
      role.errors?.map((e) => `${e.path} ${e.code}`),
      ['AssumeRolePolicyDocument invalid-json', 'RolePolicyList[1].PolicyDocument invalid-json'],
    );
  });

  it('skips entries without a name or ARN and dedupes instance profiles shared by roles', () => {
    const profile = {
      InstanceProfileName: 'p',
      Arn: 'arn:aws:iam::111122223333:instance-profile/p',
      Roles: [{ RoleName: 'a', Arn: 'arn:aws:iam::111122223333:role/a' }],
    } as InstanceProfile;
    const out = identityResources(ctx, [
      {
        UserDetailList: [{ UserName: 'no-arn' }, { Arn: 'arn:aws:iam::111122223333:user/x' }],
        RoleDetailList: [
          { RoleName: 'a', Arn: 'arn:aws:iam::111122223333:role/a', InstanceProfileList: [profile] },
          { RoleName: 'b', Arn: 'arn:aws:iam::111122223333:role/b', InstanceProfileList: [profile] },
        ],
      },
      {
        Policies: [
          {
            Arn: 'arn:aws:iam::111122223333:policy/team/ops',
            PolicyVersionList: [
              { VersionId: 'v1', IsDefaultVersion: false, Document: encode({ old: true }) },
              {
                VersionId: 'v2',
                IsDefaultVersion: true,
                Document: encode({ Statement: [{ Effect: 'Allow' }] }),
              },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(out.users, []);
    assert.deepEqual(
      out.roles.map((r) => [r.name, r.region, r.account]),
      [
        ['a', 'global', '111122223333'],
        ['b', 'global', '111122223333'],
      ],
    );
    assert.deepEqual(
      out.profiles.map((p) => [p.id, p.config.Roles]),
      [[profile.Arn, [{ RoleName: 'a', Arn: 'arn:aws:iam::111122223333:role/a' }]]],
    );
    // The policy name comes from the ARN when the answer leaves it out; the default version wins.
    assert.deepEqual(
      out.policies.map((p) => [p.name, p.config.PolicyDocument]),
      [['ops', { Statement: [{ Effect: 'Allow' }] }]],
    );
  });
});
