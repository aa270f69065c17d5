import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Inventory } from '../../../src/model/resource.js';
import { readHclDirectory } from '../../../src/sources/terraform/hcl/index.js';
import { translateTerraform } from '../../../src/sources/terraform/index.js';
import { planResources, readTerraformPlan } from '../../../src/sources/terraform/plan.js';
import { resourceAt } from './hcl-helpers.js';
import { byId } from './helpers.js';

/**
 * `fixtures/for-each`: S3 sub-resources with `for_each = aws_s3_bucket.b` and `bucket = each.value.id`,
 * with `for_each = toset(…)` and `bucket = aws_s3_bucket.b[each.key].id`, and the first pattern again in
 * a local module. `plan.json` is `terraform show -json` of it (Terraform 1.11.4, hashicorp/aws 5.100.0,
 * planned offline).
 */
const FIXTURE = relative(process.cwd(), fileURLToPath(new URL('./fixtures/for-each', import.meta.url)));
const PLAN_FILE = `${FIXTURE}/plan.json`;

const readPlan = (): unknown => JSON.parse(readFileSync(PLAN_FILE, 'utf8'));

const CANONICAL_OWNER_ONLY = {
  Grants: [{ Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }],
};
const SSE_S3 = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};

function blockAll(restrictPublicBuckets: boolean) {
  return {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: restrictPublicBuckets,
  };
}

type Obj = Record<string, unknown>;

/** A minimal plan: one bucket instance per key and a sub-resource per key, `for_each` over the bucket. */
function forEachPlan(opts: { childKeys: string[]; forEach: Obj; module?: string }): Obj {
  const prefix = opts.module ? `${opts.module}.` : '';
  const bucket = (key: string): Obj => ({
    address: `${prefix}aws_s3_bucket.b["${key}"]`,
    mode: 'managed',
    type: 'aws_s3_bucket',
    name: 'b',
    index: key,
    ...(opts.module ? { module_address: opts.module } : {}),
    change: {
      actions: ['create'],
      before: null,
      after: { bucket: `acme-${key}` },
      after_unknown: { id: true, arn: true },
    },
  });
  const child = (key: string): Obj => ({
    address: `${prefix}aws_s3_bucket_public_access_block.p["${key}"]`,
    mode: 'managed',
    type: 'aws_s3_bucket_public_access_block',
    name: 'p',
    index: key,
    ...(opts.module ? { module_address: opts.module } : {}),
    change: {
      actions: ['create'],
      before: null,
      after: { block_public_acls: true },
      after_unknown: { bucket: true, id: true },
    },
  });
  const resources = [
    { address: 'aws_s3_bucket.b', expressions: { bucket: { references: ['each.key'] } } },
    {
      address: 'aws_s3_bucket_public_access_block.p',
      expressions: {
        block_public_acls: { constant_value: true },
        bucket: { references: ['each.value.id', 'each.value'] },
      },
      for_each_expression: opts.forEach,
    },
  ];
  const rootModule = opts.module
    ? { module_calls: { [opts.module.slice('module.'.length)]: { module: { resources } } } }
    : { resources };
  return {
    format_version: '1.2',
    resource_changes: [bucket('logs'), ...opts.childKeys.map(child)],
    configuration: { root_module: rootModule },
  };
}

