import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { iamActionFor, serviceLabel, toCallError } from '../../../src/sources/aws/call-error.js';

function sdkError(name: string, message: string, status = 403) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('toCallError', () => {
  it('takes the IAM action from AWS own message when it names it', () => {
    const e = toCallError(
      sdkError(
        'UnauthorizedOperation',
        'You are not authorized to perform this operation. User: arn:aws:iam::1:user/a is not authorized to perform: ec2:DescribeVolumes',
      ),
      'EC2',
      'DescribeVolumesCommand',
    );
    assert.deepEqual(
      [e.service, e.operation, e.code, e.iamAction, e.denied],
      ['ec2', 'DescribeVolumes', 'UnauthorizedOperation', 'ec2:DescribeVolumes', true],
    );
  });

  it('derives the action from service and operation otherwise, with renamed S3 actions', () => {
    assert.equal(
      toCallError(sdkError('AccessDenied', 'Access Denied'), 's3', 'GetBucketEncryption').iamAction,
      's3:GetEncryptionConfiguration',
    );
    assert.equal(
      iamActionFor('Config Service', 'DescribeConfigurationRecorders'),
      'config:DescribeConfigurationRecorders',
    );
    assert.equal(
      iamActionFor('Elastic Load Balancing v2', 'DescribeListeners'),
      'elasticloadbalancing:DescribeListeners',
    );
    assert.equal(serviceLabel('AccessAnalyzer'), 'access-analyzer');
  });

  it('gives no IAM action for errors that are not denials, and names unparsable answers by status', () => {
    const throttled = toCallError(
      sdkError('RequestLimitExceeded', 'Request limit exceeded.', 503),
      'ec2',
      'DescribeInstances',
    );
    assert.equal(throttled.iamAction, undefined);
    assert.equal(throttled.denied, false);
    const html = toCallError(
      sdkError('SyntaxError', 'Unexpected token < ... Deserialization error: see $response', 502),
      'ec2',
      'X',
    );
    assert.equal(html.code, 'InvalidResponse(HTTP 502)');
    assert.equal(html.message, 'the service answered in an unexpected format');
  });

  it('keeps messages to one bounded line', () => {
    const e = toCallError(sdkError('AccessDenied', `a\nb ${'x'.repeat(1000)}`), 'iam', 'GetRole');
    assert.equal(e.message.includes('\n'), false);
    assert.equal(e.message.length, 300);
  });
});
