import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cellValue,
  parseCredentialReport,
  parseCsv,
} from '../../../src/sources/aws/collectors/iam/credential-report.js';
import { redactedConfig } from '../../../src/sources/aws/collectors/lambda.js';
import { aclConfig, blockConfig, bucketRegion } from '../../../src/sources/aws/collectors/s3.js';
import { parseDocument } from '../../../src/sources/aws/collectors/support/calls.js';

describe('credential report parsing', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    assert.deepEqual(parseCsv('a,"b,c","d ""e""",f\r\n1,"2\n3",,4\n'), [
      ['a', 'b,c', 'd "e"', 'f'],
      ['1', '2\n3', '', '4'],
    ]);
  });

  it('turns cells into booleans, nulls for the sentinels, and ISO dates', () => {
    assert.equal(cellValue('true'), true);
    assert.equal(cellValue('false'), false);
    assert.equal(cellValue('N/A'), null);
    assert.equal(cellValue('no_information'), null);
    assert.equal(cellValue('not_supported'), null);
    assert.equal(cellValue('2026-01-02T03:04:05+00:00'), '2026-01-02T03:04:05.000Z');
    assert.equal(cellValue('us-east-1'), 'us-east-1');
  });

  it('keys rows by user, keeping names and ARNs as strings', () => {
    const csv = [
      'user,arn,password_enabled,mfa_active,access_key_1_last_rotated',
      '<root_account>,arn:aws:iam::111122223333:root,not_supported,true,N/A',
      'true,arn:aws:iam::111122223333:user/true,true,false,2026-05-01T00:00:00+00:00',
    ].join('\n');
    const rows = parseCredentialReport(csv);
    assert.deepEqual([...rows.keys()], ['<root_account>', 'true']);
    assert.deepEqual(rows.get('<root_account>'), {
      user: '<root_account>',
      arn: 'arn:aws:iam::111122223333:root',
      password_enabled: null,
      mfa_active: true,
      access_key_1_last_rotated: null,
    });
    assert.equal(rows.get('true')?.user, 'true');
    assert.equal(rows.get('true')?.access_key_1_last_rotated, '2026-05-01T00:00:00.000Z');
  });

  it('yields no rows for an empty report', () => {
    assert.equal(parseCredentialReport('').size, 0);
  });
});

describe('S3 answers', () => {
  it('maps GetBucketLocation constraints to regions', () => {
    assert.equal(bucketRegion(undefined), 'us-east-1');
    assert.equal(bucketRegion(''), 'us-east-1');
    assert.equal(bucketRegion('EU'), 'eu-west-1');
    assert.equal(bucketRegion('ap-south-1'), 'ap-south-1');
  });

  it('writes out all four Block Public Access flags, false when AWS omits one', () => {
    assert.deepEqual(blockConfig({ BlockPublicAcls: true }), {
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });

  it('keeps grantee type, URI and ID only (no display names or e-mail addresses)', () => {
    assert.deepEqual(
      aclConfig([
        {
          Grantee: {
            Type: 'CanonicalUser',
            ID: 'abc',
            DisplayName: 'owner',
            EmailAddress: 'o@example.com',
          } as never,
          Permission: 'FULL_CONTROL',
        },
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'READ',
        },
      ]),
      {
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' },
          {
            Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
            Permission: 'READ',
          },
        ],
      },
    );
  });
});

describe('policy documents', () => {
  it('parses plain and URL-encoded JSON objects and rejects anything else', () => {
    assert.deepEqual(parseDocument('{"Version":"2012-10-17"}'), { Version: '2012-10-17' });
    assert.deepEqual(parseDocument('%7B%22a%22%3A%22b%20c%22%7D', true), { a: 'b c' });
    assert.equal(parseDocument('not json'), undefined);
    assert.equal(parseDocument('[1,2]'), undefined);
    assert.equal(parseDocument('%E0%A4%A', true), undefined);
  });
});

describe('Lambda environment', () => {
  it('replaces every value and keeps the names', () => {
    const config = redactedConfig({
      FunctionName: 'f',
      Environment: { Variables: { TOKEN: 'abc', EMPTY: '' } },
    });
    assert.deepEqual(config, {
      FunctionName: 'f',
      Environment: { Variables: { TOKEN: '<redacted>', EMPTY: '<redacted>' } },
    });
  });
});
