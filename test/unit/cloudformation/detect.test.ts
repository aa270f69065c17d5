import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeCloudFormation } from '../../../src/sources/cloudformation/index.js';

describe('looksLikeCloudFormation', () => {
  const cases: [string, string, boolean][] = [
    ['YAML with a format version', "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", true],
    ['YAML resources of AWS types', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n', true],
    ['YAML with quoted keys', '"Resources":\n  B:\n    "Type": "AWS::EC2::VPC"\n', true],
    ['minified JSON', '{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}', true],
    ['JSON with a format version only', '{ "AWSTemplateFormatVersion": "2010-09-09" }', true],
    ['custom resources only', 'Resources:\n  N:\n    Type: Custom::Notifier\n', true],
    ['a Terraform plan', '{"format_version":"1.2","resource_changes":[{"type":"aws_s3_bucket"}]}', false],
    ['an ARM template', '{"resources":[{"type":"Microsoft.Storage/storageAccounts"}]}', false],
    ['a Kubernetes manifest', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n', false],
    ['Resources with non-AWS types', 'Resources:\n  X:\n    Type: Something::Else\n', false],
    ['a Warden policy file', 'policies:\n  - id: x\n    resource: aws.s3.bucket\n', false],
    ['empty text', '', false],
  ];
  for (const [name, text, expected] of cases) {
    it(`${expected ? 'accepts' : 'rejects'} ${name}`, () => {
      assert.equal(looksLikeCloudFormation(text), expected);
    });
  }
});
