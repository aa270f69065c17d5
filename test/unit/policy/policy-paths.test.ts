import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicies } from '../../../src/policy/load.js';

/** The paths a compiled policy reports drive demand-driven live collection: they must be complete. */
describe('compiled policy paths', () => {
  it('include Tags when an exception matches on tags', () => {
    const [bucket] = loadPolicies({ only: ['aws-s3-bucket-public'] }).compiled;
    assert.ok(bucket?.paths.includes('Tags'));
  });

  it('are exactly the filter paths when no exception reads tags', () => {
    const [trail] = loadPolicies({ only: ['aws-cloudtrail-not-multi-region'] }).compiled;
    assert.deepEqual(trail?.paths, ['IsMultiRegionTrail']);
  });
});
