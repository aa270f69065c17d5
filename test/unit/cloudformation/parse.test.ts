import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplateText } from '../../../src/sources/cloudformation/parse.js';
import { inputError } from './helpers.js';

describe('cloudformation parse', () => {
  it('rewrites short forms on scalars, sequences and mappings to the long form', () => {
    const text = [
      'A: !Ref Param',
      'B: !GetAtt Res.Arn',
      'C: !Join [":", [a, !Ref AWS::Region]]',
      'D: !If',
      '  - Cond',
      '  - 1',
      '  - !Ref AWS::NoValue',
      'E: !Sub',
      '  - "${X}-y"',
      '  - { X: !Select [0, !GetAZs ""] }',
      'F: !Base64 { "Fn::Sub": plain }',
      'G: !Condition IsProd',
      'H: !ImportValue shared',
      'I: !Equals [!FindInMap [M, k, v], !Split [",", "a,b"]]',
      'J: !Not [!And [!Condition A, !Or [!Condition B, !Condition C]]]',
      'K: !Cidr [10.0.0.0/16, 2, 8]',
      'L: !GetAZs',
    ].join('\n');
    const { root } = parseTemplateText(text, 't.yaml');
    assert.deepEqual(root, {
      A: { Ref: 'Param' },
      B: { 'Fn::GetAtt': 'Res.Arn' },
      C: { 'Fn::Join': [':', ['a', { Ref: 'AWS::Region' }]] },
      D: { 'Fn::If': ['Cond', 1, { Ref: 'AWS::NoValue' }] },
      E: { 'Fn::Sub': ['${X}-y', { X: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } }] },
      F: { 'Fn::Base64': { 'Fn::Sub': 'plain' } },
      G: { Condition: 'IsProd' },
      H: { 'Fn::ImportValue': 'shared' },
      I: { 'Fn::Equals': [{ 'Fn::FindInMap': ['M', 'k', 'v'] }, { 'Fn::Split': [',', 'a,b'] }] },
      J: {
        'Fn::Not': [
          { 'Fn::And': [{ Condition: 'A' }, { 'Fn::Or': [{ Condition: 'B' }, { Condition: 'C' }] }] },
        ],
      },
      K: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      L: { 'Fn::GetAZs': '' },
    });
  });

  it('keeps the text of numbers that would change by re-printing (account ids, versions)', () => {
    const { root } = parseTemplateText(
      'Account: 012345678901\nVersion: 1.50\nPort: 22\nOn: true\n',
      't.yaml',
    );
    assert.deepEqual(root, { Account: '012345678901', Version: '1.50', Port: 22, On: true });
  });

  it('records the line and column of every mapping key', () => {
    const text = 'Resources:\n  First:\n    Type: AWS::S3::Bucket\n\n  Second:\n    Type: AWS::S3::Bucket\n';
    const { root, positions } = parseTemplateText(text, 't.yaml');
    const resources = (root as Record<string, unknown>).Resources;
    assert.deepEqual(positions.keyOf(resources, 'First'), { line: 2, column: 3 });
    assert.deepEqual(positions.keyOf(resources, 'Second'), { line: 5, column: 3 });
    assert.deepEqual(positions.of(resources), { line: 2, column: 3 });
  });

  it('parses JSON (tab-indented, escaped slashes) with positions', () => {
    const text =
      '{\n\t"Resources": {\n\t\t"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a\\/b"}}\n\t}\n}\n';
    const { root, positions } = parseTemplateText(text, 't.json');
    assert.deepEqual(root, {
      Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'a/b' } } },
    });
    const resources = (root as Record<string, unknown>).Resources;
    assert.deepEqual(positions.keyOf(resources, 'Bucket'), { line: 3, column: 3 });
  });

  it('never lets a __proto__ key touch the prototype', () => {
    const { root } = parseTemplateText('__proto__: { polluted: true }\n', 't.yaml');
    assert.equal(Object.getPrototypeOf(root), Object.prototype);
    assert.deepEqual(Object.keys(root as object), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('reports a YAML syntax error as an InputError at its line and column', () => {
    const text = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n   Properties:\n      BucketName: x\n';
    const err = inputError(() => parseTemplateText(text, 'bad.yaml'));
    assert.equal(
      err.format(),
      'bad.yaml:4:1: invalid template: All mapping items must start at the same column',
    );
  });

  it('reports an unclosed flow sequence where the parser gives up (end of input), on one line', () => {
    const text =
      'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: [unclosed\n';
    const err = inputError(() => parseTemplateText(text, 'bad.yaml'));
    assert.equal(err.file, 'bad.yaml');
    assert.equal(err.line, 6);
    assert.equal(err.column, 1);
    assert.match(err.message, /^invalid template: Flow sequence/);
    assert.equal(err.message.includes('\n'), false);
  });

  it('reports tabs used as indentation', () => {
    const err = inputError(() =>
      parseTemplateText('Resources:\n  Bucket:\n    Type: X\n\tProperties: {}\n', 't.yaml'),
    );
    assert.equal(err.format(), 't.yaml:4:1: invalid template: Tabs are not allowed as indentation');
  });

  it('reports duplicate keys at the second occurrence', () => {
    const err = inputError(() =>
      parseTemplateText('Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n', 'dup.yaml'),
    );
    assert.equal(err.format(), 'dup.yaml:4:3: invalid template: Map keys must be unique');
  });

  it('rejects a complex mapping key', () => {
    const err = inputError(() => parseTemplateText('? [a, b]\n: value\n', 'k.yaml'));
    assert.equal(err.message, 'mapping keys must be plain scalars');
    assert.equal(err.line, 1);
  });
});
