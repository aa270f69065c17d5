import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blockAddress,
  expressionTargets,
  inModule,
  moduleConfigPath,
  referencedResource,
} from '../../../src/sources/terraform/translate/address.js';

describe('terraform addresses', () => {
  it('parses resource references and ignores everything else', () => {
    assert.deepEqual(referencedResource('aws_s3_bucket.trail.id'), {
      target: 'aws_s3_bucket.trail',
      attribute: 'id',
    });
    assert.deepEqual(referencedResource('aws_subnet.edge[1].id'), {
      target: 'aws_subnet.edge[1]',
      attribute: 'id',
    });
    assert.deepEqual(referencedResource('aws_s3_bucket.b["a.b"].arn'), {
      target: 'aws_s3_bucket.b["a.b"]',
      attribute: 'arn',
    });
    assert.deepEqual(referencedResource('aws_subnet.edge'), { target: 'aws_subnet.edge' });
    for (const other of [
      'var.region',
      'local.tags',
      'count.index',
      'each.key',
      'data.aws_vpc.x.id',
      'module.net.vpc_id',
      'path.module',
      'self.id',
    ]) {
      assert.equal(referencedResource(other), undefined, other);
    }
  });

  it('keeps the instance a reference names and drops the implied block', () => {
    assert.deepEqual(
      expressionTargets([
        'aws_subnet.app.id',
        'aws_subnet.app',
        'aws_subnet.edge[1].id',
        'aws_subnet.edge[1]',
        'aws_subnet.edge',
      ]),
      ['aws_subnet.app', 'aws_subnet.edge[1]'],
    );
    assert.deepEqual(expressionTargets(['aws_subnet.edge', 'count.index']), ['aws_subnet.edge']);
  });

  it('turns module instance addresses into configuration paths', () => {
    assert.equal(moduleConfigPath(''), '');
    assert.equal(moduleConfigPath('module.net'), 'module.net');
    assert.equal(moduleConfigPath('module.a["x.y"].module.b[3]'), 'module.a.module.b');
    assert.equal(blockAddress('module.a[0].aws_subnet.edge["k]"]'), 'module.a[0].aws_subnet.edge');
    assert.equal(blockAddress('aws_subnet.edge'), 'aws_subnet.edge');
    assert.equal(inModule('module.a[0]', 'aws_vpc.v'), 'module.a[0].aws_vpc.v');
    assert.equal(inModule('', 'aws_vpc.v'), 'aws_vpc.v');
  });
});
