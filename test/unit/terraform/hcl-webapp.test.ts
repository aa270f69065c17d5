import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { UNKNOWN } from '../../../src/model/unknown.js';
import { readHclDirectory, readHclLocations } from '../../../src/sources/terraform/hcl/index.js';
import type { TfResource } from '../../../src/sources/terraform/ir.js';
import { resourceAt, WEBAPP_DIR } from './hcl-helpers.js';

const EXPECTED_ADDRESSES = [
  'aws_vpc.shop',
  'aws_internet_gateway.shop',
  'aws_subnet.edge[0]',
  'aws_subnet.edge[1]',
  'aws_subnet.app',
  'aws_route_table.edge',
  'aws_route_table_association.edge[0]',
  'aws_route_table_association.edge[1]',
  'aws_network_acl.app',
  'aws_security_group.lb',
  'aws_vpc_security_group_ingress_rule.lb_https',
  'aws_vpc_security_group_egress_rule.lb_all',
  'aws_security_group.app',
  'aws_security_group_rule.app_rdp',
  'aws_lb.shop',
  'aws_lb_target_group.app',
  'aws_lb_listener.https',
  'aws_lb_target_group_attachment.app',
  'aws_iam_role.app',
  'aws_iam_policy.app',
  'aws_iam_role_policy_attachment.app',
  'aws_iam_instance_profile.app',
  'aws_key_pair.ops',
  'aws_instance.app',
  'aws_ebs_volume.cache',
  'aws_ebs_snapshot.cache',
  'aws_snapshot_create_volume_permission.cache_public',
  'aws_s3_bucket.uploads',
  'aws_s3_bucket_versioning.uploads',
  'aws_s3_bucket_logging.uploads',
  'aws_s3_bucket_public_access_block.uploads',
  'aws_s3_bucket.trail',
  'aws_s3_bucket_policy.trail',
  'aws_kms_key.trail',
  'aws_kms_alias.trail',
  'aws_cloudtrail.main',
  'aws_cloudwatch_log_group.flow',
  'aws_iam_role.flow',
  'aws_flow_log.shop',
  'aws_db_subnet_group.shop',
  'aws_db_instance.shop',
  'aws_iam_user.ci',
  'aws_iam_access_key.ci',
  'aws_iam_user_policy_attachment.ci',
];

const TAGS = { environment: 'staging', owner: 'shop-team' };

