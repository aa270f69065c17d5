import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicies } from '../../../src/policy/load.js';
import { InputError } from '../../../src/util/errors.js';

const dir = 'test/fixtures/policy-files';

function loadError(file: string): string {
  try {
    loadPolicies({ paths: [`${dir}/${file}`] });
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.format();
  }
  assert.fail(`${file} loaded without error`);
}

describe('policy loading and validation', () => {
  it('loads the built-in packs with their ids, each with title, description, remediation and a severity', () => {
    const set = loadPolicies();
    assert.deepEqual(set.definitions.map((d) => d.id).sort(), [
      'aws-ami-public',
      'aws-cloudtrail-not-multi-region',
      'aws-ebs-snapshot-public',
      'aws-ebs-volume-unencrypted',
      'aws-ec2-instance-admin-role',
      'aws-ec2-internet-exposed-admin-instance',
      'aws-ec2-public-instance-shares-key-with-admin-instance',
      'aws-ec2-sg-admin-ports-open',
      'aws-iam-access-key-stale',
      'aws-iam-credentials-unused',
      'aws-iam-role-trusts-unknown-account',
      'aws-iam-root-access-keys',
      'aws-iam-root-mfa-disabled',
      'aws-iam-user-console-without-mfa',
      'aws-kms-key-rotation-disabled',
      'aws-lb-public-to-admin-instance',
      'aws-rds-publicly-accessible',
      'aws-rds-snapshot-public',
      'aws-rds-storage-unencrypted',
      'aws-s3-bucket-public',
      'aws-vpc-flow-logs-disabled',
      'azure-nsg-admin-ports-open',
      'azure-storage-public',
      'gcp-firewall-admin-ports-open',
      'gcp-storage-public',
      'openstack-secgroup-admin-ports-open',
    ]);
    for (const d of set.definitions) {
      assert.ok(
        d.description.length > 20 && d.remediation.length > 20,
        `${d.id} needs description and remediation`,
      );
    }
    assert.equal(set.compiled.length, 26);
  });

  it('loads a valid user policy next to the built-ins', () => {
    const set = loadPolicies({ paths: [`${dir}/valid.yaml`], builtIn: false });
    assert.deepEqual(
      set.compiled.map((c) => c.id),
      ['team-volume-size'],
    );
    assert.deepEqual(set.definitions[0]?.origin, {
      file: `${dir}/valid.yaml`,
      line: 2,
      column: 5,
      builtIn: false,
    });
  });

  it('reports each mistake with file:line:column and the nearest valid name', () => {
    assert.equal(
      loadError('unknown-key.yaml'),
      `${dir}/unknown-key.yaml:6:5: unknown key "filter"; did you mean "filters"?`,
    );
    assert.equal(
      loadError('bad-severity.yaml'),
      `${dir}/bad-severity.yaml:4:15: severity must be one of critical, high, medium, low, info, got "hihg"; did you mean "high"?`,
    );
    assert.equal(
      loadError('bad-resource.yaml'),
      `${dir}/bad-resource.yaml:3:15: unknown resource type "aws.s3.buckets"; did you mean "aws.s3.bucket"?`,
    );
    assert.equal(
      loadError('bad-regex.yaml'),
      `${dir}/bad-regex.yaml:10:16: invalid regex: Invalid regular expression: /vol-([/: Unterminated character class`,
    );
    assert.equal(loadError('not-a-list.yaml'), `${dir}/not-a-list.yaml:2:3: "policies" must be a list`);
    assert.match(loadError('broken.yaml'), new RegExp(`^${dir}/broken.yaml:4:\\d+: YAML syntax error: `));
    assert.equal(
      loadError('missing-title.yaml'),
      `${dir}/missing-title.yaml:2:5: missing required key "title"`,
    );
    assert.equal(
      loadError('duplicate.yaml'),
      `${dir}/duplicate.yaml:2:9: duplicate policy id "aws-ebs-volume-unencrypted" (first defined at packs/core/aws-storage.yaml:28)`,
    );
    assert.equal(
      loadError('bad-option.yaml'),
      `${dir}/bad-option.yaml:8:9: unknown option "Port" for filter "ingress"; did you mean "Ports"? (valid: Ports, OnlyPorts, IpProtocol, Cidr, AllowedCidrs)`,
    );
  });

  it('never half-loads: one bad file in a directory stops the whole set', () => {
    assert.throws(() => loadPolicies({ paths: [dir] }), InputError);
  });

  it('parameters override defaults and are checked', () => {
    const set = loadPolicies({
      parameters: { 'aws-ec2-sg-admin-ports-open': { allowedCidrs: ['203.0.113.0/24'] } },
    });
    assert.equal(set.compiled.length, 26);
    assert.throws(
      () =>
        loadPolicies({ parameters: { 'aws-ec2-sg-admin-ports-open': { allowedCidr: ['203.0.113.0/24'] } } }),
      /has no parameter "allowedCidr"; did you mean "allowedCidrs"\?/,
    );
    assert.throws(
      () => loadPolicies({ parameters: { 'aws-ec2-sg-admin-ports-open': { allowedCidrs: ['not-a-cidr'] } } }),
      /not a CIDR: "not-a-cidr"/,
    );
    assert.throws(
      () => loadPolicies({ parameters: { 'no-such-policy': { x: 1 } } }),
      /unknown policy "no-such-policy"/,
    );
  });
});
