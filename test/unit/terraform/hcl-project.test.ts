import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { UNKNOWN } from '../../../src/model/unknown.js';
import { type HclReadResult, readHclDirectoryWithStats } from '../../../src/sources/terraform/hcl/index.js';
import { HCL_FIXTURES, resourceAt } from './hcl-helpers.js';

const DIR = join(HCL_FIXTURES, 'hcl-project');

describe('HCL reader on a project with modules, for_each, tfvars and skips', () => {
  let read: HclReadResult;
  before(async () => {
    read = await readHclDirectoryWithStats(DIR);
  });

  it('expands for_each, count and local modules (with count) into addresses', () => {
    assert.deepEqual(
      read.resources.map((r) => r.address),
      [
        'aws_s3_bucket.b["assets"]',
        'aws_s3_bucket.b["logs"]',
        'aws_s3_bucket_versioning.b["assets"]',
        'aws_s3_bucket_versioning.b["logs"]',
        'aws_security_group.bastion',
        'aws_security_group.workers["blue"]',
        'aws_security_group.workers["green"]',
        'aws_instance.worker[0]',
        'aws_instance.worker[1]',
        'aws_instance.worker[2]',
        'aws_ssm_parameter.api_token',
        'module.net.aws_vpc.this',
        'module.net.aws_subnet.this[0]',
        'module.net.aws_subnet.this[1]',
        'module.net.aws_flow_log.this',
        'module.edge[0].aws_vpc.this',
        'module.edge[0].aws_subnet.this[0]',
        'module.edge[0].aws_flow_log.this',
        'module.edge[1].aws_vpc.this',
        'module.edge[1].aws_subnet.this[0]',
        'module.edge[1].aws_flow_log.this',
      ],
    );
  });

  it('counts a remote module as skipped instead of reading it', () => {
    assert.deepEqual(read.skippedModules, [
      { address: 'module.vpc', source: 'terraform-aws-modules/vpc/aws' },
    ]);
  });

  it('binds each.key and each.value over a map, and over a resource used as for_each', () => {
    const logs = resourceAt(read.resources, 'aws_s3_bucket.b["logs"]');
    assert.equal(logs.index, 'logs');
    assert.deepEqual(logs.values, { bucket: 'acme-logs', tags: { Versioned: 'false', team: 'platform' } });
    const versioning = resourceAt(read.resources, 'aws_s3_bucket_versioning.b["assets"]');
    assert.deepEqual(versioning.values, {
      bucket: UNKNOWN,
      versioning_configuration: [{ status: 'Enabled' }],
    });
    assert.deepEqual(versioning.refs, [{ attribute: 'bucket', target: 'aws_s3_bucket.b["assets"]' }]);
  });

  it('iterates a set in lexical order with each.key = each.value', () => {
    const green = resourceAt(read.resources, 'aws_security_group.workers["green"]');
    assert.equal(green.index, 'green');
    assert.equal(green.values.name, 'workers-green');
  });

  it('takes count and values from terraform.tfvars, overridden by *.auto.tfvars.json', () => {
    const workers = read.resources.filter((r) => r.type === 'aws_instance');
    assert.equal(workers.length, 3);
    assert.deepEqual(
      workers.map((w) => [w.values.instance_type, w.values.tags]),
      [
        ['m6i.large', { Name: 'worker-0' }],
        ['m6i.large', { Name: 'worker-1' }],
        ['m6i.large', { Name: 'worker-2' }],
      ],
    );
  });

  it('uses the default provider region (from a tfvars variable) and aliases, also through module providers', () => {
    const region = (address: string) => resourceAt(read.resources, address).region;
    assert.equal(region('aws_s3_bucket.b["logs"]'), 'eu-west-3');
    assert.equal(region('aws_instance.worker[0]'), 'us-east-1');
    assert.equal(region('module.net.aws_vpc.this'), 'eu-west-3');
    assert.equal(region('module.edge[1].aws_vpc.this'), 'us-east-1');
  });

  it('binds module inputs to module variables, with defaults and count.index of the call', () => {
    const net = resourceAt(read.resources, 'module.net.aws_vpc.this');
    assert.equal(net.module, 'module.net');
    assert.deepEqual(net.values, { cidr_block: '10.0.0.0/16', tags: { Name: 'core' } });
    assert.equal(net.file, join(DIR, 'modules', 'net', 'main.tf'));
    assert.equal(net.line, 14);
    const edge = resourceAt(read.resources, 'module.edge[1].aws_vpc.this');
    assert.equal(edge.module, 'module.edge[1]');
    assert.deepEqual(edge.values, { cidr_block: '172.17.0.0/16', tags: { Name: 'edge-1' } });
    const subnet = resourceAt(read.resources, 'module.net.aws_subnet.this[1]');
    assert.deepEqual(subnet.values, { cidr_block: '10.0.1.0/24', vpc_id: UNKNOWN });
    assert.deepEqual(subnet.refs, [
      { attribute: 'cidr_block', target: 'module.net.aws_vpc.this' },
      { attribute: 'vpc_id', target: 'module.net.aws_vpc.this' },
    ]);
  });

  it('follows module outputs to the resources behind them', () => {
    const bastion = resourceAt(read.resources, 'aws_security_group.bastion');
    assert.deepEqual(bastion.refs, [{ attribute: 'vpc_id', target: 'module.net.aws_vpc.this' }]);
    assert.deepEqual(resourceAt(read.resources, 'aws_instance.worker[1]').refs, [
      { attribute: 'subnet_id', target: 'module.net.aws_subnet.this[0]' },
      { attribute: 'subnet_id', target: 'module.net.aws_subnet.this[1]' },
    ]);
  });

  it('reads inline skips above a block and inside it', () => {
    assert.deepEqual(resourceAt(read.resources, 'aws_security_group.bastion').skips, [
      { policy: 'aws-ec2-sg-admin-ports-open', reason: 'bastion is reached through the VPN only' },
    ]);
    assert.deepEqual(resourceAt(read.resources, 'aws_security_group.workers["blue"]').skips, [
      { policy: 'aws-ec2-sg-admin-ports-open', reason: 'skipped inline' },
    ]);
    assert.deepEqual(resourceAt(read.resources, 'aws_instance.worker[0]').skips, []);
  });

  it('renders templatefile and marks the attribute fed by a sensitive variable', () => {
    const worker = resourceAt(read.resources, 'aws_instance.worker[0]');
    assert.deepEqual(worker.sensitive, ['user_data']);
    assert.equal(typeof worker.values.user_data, 'string');
    assert.equal((worker.values.user_data as string).startsWith('#!/bin/sh\necho '), true);
  });

  it('marks an ordinary attribute set from a sensitive variable, and only that one', () => {
    const parameter = resourceAt(read.resources, 'aws_ssm_parameter.api_token');
    assert.deepEqual(parameter.sensitive, ['value']);
    assert.equal(parameter.values.description, 'API token for the workers in eu-west-3');
  });
});
