import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicies } from '../../../src/policy/load.js';
import { ALL, demandFromPolicies } from '../../../src/sources/aws/demand.js';

describe('demand-driven enrichment', () => {
  it('asks only for the paths the loaded policies read', () => {
    const d = demandFromPolicies(
      loadPolicies({ only: ['aws-ebs-snapshot-public', 'aws-vpc-flow-logs-disabled'] }).compiled,
    );
    assert.equal(d.needs('aws.ec2.snapshot', 'CreateVolumePermissions'), true);
    assert.equal(d.needs('aws.ec2.vpc', 'FlowLogs'), true);
    assert.equal(d.needs('aws.ec2.image', 'LaunchPermissions'), false);
    assert.equal(d.needs('aws.account.region', 'EbsEncryptionByDefault'), false);
  });

  it('matches a path read below or above the enrichment path', () => {
    const d = demandFromPolicies(loadPolicies({ only: ['aws-ec2-sg-admin-ports-open'] }).compiled);
    assert.equal(d.needs('aws.ec2.security-group', 'IpPermissions'), true);
    assert.equal(d.needs('aws.ec2.security-group', 'Tags'), false);
    assert.equal(ALL.needs('aws.ec2.security-group', 'Tags'), true);
  });

  it('fetches the enrichments the relationship graph reads when a policy uses it', () => {
    const graph = demandFromPolicies(loadPolicies({ only: ['aws-lb-public-to-admin-instance'] }).compiled);
    assert.equal(graph.needs('aws.elbv2.load-balancer', 'Listeners'), true);
    assert.equal(graph.needs('aws.elbv2.target-group', 'Targets'), true);
    const plain = demandFromPolicies(loadPolicies({ only: ['aws-ec2-sg-admin-ports-open'] }).compiled);
    assert.equal(plain.needs('aws.elbv2.load-balancer', 'Listeners'), false);
    assert.equal(plain.needs('aws.elbv2.target-group', 'Targets'), false);
  });
});
