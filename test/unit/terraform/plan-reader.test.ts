import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planResources, readTerraformPlan } from '../../../src/sources/terraform/plan.js';
import { InputError } from '../../../src/util/errors.js';
import { byId } from './helpers.js';

type Obj = Record<string, unknown>;

interface Change {
  address: string;
  type: string;
  name: string;
  after: Obj | null;
  actions?: string[];
  unknown?: Obj;
  sensitive?: Obj;
  module?: string;
  index?: number | string;
  mode?: string;
  deposed?: string;
}

function change(c: Change): Obj {
  const out: Obj = {
    address: c.address,
    mode: c.mode ?? 'managed',
    type: c.type,
    name: c.name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: c.actions ?? ['create'],
      before: null,
      after: c.after,
      after_unknown: c.unknown ?? {},
      before_sensitive: false,
      after_sensitive: c.sensitive ?? {},
    },
  };
  if (c.module !== undefined) out.module_address = c.module;
  if (c.index !== undefined) out.index = c.index;
  if (c.deposed !== undefined) out.deposed = c.deposed;
  return out;
}

function planDoc(changes: Obj[], configuration: Obj = {}, extra: Obj = {}): Obj {
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
    configuration,
    ...extra,
  };
}

const AWS_PROVIDER = {
  aws: {
    name: 'aws',
    full_name: 'registry.terraform.io/hashicorp/aws',
    expressions: { region: { constant_value: 'eu-west-1' } },
  },
};

function expectInputError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `not an InputError: ${String(err)}`);
    assert.equal(err.file, 'bad.json');
    assert.match(err.message, message);
    return true;
  });
}

