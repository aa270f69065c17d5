import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import { readHclDirectory } from '../../../src/sources/terraform/hcl/index.js';
import { translateTerraform } from '../../../src/sources/terraform/index.js';
import { WEBAPP_DIR } from './hcl-helpers.js';

function resource(inventory: Inventory, id: string): Resource {
  const found = inventory.resources.find((r) => r.id === id);
  assert.ok(found, `no resource ${id}`);
  return found;
}

describe('HCL reader through translateTerraform on the shared webapp fixture', () => {
  let inventory: Inventory;
  before(async () => {
    inventory = translateTerraform(await readHclDirectory(WEBAPP_DIR), 'terraform-hcl');
  });

  it('never lets a sensitive value into any resource field', () => {
    const text = JSON.stringify(inventory, (_key, value: unknown) =>
      typeof value === 'symbol' ? String(value) : value,
    );
    assert.equal(text.includes('fixture-password-not-for-output'), false);
    assert.equal(text.includes('fixture-token-not-for-output'), false);
  });

  it('translates the instance with its resolved key pair and instance profile names', () => {
    const app = resource(inventory, 'aws_instance.app');
    assert.equal(app.type, 'aws.ec2.instance');
    assert.equal(app.name, 'shop-app');
    assert.equal(app.region, 'eu-west-1');
    assert.equal(app.config.KeyName, 'shop-ops');
    assert.deepEqual(app.config.IamInstanceProfile, { Name: 'shop-app' });
    assert.deepEqual(app.source, {
      kind: 'terraform-hcl',
      address: 'aws_instance.app',
      file: join(WEBAPP_DIR, 'main.tf'),
      line: 226,
    });
    assert.deepEqual(app.tags, { Name: 'shop-app', environment: 'staging', owner: 'shop-team' });
  });

  it('joins the bucket policy, parsed, into its bucket through the reference', () => {
    const trail = resource(inventory, 'aws_s3_bucket.trail');
    const policy = trail.config.Policy as { Statement: { Sid: string; Resource: string }[] };
    assert.deepEqual(
      policy.Statement.map((s) => [s.Sid, s.Resource]),
      [
        ['AclCheck', '${aws_s3_bucket.trail.arn}'],
        ['Write', '${aws_s3_bucket.trail.arn}/AWSLogs/*'],
        ['Partner', '${aws_s3_bucket.trail.arn}/*'],
      ],
    );
  });

  it('joins security group rules and flow logs into their parents', () => {
    const app = resource(inventory, 'aws_security_group.app');
    const permissions = app.config.IpPermissions as { FromPort?: number }[];
    assert.deepEqual(
      permissions.map((p) => p.FromPort),
      [8080, 22, 3389],
    );
    const vpc = resource(inventory, 'aws_vpc.shop');
    assert.equal((vpc.config.FlowLogs as unknown[]).length, 1);
  });
});