describe('HCL reader on the shared webapp fixture', () => {
  let resources: TfResource[];
  before(async () => {
    resources = await readHclDirectory(WEBAPP_DIR);
  });

  it('lists every resource instance in source order, count expanded', () => {
    assert.deepEqual(
      resources.map((r) => r.address),
      EXPECTED_ADDRESSES,
    );
    assert.equal(resources.length, 44);
  });

  it('finds the same addresses as the plan Terraform made from these files', () => {
    const plan = JSON.parse(readFileSync(join(WEBAPP_DIR, 'plan.json'), 'utf8')) as {
      resource_changes: { address: string }[];
    };
    assert.deepEqual(
      resources.map((r) => r.address).sort(),
      plan.resource_changes.map((c) => c.address).sort(),
    );
  });

  it('fills in the IR fields of every resource', () => {
    for (const r of resources) {
      assert.equal(r.kind, 'terraform-hcl');
      assert.equal(r.module, '');
      assert.equal(r.region, 'eu-west-1', r.address);
      assert.equal(r.file, join(WEBAPP_DIR, 'main.tf'));
    }
    const edge = resourceAt(resources, 'aws_subnet.edge[1]');
    assert.equal(edge.type, 'aws_subnet');
    assert.equal(edge.name, 'edge');
    assert.equal(edge.index, 1);
    assert.equal(resourceAt(resources, 'aws_subnet.app').index, undefined);
  });

  it('gives the line of each resource header', () => {
    const lines = Object.fromEntries(resources.map((r) => [r.address, r.line]));
    assert.equal(lines['aws_vpc.shop'], 48);
    assert.equal(lines['aws_subnet.edge[0]'], 57);
    assert.equal(lines['aws_subnet.edge[1]'], 57);
    assert.equal(lines['aws_instance.app'], 226);
    assert.equal(lines['aws_s3_bucket_policy.trail'], 291);
    assert.equal(lines['aws_iam_user_policy_attachment.ci'], 374);
  });

  it('evaluates aws_instance.app: literal attributes of other resources, merged tags, nested blocks', () => {
    const app = resourceAt(resources, 'aws_instance.app');
    const { user_data: userData, ...rest } = app.values;
    assert.deepEqual(rest, {
      ami: 'ami-0c55b159cbfafe1f0',
      iam_instance_profile: 'shop-app',
      instance_type: 't3.small',
      key_name: 'shop-ops',
      metadata_options: [{ http_tokens: 'optional' }],
      root_block_device: [{ encrypted: false, volume_size: 20 }],
      subnet_id: UNKNOWN,
      tags: { ...TAGS, Name: 'shop-app' },
      vpc_security_group_ids: [UNKNOWN],
    });
    assert.equal(typeof userData, 'string');
    assert.deepEqual(app.sensitive, ['user_data']);
    assert.deepEqual(app.refs, [
      { attribute: 'iam_instance_profile', target: 'aws_iam_instance_profile.app' },
      { attribute: 'key_name', target: 'aws_key_pair.ops' },
      { attribute: 'subnet_id', target: 'aws_subnet.app' },
      { attribute: 'vpc_security_group_ids', target: 'aws_security_group.app' },
    ]);
    assert.deepEqual(app.skips, []);
  });

  it('evaluates count.index, cidrsubnet and tuple indexing per instance', () => {
    const edges = [0, 1].map((i) => resourceAt(resources, `aws_subnet.edge[${i}]`).values);
    assert.deepEqual(edges, [
      {
        availability_zone: 'eu-west-1a',
        cidr_block: '10.60.0.0/24',
        map_public_ip_on_launch: true,
        tags: { ...TAGS, Name: 'edge-0' },
        vpc_id: UNKNOWN,
      },
      {
        availability_zone: 'eu-west-1b',
        cidr_block: '10.60.1.0/24',
        map_public_ip_on_launch: true,
        tags: { ...TAGS, Name: 'edge-1' },
        vpc_id: UNKNOWN,
      },
    ]);
  });

  it('jsonencodes policy documents, with a placeholder for an ARN known only after apply', () => {
    const policy = resourceAt(resources, 'aws_iam_policy.app');
    assert.equal(typeof policy.values.policy, 'string');
    assert.deepEqual(JSON.parse(policy.values.policy as string), {
      Statement: [
        {
          Action: ['s3:GetObject', 's3:PutObject'],
          Effect: 'Allow',
          Resource: '${aws_s3_bucket.uploads.arn}/*',
        },
        { Action: 'iam:PassRole', Effect: 'Allow', Resource: '*' },
      ],
      Version: '2012-10-17',
    });
    assert.deepEqual(policy.refs, [{ attribute: 'policy', target: 'aws_s3_bucket.uploads' }]);
  });

  it('records references from attributes, nested blocks and splats', () => {
    const bucketPolicy = resourceAt(resources, 'aws_s3_bucket_policy.trail');
    assert.deepEqual(bucketPolicy.refs, [
      { attribute: 'bucket', target: 'aws_s3_bucket.trail' },
      { attribute: 'policy', target: 'aws_s3_bucket.trail' },
    ]);
    const statements = (
      JSON.parse(bucketPolicy.values.policy as string) as { Statement: { Resource: string }[] }
    ).Statement;
    assert.deepEqual(
      statements.map((s) => s.Resource),
      ['${aws_s3_bucket.trail.arn}', '${aws_s3_bucket.trail.arn}/AWSLogs/*', '${aws_s3_bucket.trail.arn}/*'],
    );
    assert.deepEqual(resourceAt(resources, 'aws_route_table_association.edge[1]').refs, [
      { attribute: 'route_table_id', target: 'aws_route_table.edge' },
      { attribute: 'subnet_id', target: 'aws_subnet.edge[1]' },
    ]);
    assert.deepEqual(resourceAt(resources, 'aws_route_table.edge').refs, [
      { attribute: 'route', target: 'aws_internet_gateway.shop' },
      { attribute: 'vpc_id', target: 'aws_vpc.shop' },
    ]);
    assert.deepEqual(resourceAt(resources, 'aws_lb.shop').refs, [
      { attribute: 'security_groups', target: 'aws_security_group.lb' },
      { attribute: 'subnets', target: 'aws_subnet.edge[0]' },
      { attribute: 'subnets', target: 'aws_subnet.edge[1]' },
    ]);
    assert.deepEqual(resourceAt(resources, 'aws_lb.shop').values.subnets, [UNKNOWN, UNKNOWN]);
    // depends_on is a meta-argument, not an attribute: no value and no reference.
    const trail = resourceAt(resources, 'aws_cloudtrail.main');
    assert.equal('depends_on' in trail.values, false);
    assert.deepEqual(trail.refs, [{ attribute: 's3_bucket_name', target: 'aws_s3_bucket.trail' }]);
  });

  it('marks values from a sensitive variable and well-known secret attributes', () => {
    const db = resourceAt(resources, 'aws_db_instance.shop');
    assert.deepEqual(db.sensitive, ['password']);
    assert.equal(db.values.storage_encrypted, true);
    assert.equal(db.values.db_subnet_group_name, 'shop');
    for (const r of resources) {
      if (r.address === 'aws_db_instance.shop' || r.address === 'aws_instance.app') continue;
      assert.deepEqual(r.sensitive, [], r.address);
    }
  });

  it('agrees with the plan on every attribute it evaluates to a known scalar or string map', () => {
    const plan = JSON.parse(readFileSync(join(WEBAPP_DIR, 'plan.json'), 'utf8')) as {
      planned_values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } };
    };
    const planned = new Map(plan.planned_values.root_module.resources.map((r) => [r.address, r.values]));
    let compared = 0;
    for (const r of resources) {
      const values = planned.get(r.address);
      if (!values) continue;
      for (const [name, value] of Object.entries(r.values)) {
        // The provider stores user_data as a hash in plans; policy documents are compared parsed.
        if (name === 'user_data' || value === UNKNOWN || Array.isArray(value) || !(name in values)) continue;
        if (
          typeof value === 'object' &&
          value !== null &&
          Object.values(value).some((v) => typeof v !== 'string')
        ) {
          continue;
        }
        const expected: unknown = values[name];
        if (typeof value === 'string' && value.startsWith('{') && typeof expected === 'string') {
          assert.deepEqual(JSON.parse(value), JSON.parse(expected), `${r.address}.${name}`);
        } else {
          assert.deepEqual(value, expected, `${r.address}.${name}`);
        }
        compared++;
      }
    }
    assert.equal(compared, 97);
  });

  it('maps addresses to locations for plan findings', async () => {
    const locations = await readHclLocations(WEBAPP_DIR);
    const file = join(WEBAPP_DIR, 'main.tf');
    assert.deepEqual(locations.get('aws_subnet.edge[1]'), { file, line: 57, skips: [] });
    assert.deepEqual(locations.get('aws_subnet.edge'), { file, line: 57, skips: [] });
    assert.deepEqual(locations.get('aws_db_instance.shop'), { file, line: 348, skips: [] });
    assert.equal(locations.get('aws_db_instance.nope'), undefined);
  });
});