describe('for_each sub-resources joined to the parent instance with the same key (plan)', () => {
  let inventory: Inventory;
  before(() => {
    inventory = readTerraformPlan(readPlan(), PLAN_FILE);
  });

  it('leaves no sub-resource without its parent', () => {
    assert.deepEqual(inventory.unsupported, {});
    assert.deepEqual(
      inventory.resources.map((r) => r.id),
      ['aws_s3_bucket.b["data"]', 'aws_s3_bucket.b["logs"]', 'module.archive.aws_s3_bucket.a["eu"]'],
    );
  });

  it('joins each.value sub-resources and [each.key] sub-resources into the bucket of their key', () => {
    const logs = byId(inventory, 'aws_s3_bucket.b["logs"]');
    assert.deepEqual(logs.config, {
      Name: 'acme-logs',
      Location: 'eu-west-1',
      Acl: CANONICAL_OWNER_ONLY,
      ServerSideEncryptionConfiguration: SSE_S3,
      Versioning: { Status: 'Enabled' },
      Logging: {},
      Tags: [],
      PublicAccessBlockConfiguration: blockAll(true),
    });
    // The policy names `${each.value.arn}/*`, not known before apply.
    assert.deepEqual(logs.unknown, ['Policy']);
    assert.equal(logs.refs, undefined);
    const data = byId(inventory, 'aws_s3_bucket.b["data"]');
    assert.deepEqual(data.config.PublicAccessBlockConfiguration, blockAll(false));
    assert.deepEqual(data.config.Versioning, { Status: 'Suspended' });
    assert.deepEqual(data.unknown, ['Policy']);
  });

  it('joins them inside a module, to the module instance own bucket', () => {
    const eu = byId(inventory, 'module.archive.aws_s3_bucket.a["eu"]');
    assert.equal(eu.name, 'acme-archive-eu');
    assert.deepEqual(eu.config.PublicAccessBlockConfiguration, blockAll(true));
  });

  it('reads each.value references as references to that instance, and fills the name it stands for', () => {
    const resources = planResources(readPlan(), PLAN_FILE);
    const block = resourceAt(resources, 'aws_s3_bucket_public_access_block.b["logs"]');
    assert.deepEqual(block.refs, [{ attribute: 'bucket', target: 'aws_s3_bucket.b["logs"]' }]);
    assert.equal(block.values.bucket, 'acme-logs');
    const policy = resourceAt(resources, 'aws_s3_bucket_policy.b["data"]');
    assert.deepEqual(policy.refs, [
      { attribute: 'bucket', target: 'aws_s3_bucket.b["data"]' },
      { attribute: 'policy', target: 'aws_s3_bucket.b["data"]' },
    ]);
    assert.equal(policy.values.bucket, 'acme-data');
    const archive = resourceAt(resources, 'module.archive.aws_s3_bucket_public_access_block.a["eu"]');
    assert.deepEqual(archive.refs, [{ attribute: 'bucket', target: 'module.archive.aws_s3_bucket.a["eu"]' }]);
    // `[each.key]` already names the block, narrowed to the same key when joining.
    const versioning = resourceAt(resources, 'aws_s3_bucket_versioning.b["logs"]');
    assert.deepEqual(versioning.refs, [{ attribute: 'bucket', target: 'aws_s3_bucket.b' }]);
  });

  it('joins in a module instance given by key', () => {
    const inv = readTerraformPlan(
      forEachPlan({
        childKeys: ['logs'],
        forEach: { references: ['aws_s3_bucket.b'] },
        module: 'module.m',
      }),
      'p.json',
    );
    assert.deepEqual(inv.unsupported, {});
    assert.deepEqual(byId(inv, 'module.m.aws_s3_bucket.b["logs"]').config.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });

  it('names no instance when the key has no bucket, or for_each is not the bucket block itself', () => {
    const cases: { key: string; forEach: Obj }[] = [
      // A key the bucket block does not have (`for k, v in aws_s3_bucket.b : "${k}-x" => v`).
      { key: 'logs-x', forEach: { references: ['aws_s3_bucket.b'] } },
      // An attribute of one bucket, two blocks, or no resource: each.value is no bucket instance.
      {
        key: 'logs',
        forEach: {
          references: ['aws_s3_bucket.b["logs"].tags', 'aws_s3_bucket.b["logs"]', 'aws_s3_bucket.b'],
        },
      },
      { key: 'logs', forEach: { references: ['aws_s3_bucket.b', 'aws_s3_bucket.c'] } },
      { key: 'logs', forEach: { references: ['var.buckets'] } },
      { key: 'logs', forEach: {} },
    ];
    for (const { key, forEach } of cases) {
      const doc = forEachPlan({ childKeys: [key], forEach });
      const [, child] = planResources(doc, 'p.json');
      assert.deepEqual(child?.refs, [], JSON.stringify(forEach));
      const inv = readTerraformPlan(doc, 'p.json');
      assert.deepEqual(inv.unsupported, { 'aws_s3_bucket_public_access_block (parent not in input)': 1 });
    }
  });
});

describe('for_each sub-resources joined to the parent instance with the same key (HCL)', () => {
  it('joins the same sub-resources from the .tf files as from the plan', async () => {
    const inv = translateTerraform(await readHclDirectory(FIXTURE), 'terraform-hcl');
    assert.deepEqual(inv.unsupported, {});
    const logs = byId(inv, 'aws_s3_bucket.b["logs"]');
    assert.deepEqual(logs.config.PublicAccessBlockConfiguration, blockAll(true));
    assert.deepEqual(logs.config.Versioning, { Status: 'Enabled' });
    const data = byId(inv, 'aws_s3_bucket.b["data"]');
    assert.deepEqual(data.config.PublicAccessBlockConfiguration, blockAll(false));
    assert.deepEqual(data.config.Versioning, { Status: 'Suspended' });
    assert.deepEqual(
      byId(inv, 'module.archive.aws_s3_bucket.a["eu"]').config.PublicAccessBlockConfiguration,
      blockAll(true),
    );
    const block = resourceAt(await readHclDirectory(FIXTURE), 'aws_s3_bucket_public_access_block.b["data"]');
    assert.deepEqual(block.refs, [{ attribute: 'bucket', target: 'aws_s3_bucket.b["data"]' }]);
  });
});