describe('terraform plan reader', () => {
  it('turns after_unknown into unknown paths, nested ones included, and keeps them out of config', () => {
    const inv = readTerraformPlan(
      planDoc([
        change({
          address: 'aws_db_instance.db',
          type: 'aws_db_instance',
          name: 'db',
          after: { identifier: 'db', engine: 'postgres', publicly_accessible: false },
          unknown: { storage_encrypted: true, id: true },
        }),
        change({
          address: 'aws_security_group.sg',
          type: 'aws_security_group',
          name: 'sg',
          after: {
            name: 'sg',
            ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: [], self: false }],
          },
          unknown: { ingress: [{ cidr_blocks: [true] }], egress: true, id: true },
        }),
      ]),
      'p.json',
    );
    const db = byId(inv, 'aws_db_instance.db');
    assert.equal('StorageEncrypted' in db.config, false);
    assert.deepEqual(db.unknown, ['StorageEncrypted']);
    const sg = byId(inv, 'aws_security_group.sg');
    // Not configured, egress is read back from rule resources: absent, not unknown.
    assert.deepEqual(sg.unknown, ['GroupId', 'IpPermissions[0].IpRanges']);
    assert.deepEqual(sg.config.IpPermissions, [
      // The unknown CIDR is dropped from its list; the list path says the list is not fully known.
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ]);
    assert.deepEqual(sg.config.IpPermissionsEgress, []);
  });

  it('keeps a configured read-back attribute unknown', () => {
    const doc = planDoc(
      [
        change({
          address: 'aws_s3_bucket.b',
          type: 'aws_s3_bucket',
          name: 'b',
          after: { bucket: 'b' },
          unknown: { policy: true, acl: true },
        }),
      ],
      {
        root_module: {
          resources: [
            {
              address: 'aws_s3_bucket.b',
              expressions: {
                bucket: { constant_value: 'b' },
                policy: { references: ['aws_iam_role.r.arn', 'aws_iam_role.r'] },
              },
            },
          ],
        },
      },
    );
    const bucket = byId(readTerraformPlan(doc, 'p.json'), 'aws_s3_bucket.b');
    assert.deepEqual(bucket.unknown, ['Policy']);
    assert.deepEqual(bucket.config.Acl, {
      Grants: [{ Grantee: { Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }],
    });
  });

  it('skips deletes, data sources, deposed and forgotten objects; keeps replace, update and no-op', () => {
    const doc = planDoc([
      change({ address: 'aws_vpc.gone', type: 'aws_vpc', name: 'gone', after: null, actions: ['delete'] }),
      change({
        address: 'aws_vpc.forgot',
        type: 'aws_vpc',
        name: 'forgot',
        after: null,
        actions: ['forget'],
      }),
      change({
        address: 'aws_vpc.replaced',
        type: 'aws_vpc',
        name: 'replaced',
        after: { cidr_block: '10.0.0.0/16' },
        actions: ['delete', 'create'],
      }),
      change({
        address: 'aws_vpc.same',
        type: 'aws_vpc',
        name: 'same',
        after: { cidr_block: '10.1.0.0/16', id: 'vpc-1' },
        actions: ['no-op'],
      }),
      change({
        address: 'aws_vpc.changed',
        type: 'aws_vpc',
        name: 'changed',
        after: { cidr_block: '10.2.0.0/16' },
        actions: ['update'],
      }),
      change({
        address: 'aws_vpc.old',
        type: 'aws_vpc',
        name: 'old',
        after: null,
        actions: ['delete'],
        deposed: '00000001',
      }),
      change({
        address: 'data.aws_vpc.d',
        type: 'aws_vpc',
        name: 'd',
        after: { id: 'vpc-9' },
        actions: ['read'],
        mode: 'data',
      }),
    ]);
    assert.deepEqual(
      planResources(doc, 'p.json').map((r) => r.address),
      ['aws_vpc.replaced', 'aws_vpc.same', 'aws_vpc.changed'],
    );
  });

  it('keeps module addresses, count indexes and for_each keys, and prefixes references in modules', () => {
    const doc = planDoc(
      [
        change({
          address: 'module.net.aws_vpc.main',
          module: 'module.net',
          type: 'aws_vpc',
          name: 'main',
          after: { cidr_block: '10.0.0.0/16' },
        }),
        change({
          address: 'module.net.aws_subnet.edge[1]',
          module: 'module.net',
          index: 1,
          type: 'aws_subnet',
          name: 'edge',
          after: { cidr_block: '10.0.1.0/24', availability_zone: 'eu-west-1b' },
          unknown: { vpc_id: true },
        }),
        change({
          address: 'module.app["eu"].aws_s3_bucket.logs["a.b"]',
          module: 'module.app["eu"]',
          index: 'a.b',
          type: 'aws_s3_bucket',
          name: 'logs',
          after: { bucket: 'logs-a' },
        }),
      ],
      {
        provider_config: AWS_PROVIDER,
        root_module: {
          module_calls: {
            net: {
              source: './net',
              module: {
                resources: [
                  { address: 'aws_vpc.main', provider_config_key: 'aws', expressions: {} },
                  {
                    address: 'aws_subnet.edge',
                    provider_config_key: 'module.net:aws',
                    expressions: { vpc_id: { references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
                    count_expression: { constant_value: 2 },
                  },
                ],
              },
            },
            app: {
              source: './app',
              module: {
                resources: [{ address: 'aws_s3_bucket.logs', provider_config_key: 'aws', expressions: {} }],
              },
            },
          },
        },
      },
    );
    const resources = planResources(doc, 'p.json');
    const subnet = resources.find((r) => r.type === 'aws_subnet');
    assert.equal(subnet?.module, 'module.net');
    assert.equal(subnet?.index, 1);
    assert.equal(subnet?.region, 'eu-west-1');
    assert.deepEqual(subnet?.refs, [{ attribute: 'vpc_id', target: 'module.net.aws_vpc.main' }]);
    const logs = resources.find((r) => r.type === 'aws_s3_bucket');
    assert.equal(logs?.index, 'a.b');
    assert.equal(logs?.module, 'module.app["eu"]');
    assert.equal(logs?.region, 'eu-west-1');
    const inv = readTerraformPlan(doc, 'p.json');
    assert.deepEqual(
      inv.resources.map((r) => r.id),
      [
        'module.net.aws_vpc.main',
        'module.net.aws_subnet.edge[1]',
        'module.app["eu"].aws_s3_bucket.logs["a.b"]',
      ],
    );
    assert.deepEqual(byId(inv, 'module.net.aws_subnet.edge[1]').refs, [
      { attribute: 'VpcId', target: 'module.net.aws_vpc.main' },
    ]);
    assert.equal(byId(inv, 'module.net.aws_subnet.edge[1]').region, 'eu-west-1');
  });

  it('finds the region of aliased providers, root variables and inherited module providers', () => {
    const doc = planDoc(
      [
        change({ address: 'aws_vpc.a', type: 'aws_vpc', name: 'a', after: {} }),
        change({ address: 'aws_vpc.b', type: 'aws_vpc', name: 'b', after: {} }),
        change({ address: 'module.m.aws_vpc.c', module: 'module.m', type: 'aws_vpc', name: 'c', after: {} }),
        change({ address: 'aws_vpc.d', type: 'aws_vpc', name: 'd', after: {} }),
      ],
      {
        provider_config: {
          aws: {
            name: 'aws',
            full_name: 'registry.terraform.io/hashicorp/aws',
            expressions: { region: { references: ['var.region'] } },
          },
          'aws.us': {
            name: 'aws',
            alias: 'us',
            full_name: 'registry.terraform.io/hashicorp/aws',
            expressions: { region: { constant_value: 'us-east-1' } },
          },
          'aws.computed': {
            name: 'aws',
            alias: 'computed',
            full_name: 'registry.terraform.io/hashicorp/aws',
            expressions: { region: { references: ['local.region', 'var.region'] } },
          },
          'module.m:aws': {
            name: 'aws',
            full_name: 'registry.terraform.io/hashicorp/aws',
            module_address: 'module.m',
          },
        },
        root_module: {
          resources: [
            { address: 'aws_vpc.a', provider_config_key: 'aws', expressions: {} },
            { address: 'aws_vpc.b', provider_config_key: 'aws.us', expressions: {} },
            { address: 'aws_vpc.d', provider_config_key: 'aws.computed', expressions: {} },
          ],
          module_calls: {
            m: {
              module: {
                resources: [{ address: 'aws_vpc.c', provider_config_key: 'module.m:aws', expressions: {} }],
              },
            },
          },
        },
      },
      { variables: { region: { value: 'ap-southeast-2' } } },
    );
    assert.deepEqual(
      planResources(doc, 'p.json').map((r) => `${r.address}=${r.region}`),
      ['aws_vpc.a=ap-southeast-2', 'aws_vpc.b=us-east-1', 'module.m.aws_vpc.c=ap-southeast-2', 'aws_vpc.d='],
    );
  });

  it('collects references from nested blocks, drops non-resource ones, and keeps the instance named', () => {
    const doc = planDoc(
      [
        change({ address: 'aws_lb.lb', type: 'aws_lb', name: 'lb', after: { name: 'lb', internal: true } }),
        change({
          address: 'aws_lb_listener.l',
          type: 'aws_lb_listener',
          name: 'l',
          after: { port: 443 },
          unknown: { load_balancer_arn: true },
        }),
        change({
          address: 'aws_db_subnet_group.g',
          type: 'aws_db_subnet_group',
          name: 'g',
          after: { name: 'g' },
          unknown: { subnet_ids: true },
        }),
      ],
      {
        provider_config: AWS_PROVIDER,
        root_module: {
          resources: [
            {
              address: 'aws_lb.lb',
              provider_config_key: 'aws',
              expressions: { subnets: { references: ['data.aws_subnets.all.ids', 'data.aws_subnets.all'] } },
            },
            {
              address: 'aws_lb_listener.l',
              provider_config_key: 'aws',
              expressions: {
                load_balancer_arn: { references: ['aws_lb.lb.arn', 'aws_lb.lb'] },
                default_action: [
                  {
                    type: { constant_value: 'forward' },
                    target_group_arn: {
                      references: ['aws_lb_target_group.tg.arn', 'aws_lb_target_group.tg'],
                    },
                  },
                ],
              },
              depends_on: ['aws_lb.lb'],
            },
            {
              address: 'aws_db_subnet_group.g',
              provider_config_key: 'aws',
              expressions: {
                subnet_ids: {
                  references: [
                    'aws_subnet.a[0].id',
                    'aws_subnet.a[0]',
                    'aws_subnet.a',
                    'var.extra',
                    'count.index',
                  ],
                },
              },
            },
          ],
        },
      },
    );
    const resources = planResources(doc, 'p.json');
    assert.deepEqual(resources[0]?.refs, []);
    assert.deepEqual(resources[1]?.refs, [
      { attribute: 'load_balancer_arn', target: 'aws_lb.lb' },
      { attribute: 'default_action.target_group_arn', target: 'aws_lb_target_group.tg' },
      { attribute: 'depends_on', target: 'aws_lb.lb' },
    ]);
    assert.deepEqual(resources[2]?.refs, [{ attribute: 'subnet_ids', target: 'aws_subnet.a[0]' }]);
    const lb = byId(readTerraformPlan(doc, 'p.json'), 'aws_lb.lb');
    assert.equal(lb.config.Scheme, 'internal');
    assert.deepEqual(lb.refs, [{ attribute: 'Listeners', target: 'aws_lb_target_group.tg' }]);
  });

  it('fills an unknown name-reference from the named resource, only for a plain reference', () => {
    const config = (policyRefs: string[]) => ({
      root_module: {
        resources: [
          { address: 'aws_s3_bucket.b', expressions: { bucket: { constant_value: 'my-bucket' } } },
          { address: 'aws_s3_bucket_policy.p', expressions: { bucket: { references: policyRefs } } },
        ],
      },
    });
    const changes = [
      change({
        address: 'aws_s3_bucket.b',
        type: 'aws_s3_bucket',
        name: 'b',
        after: { bucket: 'my-bucket' },
        unknown: { id: true },
      }),
      change({
        address: 'aws_s3_bucket_policy.p',
        type: 'aws_s3_bucket_policy',
        name: 'p',
        after: { policy: '{}' },
        unknown: { bucket: true },
      }),
    ];
    const plain = planResources(
      planDoc(changes, config(['aws_s3_bucket.b.id', 'aws_s3_bucket.b'])),
      'p.json',
    );
    assert.equal(plain[1]?.values.bucket, 'my-bucket');
    const mixed = planResources(
      planDoc(changes, config(['var.prefix', 'aws_s3_bucket.b.id', 'aws_s3_bucket.b'])),
      'p.json',
    );
    assert.equal(typeof mixed[1]?.values.bucket, 'symbol');
  });

  it('replaces sensitive values before translation: never in config, tags or errors', () => {
    const inv = readTerraformPlan(
      planDoc([
        change({
          address: 'aws_s3_bucket.b',
          type: 'aws_s3_bucket',
          name: 'b',
          after: {
            bucket: 'b',
            tags: { team: 'web', token: 'tok-secret-1' },
            tags_all: { team: 'web', token: 'tok-secret-1' },
          },
          sensitive: { tags: { token: true }, tags_all: { token: true } },
        }),
        change({
          address: 'aws_s3_bucket_policy.p',
          type: 'aws_s3_bucket_policy',
          name: 'p',
          after: { bucket: 'b', policy: '{"Statement":"pol-secret-2"}' },
          sensitive: { policy: true },
        }),
      ]),
      'p.json',
    );
    const bucket = byId(inv, 'aws_s3_bucket.b');
    assert.deepEqual(bucket.tags, { team: 'web' });
    assert.deepEqual(bucket.config.Tags, [{ Key: 'team', Value: 'web' }, { Key: 'token' }]);
    assert.equal('Policy' in bucket.config, false);
    assert.deepEqual(bucket.errors, [
      {
        path: 'Policy',
        code: 'sensitive',
        message: 'Terraform marks this value sensitive; Warden never reads it',
      },
      {
        path: 'Tags[1].Value',
        code: 'sensitive',
        message: 'Terraform marks this value sensitive; Warden never reads it',
      },
    ]);
    const text = JSON.stringify(inv);
    assert.equal(text.includes('tok-secret-1'), false);
    assert.equal(text.includes('pol-secret-2'), false);
    assert.deepEqual(
      planResources(
        planDoc([
          change({
            address: 'aws_db_instance.d',
            type: 'aws_db_instance',
            name: 'd',
            after: { password: 'pw' },
            sensitive: { password: true },
          }),
        ]),
        'p.json',
      )[0]?.sensitive,
      ['password'],
    );
  });

  it('accepts a plan with no changes and names the input', () => {
    const inv = readTerraformPlan(
      { format_version: '1.2', planned_values: { root_module: {} } },
      'empty.json',
    );
    assert.deepEqual(inv, { resources: [], unsupported: {}, inputs: ['empty.json'] });
  });

  it('counts resource types it does not model', () => {
    const inv = readTerraformPlan(
      planDoc([
        change({ address: 'random_id.x', type: 'random_id', name: 'x', after: { byte_length: 4 } }),
        change({ address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', name: 'q', after: { name: 'q' } }),
        change({ address: 'aws_sqs_queue.r', type: 'aws_sqs_queue', name: 'r', after: { name: 'r' } }),
      ]),
      'p.json',
    );
    assert.deepEqual(inv.resources, []);
    assert.deepEqual(inv.unsupported, { random_id: 1, aws_sqs_queue: 2 });
  });

  it('rejects malformed plans with one clear InputError naming the file and resource', () => {
    expectInputError(() => readTerraformPlan('nope', 'bad.json'), /must be a JSON object, not a string/);
    expectInputError(() => readTerraformPlan([], 'bad.json'), /must be a JSON object, not a list/);
    expectInputError(
      () => readTerraformPlan({ format_version: '1.2' }, 'bad.json'),
      /neither resource_changes nor planned_values/,
    );
    expectInputError(
      () => readTerraformPlan({ format_version: '2.0', resource_changes: [] }, 'bad.json'),
      /format_version "2.0"/,
    );
    expectInputError(
      () => readTerraformPlan({ resource_changes: {} }, 'bad.json'),
      /resource_changes must be a list/,
    );
    expectInputError(
      () => readTerraformPlan({ resource_changes: [42] }, 'bad.json'),
      /resource_changes\[0\] must be a JSON object/,
    );
    expectInputError(
      () => readTerraformPlan({ resource_changes: [{ mode: 'managed' }] }, 'bad.json'),
      /resource_changes\[0\]\.address must be a non-empty string/,
    );
    const bad = (patch: Obj) => ({
      resource_changes: [
        { ...change({ address: 'aws_vpc.v', type: 'aws_vpc', name: 'v', after: {} }), ...patch },
      ],
    });
    expectInputError(
      () => readTerraformPlan(bad({ mode: 'weird' }), 'bad.json'),
      /resource aws_vpc\.v: mode must be "managed" or "data"/,
    );
    expectInputError(
      () => readTerraformPlan(bad({ change: 'x' }), 'bad.json'),
      /resource aws_vpc\.v: change must be a JSON object/,
    );
    expectInputError(
      () => readTerraformPlan(bad({ change: { actions: [] } }), 'bad.json'),
      /aws_vpc\.v: change\.actions must be a non-empty list/,
    );
    expectInputError(
      () => readTerraformPlan(bad({ change: { actions: ['create'], after: 'x' } }), 'bad.json'),
      /aws_vpc\.v: change\.after must be an object for actions \["create"\], not a string/,
    );
    expectInputError(
      () =>
        readTerraformPlan(bad({ change: { actions: ['create'], after: {}, after_unknown: 3 } }), 'bad.json'),
      /aws_vpc\.v: change\.after_unknown must be an object or a boolean/,
    );
    expectInputError(
      () => readTerraformPlan(bad({ type: 5 }), 'bad.json'),
      /aws_vpc\.v: type must be a non-empty string/,
    );
    expectInputError(
      () => readTerraformPlan(bad({ index: [] }), 'bad.json'),
      /aws_vpc\.v: index must be a number or a string/,
    );
  });
});
