import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTerraformState, stateResources } from '../../../src/sources/terraform/state.js';
import { InputError } from '../../../src/util/errors.js';
import { byId } from './helpers.js';

type Obj = Record<string, unknown>;

function res(address: string, type: string, name: string, values: Obj, extra: Obj = {}): Obj {
  return {
    address,
    mode: 'managed',
    type,
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    schema_version: 0,
    values,
    sensitive_values: {},
    ...extra,
  };
}

function stateDoc(rootModule: Obj): Obj {
  return { format_version: '1.0', terraform_version: '1.11.4', values: { root_module: rootModule } };
}

function expectInputError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `not an InputError: ${String(err)}`);
    assert.equal(err.file, 'bad.json');
    assert.match(err.message, message);
    return true;
  });
}

describe('terraform state reader', () => {
  it('walks child modules recursively and keeps module addresses and indexes', () => {
    const doc = stateDoc({
      resources: [
        res('aws_vpc.main', 'aws_vpc', 'main', {
          id: 'vpc-1',
          cidr_block: '10.0.0.0/16',
          arn: 'arn:aws:ec2:us-west-2:1:vpc/vpc-1',
        }),
      ],
      child_modules: [
        {
          address: 'module.net',
          resources: [
            res(
              'module.net.aws_subnet.edge[0]',
              'aws_subnet',
              'edge',
              { id: 'subnet-1', vpc_id: 'vpc-1', availability_zone: 'us-west-2a' },
              { index: 0 },
            ),
          ],
          child_modules: [
            {
              address: 'module.net.module.inner["x"]',
              resources: [
                res('module.net.module.inner["x"].aws_subnet.s', 'aws_subnet', 's', {
                  id: 'subnet-2',
                  vpc_id: 'vpc-1',
                }),
                res(
                  'module.net.module.inner["x"].data.aws_vpc.d',
                  'aws_vpc',
                  'd',
                  { id: 'vpc-9' },
                  { mode: 'data' },
                ),
              ],
            },
          ],
        },
      ],
    });
    const resources = stateResources(doc, 's.json');
    assert.deepEqual(
      resources.map((r) => [r.address, r.module, r.index ?? null]),
      [
        ['aws_vpc.main', '', null],
        ['module.net.aws_subnet.edge[0]', 'module.net', 0],
        ['module.net.module.inner["x"].aws_subnet.s', 'module.net.module.inner["x"]', null],
      ],
    );
    const inv = readTerraformState(doc, 's.json');
    assert.equal(byId(inv, 'aws_vpc.main').region, 'us-west-2');
    assert.equal(byId(inv, 'module.net.aws_subnet.edge[0]').region, 'us-west-2');
    assert.equal(byId(inv, 'module.net.module.inner["x"].aws_subnet.s').region, '');
  });

  it('drops sensitive values and records their paths', () => {
    const doc = stateDoc({
      resources: [
        res(
          'aws_db_instance.db',
          'aws_db_instance',
          'db',
          {
            identifier: 'db',
            password: 'state-secret-1',
            storage_encrypted: false,
            tags: { a: 'b', k: 'state-secret-2' },
          },
          { sensitive_values: { password: true, tags: { k: true } } },
        ),
      ],
    });
    const [db] = stateResources(doc, 's.json');
    assert.deepEqual(db?.sensitive, ['password', 'tags.k']);
    const inv = readTerraformState(doc, 's.json');
    const text = JSON.stringify(inv);
    assert.equal(text.includes('state-secret'), false);
    assert.deepEqual(byId(inv, 'aws_db_instance.db').tags, { a: 'b' });
    assert.equal(byId(inv, 'aws_db_instance.db').config.StorageEncrypted, false);
  });

  it('places a sub-resource with an ambiguous value through its only depends_on parent', () => {
    const doc = stateDoc({
      resources: [
        res('aws_kms_key.a', 'aws_kms_key', 'a', {
          id: 'k-a',
          key_id: 'k-a',
          arn: 'arn:aws:kms:eu-west-1:1:key/k-a',
          enable_key_rotation: false,
        }),
        res('aws_kms_key.b', 'aws_kms_key', 'b', {
          id: 'k-b',
          key_id: 'k-b',
          arn: 'arn:aws:kms:eu-west-1:1:key/k-b',
          enable_key_rotation: true,
        }),
        res(
          'aws_kms_alias.x',
          'aws_kms_alias',
          'x',
          { name: 'alias/x', target_key_id: '' },
          { depends_on: ['aws_kms_key.b'] },
        ),
        res('aws_kms_alias.y', 'aws_kms_alias', 'y', {
          name: 'alias/y',
          target_key_id: 'arn:aws:kms:eu-west-1:1:key/k-a',
        }),
      ],
    });
    const inv = readTerraformState(doc, 's.json');
    assert.deepEqual(byId(inv, 'aws_kms_key.a').config.Aliases, ['alias/y']);
    assert.deepEqual(byId(inv, 'aws_kms_key.b').config.Aliases, ['alias/x']);
    assert.equal(byId(inv, 'aws_kms_key.b').name, 'alias/x');
  });

  it('reads an empty state as an empty inventory naming its input', () => {
    assert.deepEqual(readTerraformState({ format_version: '1.0' }, 'empty.json'), {
      resources: [],
      unsupported: {},
      inputs: ['empty.json'],
    });
    assert.deepEqual(readTerraformState({ format_version: '1.0', values: {} }, 'empty.json').resources, []);
  });

  it('skips deposed objects', () => {
    const doc = stateDoc({
      resources: [res('aws_vpc.v', 'aws_vpc', 'v', { id: 'vpc-old' }, { deposed_key: 'abc' })],
    });
    assert.deepEqual(stateResources(doc, 's.json'), []);
  });

  it('rejects malformed states with one clear InputError', () => {
    expectInputError(() => readTerraformState(7, 'bad.json'), /must be a JSON object, not a number/);
    expectInputError(
      () => readTerraformState({ version: 4, resources: [] }, 'bad.json'),
      /raw terraform\.tfstate/,
    );
    expectInputError(
      () => readTerraformState({ format_version: '0.1', values: {} }, 'bad.json'),
      /format_version "0.1"/,
    );
    expectInputError(
      () => readTerraformState({ values: [] }, 'bad.json'),
      /values must be a JSON object, not a list/,
    );
    expectInputError(
      () => readTerraformState(stateDoc({ resources: 'x' }), 'bad.json'),
      /values\.root_module\.resources must be a list/,
    );
    expectInputError(
      () =>
        readTerraformState(
          stateDoc({ resources: [res('aws_vpc.v', 'aws_vpc', 'v', {}, { values: null })] }),
          'bad.json',
        ),
      /resource aws_vpc\.v: values must be an object, not null/,
    );
    expectInputError(
      () =>
        readTerraformState(
          stateDoc({ resources: [res('aws_vpc.v', 'aws_vpc', 'v', {}, { sensitive_values: 'x' })] }),
          'bad.json',
        ),
      /resource aws_vpc\.v: sensitive_values must be an object/,
    );
    expectInputError(
      () => readTerraformState(stateDoc({ child_modules: [{ resources: [] }] }), 'bad.json'),
      /values\.root_module\.child_modules\[0\]\.address must be a non-empty string/,
    );
  });
});
