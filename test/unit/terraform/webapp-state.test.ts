import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTerraformState } from '../../../src/sources/terraform/index.js';
import { byId, readJson, WEBAPP } from './helpers.js';

const inventory = readTerraformState(readJson(new URL('state.json', WEBAPP)), 'webapp/state.json');

describe('terraform state: the shared webapp fixture after a partial apply', () => {
  it('emits the resources that exist, without the ones the apply did not create', () => {
    const ids = inventory.resources.map((r) => r.id);
    assert.equal(ids.length, 27);
    for (const missing of ['aws_instance.app', 'aws_cloudtrail.main'])
      assert.equal(ids.includes(missing), false);
    assert.deepEqual(inventory.unsupported, {});
    assert.deepEqual(inventory.inputs, ['webapp/state.json']);
  });

  it('never carries the sensitive values', () => {
    const text = JSON.stringify(inventory);
    assert.equal(text.includes('fixture-password-not-for-output'), false);
    assert.equal(text.includes('fixture-token-not-for-output'), false);
  });

  it('joins sub-resources by value: bucket name, group id, role name, key id', () => {
    const uploads = byId(inventory, 'aws_s3_bucket.uploads');
    assert.deepEqual(uploads.config.Versioning, { Status: 'Enabled' });
    // The logging resource was not created by the partial apply.
    assert.deepEqual(uploads.config.Logging, {});
    assert.equal(
      (uploads.config.PublicAccessBlockConfiguration as Record<string, unknown>).RestrictPublicBuckets,
      false,
    );
    assert.deepEqual(uploads.config.Acl, {
      Grants: [
        {
          Grantee: {
            Type: 'CanonicalUser',
            ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
          },
          Permission: 'FULL_CONTROL',
        },
      ],
    });
    const trail = byId(inventory, 'aws_s3_bucket.trail');
    const policy = trail.config.Policy as { Statement: { Sid: string }[] };
    assert.deepEqual(
      policy.Statement.map((s) => s.Sid),
      ['AclCheck', 'Write', 'Partner'],
    );
    const app = byId(inventory, 'aws_security_group.app');
    const perms = app.config.IpPermissions as { FromPort: number; UserIdGroupPairs: unknown[] }[];
    assert.deepEqual(
      perms.map((p) => p.FromPort),
      [22, 8080, 3389],
    );
    assert.deepEqual(perms[1]?.UserIdGroupPairs, [
      { GroupId: 'sg-fb101be408241be0d', Description: 'from lb' },
    ]);
    assert.equal(byId(inventory, 'aws_security_group.lb').config.GroupId, 'sg-fb101be408241be0d');
    const role = byId(inventory, 'aws_iam_role.app');
    assert.deepEqual(role.config.AttachedManagedPolicies, [
      { PolicyName: 'shop-app-access', PolicyArn: 'arn:aws:iam::123456789012:policy/shop-app-access' },
    ]);
    assert.deepEqual(byId(inventory, 'aws_kms_key.trail').config.Aliases, ['alias/shop-trail']);
  });

  it('joins the listener, the route table associations and the flow log', () => {
    const lb = byId(inventory, 'aws_lb.shop');
    const listeners = lb.config.Listeners as { Port: number; DefaultActions: { TargetGroupArn: string }[] }[];
    assert.equal(listeners.length, 1);
    assert.equal(
      listeners[0]?.DefaultActions[0]?.TargetGroupArn,
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-app/8b744dbb0e1e4c52',
    );
    assert.deepEqual(byId(inventory, 'aws_route_table.edge').config.Associations, [
      {
        RouteTableAssociationId: 'rtbassoc-1e50299251171c71c',
        SubnetId: 'subnet-db649943cd65c6f84',
        Main: false,
      },
      {
        RouteTableAssociationId: 'rtbassoc-a73198301c8592b24',
        SubnetId: 'subnet-7bc8b47d2248a14f5',
        Main: false,
      },
    ]);
    assert.deepEqual(byId(inventory, 'aws_vpc.shop').config.FlowLogs, [
      {
        FlowLogId: 'fl-587c8a9c72ec1fdeb',
        TrafficType: 'REJECT',
        LogDestinationType: 'cloud-watch-logs',
        FlowLogStatus: 'ACTIVE',
      },
    ]);
  });

  it('keeps the flow log as a resource of its own', () => {
    assert.deepEqual(byId(inventory, 'aws_flow_log.shop').config, {
      FlowLogId: 'fl-587c8a9c72ec1fdeb',
      ResourceId: 'vpc-edab796c79cac3601',
      TrafficType: 'REJECT',
      LogDestinationType: 'cloud-watch-logs',
      LogDestination: 'arn:aws:logs:eu-west-1:123456789012:log-group:/shop/flow',
      DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/shop-flow-logs',
      MaxAggregationInterval: 600,
      Tags: [],
    });
  });

  it('has no refs and no unknowns: state is all values', () => {
    for (const r of inventory.resources) {
      assert.equal(r.refs, undefined, r.id);
      assert.equal(r.unknown, undefined, r.id);
      assert.equal(r.source.kind, 'terraform-state');
    }
  });

  it('takes the region from the resource itself (AZ, region, ARN)', () => {
    assert.equal(byId(inventory, 'aws_db_instance.shop').region, 'eu-west-1');
    assert.equal(byId(inventory, 'aws_s3_bucket.trail').region, 'eu-west-1');
    assert.equal(byId(inventory, 'aws_iam_role.app').region, '');
    const db = byId(inventory, 'aws_db_instance.shop');
    assert.deepEqual(db.config.VpcSecurityGroups, [
      { VpcSecurityGroupId: 'sg-5c58a5f7c6ba1a02f', Status: 'active' },
    ]);
    assert.equal(db.config.StorageEncrypted, true);
  });
});
