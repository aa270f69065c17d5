import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { UNKNOWN } from '../../../src/model/unknown.js';
import { readHclDirectory } from '../../../src/sources/terraform/hcl/index.js';
import type { TfResource } from '../../../src/sources/terraform/ir.js';
import { HCL_FIXTURES, resourceAt } from './hcl-helpers.js';

const DIR = join(HCL_FIXTURES, 'hcl-expressions');

describe('HCL expression evaluation', () => {
  let resources: TfResource[];
  let values: Record<string, unknown>;
  before(async () => {
    resources = await readHclDirectory(DIR);
    values = resourceAt(resources, 'test_check.values').values;
  });

  it('evaluates literals, templates, heredocs and escapes', () => {
    assert.equal(values.literal_string, 'plain "quoted"');
    assert.equal(values.escaped, 'a\tb ${not_interpolated} %{not_a_directive}');
    assert.equal(values.interpolated, 'shop-on-7');
    assert.equal(values.heredoc, 'line one shop\nline "two"\n');
    assert.equal(values.workspace, 'default');
    assert.equal(values.path, '.');
  });

  it('evaluates operators and conditionals with Terraform typing', () => {
    assert.equal(values.number, 2.5);
    assert.equal(values.modulo, 2);
    assert.equal(values.negative, -22);
    assert.equal(values.comparison, true);
    assert.deepEqual(values.equality, [true, false, true, true]);
    assert.equal(values.conditional, 'many');
  });

  it('evaluates for expressions, grouping, splats and dynamic blocks', () => {
    assert.deepEqual(values.subnets, ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    assert.deepEqual(values.by_port, { '22': 'SSH', '443': 'HTTPS' });
    assert.deepEqual(values.grouped, { a: ['ab', 'ac'], b: ['b'] });
    assert.deepEqual(values.splat, [22, 443]);
    assert.deepEqual(values.for_filtered, ['10.0.0.0/8']);
    assert.deepEqual(values.rule, [
      { cidr: '0.0.0.0/0', port: 22 },
      { cidr: '10.0.0.0/8', port: 443 },
    ]);
    assert.deepEqual(values.named, [
      { name: 'https', port: 443 },
      { name: 'ssh', port: 22 },
    ]);
  });

  it('evaluates the built-in functions', () => {
    assert.deepEqual(values.distinct_sorted, ['a', 'b']);
    assert.deepEqual(values.set, ['a', 'b']);
    assert.equal(values.subnet_v6, 'fd00:fd12:3456:7800:a200::/72');
    assert.equal(values.host, '10.12.112.16');
    assert.equal(values.netmask, '255.240.0.0');
    assert.equal(values.joined, 'B,A,B');
    assert.deepEqual(values.split, ['a', 'b', 'c']);
    assert.equal(values.formatted, 'x-007-2.3-true-"q"-[1,"a"]');
    assert.deepEqual(values.replaced, ['a_b_c', 'abc#']);
    assert.deepEqual(values.merged, { a: 1, b: 3 });
    assert.deepEqual(values.concatenated, [1, 2, 3]);
    assert.deepEqual(values.looked_up, [22, 3389]);
    assert.equal(values.element, 'b');
    assert.deepEqual(values.lengths, [5, 2, 2]);
    assert.deepEqual(values.flattened, [1, 2, 3]);
    assert.deepEqual(values.keys_values, [
      ['https', 'ssh'],
      [443, 22],
    ]);
    assert.deepEqual(values.contains, [true, false]);
    assert.equal(values.coalesced, 'first');
    assert.deepEqual(values.tried, ['fallback', 22]);
    assert.deepEqual(values.can, [true, false]);
    assert.deepEqual(values.conversions, ['5', 42, ['a', 'b'], { x: '1' }]);
    assert.deepEqual(values.strings, ['abc', 'x', 'Hello World', 'b']);
    assert.equal(values.json_encoded, '{"a":"x","b":[1,true,null]}');
  });

  it('reads file and templatefile inside the configuration, and nothing outside it', () => {
    assert.deepEqual(values.decoded_policy, {
      Statement: [{ Action: '*', Effect: 'Deny', Resource: '*' }],
      Version: '2012-10-17',
    });
    assert.equal(values.template, 'Hello ops!\n- x\n- y\n');
    assert.equal(values.outside_file, UNKNOWN);
  });

  it('leaves what is known only after apply unknown, keeping the known parts', () => {
    assert.equal(values.unknown_var, UNKNOWN);
    assert.equal(values.unknown_data, UNKNOWN);
    assert.equal(values.unknown_fn, UNKNOWN);
    assert.deepEqual(values.partly_unknown, { known: 'yes', later: UNKNOWN });
    assert.deepEqual(JSON.parse(values.policy_doc as string), {
      Statement: [{ Effect: 'Allow', Resource: ['${aws_s3_bucket.b.arn}/*', '${aws_s3_bucket.b.arn}'] }],
    });
    assert.deepEqual(resourceAt(resources, 'test_check.values').refs, [
      { attribute: 'partly_unknown', target: 'aws_s3_bucket.b' },
      { attribute: 'policy_doc', target: 'aws_s3_bucket.b' },
    ]);
  });

  it('reads a cycle between locals as unknown instead of looping', () => {
    assert.deepEqual(resourceAt(resources, 'test_check.cycle').values, { value: UNKNOWN });
  });

  it('keeps a block whose count is known only after apply as one instance without an index', () => {
    const perZone = resourceAt(resources, 'aws_subnet.per_zone');
    assert.equal(perZone.index, undefined);
    assert.deepEqual(perZone.values, { cidr_block: UNKNOWN, vpc_id: 'vpc-0123456789abcdef0' });
    assert.deepEqual(
      resources.map((r) => r.address),
      ['test_check.values', 'aws_s3_bucket.b', 'test_check.cycle', 'aws_subnet.per_zone'],
    );
  });
});
