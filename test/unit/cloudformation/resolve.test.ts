import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNKNOWN } from '../../../src/model/unknown.js';
import { parseTemplateText } from '../../../src/sources/cloudformation/parse.js';
import { NO_VALUE, type RefHit, Resolver } from '../../../src/sources/cloudformation/resolve.js';
import { readTemplateModel } from '../../../src/sources/cloudformation/template.js';
import { inputError } from './helpers.js';

const HEADER = `
Parameters:
  Env: { Type: String, Default: dev }
  NoDefault: { Type: String }
  Secret: { Type: String, NoEcho: true, Default: s3cr3t }
  Zones: { Type: CommaDelimitedList, Default: 'a, b,c' }
  Ids: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-1,subnet-2' }
  AmiFromSsm: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/ami }
  Port: { Type: Number, Default: 5432 }
Mappings:
  Sizes:
    dev: { Type: t3.micro, Count: 1 }
    prod: { Type: m5.large, Count: 3 }
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  IsProd: !Equals [prod, !Ref Env]
  Unknowable: !Equals [!Ref NoDefault, x]
  NotProd: !Not [!Condition IsProd]
  DevAndUnknown: !And [!Condition IsDev, !Condition Unknowable]
  ProdAndUnknown: !And [!Condition IsProd, !Condition Unknowable]
  DevOrUnknown: !Or [!Condition IsDev, !Condition Unknowable]
  ProdOrUnknown: !Or [!Condition IsProd, !Condition Unknowable]
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
`;

interface Setup {
  parameters?: Record<string, string>;
  region?: string;
}

/** Resolves the `Value` property of resource `Subject`, written under the shared header. */
function resolve(expr: string, setup: Setup = {}): { value: unknown; hits: RefHit[] } {
  const text = `${HEADER}Resources:\n  Subject:\n    Type: AWS::S3::Bucket\n    Properties:\n      Value: ${expr}\n  Other:\n    Type: AWS::EC2::VPC\n`;
  const { root, positions } = parseTemplateText(text, 't.yaml');
  const model = readTemplateModel(root, positions, 't.yaml', setup.parameters ?? {});
  const resolver = new Resolver({ model, positions, file: 't.yaml', region: setup.region });
  const subject = model.resources.find((r) => r.logicalId === 'Subject');
  assert.ok(subject);
  const hits: RefHit[] = [];
  const props = resolver.resolve(subject.properties, hits) as Record<string, unknown>;
  return { value: Object.hasOwn(props, 'Value') ? props.Value : NO_VALUE, hits };
}

const value = (expr: string, setup?: Setup) => resolve(expr, setup).value;

describe('cloudformation resolve: parameters and pseudo parameters', () => {
  it('uses the default, an override, or UNKNOWN when neither exists', () => {
    assert.equal(value('!Ref Env'), 'dev');
    assert.equal(value('!Ref Env', { parameters: { Env: 'prod' } }), 'prod');
    assert.equal(value('!Ref NoDefault'), UNKNOWN);
    assert.equal(value('!Ref NoDefault', { parameters: { NoDefault: 'given' } }), 'given');
    assert.equal(value('!Ref Port'), '5432');
  });

  it('splits list parameters and keeps SSM-backed and NoEcho parameters unknown', () => {
    assert.deepEqual(value('!Ref Zones'), ['a', 'b', 'c']);
    assert.deepEqual(value('!Ref Ids'), ['subnet-1', 'subnet-2']);
    assert.equal(value('!Ref AmiFromSsm'), UNKNOWN);
    assert.equal(value('!Ref Secret'), UNKNOWN);
    assert.equal(value('!Ref Secret', { parameters: { Secret: 'override' } }), UNKNOWN);
  });

  it('resolves pseudo parameters from the region when given', () => {
    assert.equal(value('!Ref AWS::Region'), UNKNOWN);
    assert.equal(value('!Ref AWS::Region', { region: 'eu-west-1' }), 'eu-west-1');
    assert.equal(value('!Ref AWS::Partition'), 'aws');
    assert.equal(value('!Ref AWS::Partition', { region: 'cn-north-1' }), 'aws-cn');
    assert.equal(value('!Ref AWS::Partition', { region: 'us-gov-west-1' }), 'aws-us-gov');
    assert.equal(value('!Ref AWS::URLSuffix'), 'amazonaws.com');
    assert.equal(value('!Ref AWS::AccountId'), UNKNOWN);
    assert.equal(value('!Ref AWS::StackName'), UNKNOWN);
    assert.equal(value('!Ref AWS::StackId'), UNKNOWN);
  });

  it('removes a property or list item set to AWS::NoValue', () => {
    assert.equal(value('!Ref AWS::NoValue'), NO_VALUE);
    assert.deepEqual(value('[a, !Ref AWS::NoValue, b]'), ['a', 'b']);
    assert.deepEqual(value('{ Keep: 1, Drop: !If [IsDev, !Ref AWS::NoValue, 2] }'), { Keep: 1 });
  });

  it('turns a Ref to a resource into UNKNOWN plus a hit at its path', () => {
    assert.deepEqual(resolve('[x, { Id: !Ref Other }]'), {
      value: ['x', { Id: UNKNOWN }],
      hits: [{ path: ['Value', 1, 'Id'], target: 'Other' }],
    });
  });

  it('rejects a Ref to a name that is neither parameter, pseudo parameter nor resource', () => {
    const err = inputError(() => value('!Ref Nowhere'));
    assert.equal(err.message, 'Ref to undefined name Nowhere');
    assert.equal(err.file, 't.yaml');
    assert.equal(err.line, 28);
    assert.equal(inputError(() => value('!Ref AWS::Bogus')).message, 'unknown pseudo parameter AWS::Bogus');
  });
});

describe('cloudformation resolve: functions', () => {
  it('Fn::GetAtt in both forms yields UNKNOWN and a hit with the attribute', () => {
    assert.deepEqual(resolve('!GetAtt Other.CidrBlock'), {
      value: UNKNOWN,
      hits: [{ path: ['Value'], target: 'Other', attribute: 'CidrBlock' }],
    });
    assert.deepEqual(resolve('{ "Fn::GetAtt": [Other, DefaultSecurityGroup] }').hits, [
      { path: ['Value'], target: 'Other', attribute: 'DefaultSecurityGroup' },
    ]);
    assert.equal(
      inputError(() => value('!GetAtt Missing.Arn')).message,
      'Fn::GetAtt to undefined resource Missing',
    );
  });

  it('Fn::Sub substitutes parameters, pseudo parameters, variables and escapes', () => {
    assert.equal(value('!Sub "${Env}-${AWS::Partition}-${!Literal}"'), 'dev-aws-${Literal}');
    assert.equal(value('!Sub ["${A}/${Env}", { A: !FindInMap [Sizes, prod, Type] }]'), 'm5.large/dev');
    assert.deepEqual(resolve('!Sub "arn:aws:s3:::${Other}/${Other.Arn}"'), {
      value: UNKNOWN,
      hits: [
        { path: ['Value'], target: 'Other' },
        { path: ['Value'], target: 'Other', attribute: 'Arn' },
      ],
    });
    assert.equal(value('!Sub "${AWS::AccountId}"'), UNKNOWN);
    assert.equal(inputError(() => value('!Sub "${Nope}"')).message, 'Ref to undefined name Nope');
  });

  it('Fn::Join, Fn::Select, Fn::Split', () => {
    assert.equal(value('!Join ["-", [a, !Ref Env, 3]]'), 'a-dev-3');
    assert.equal(value('!Join ["-", [a, !Ref AWS::AccountId]]'), UNKNOWN);
    assert.equal(value('!Join [",", !Ref Zones]'), 'a,b,c');
    assert.equal(value('!Select [1, !Ref Zones]'), 'b');
    assert.equal(value('!Select ["2", [x, y, z]]'), 'z');
    assert.equal(value('!Select [0, !GetAZs ""]'), UNKNOWN);
    assert.deepEqual(value('!Split [",", "p,q"]'), ['p', 'q']);
    assert.equal(value('!Split [",", !ImportValue shared]'), UNKNOWN);
    assert.equal(
      inputError(() => value('!Select [5, [a]]')).message,
      'Fn::Select index 5 is out of range (1 values)',
    );
  });

  it('Fn::FindInMap with known keys, unknown keys, a default, and a missing entry', () => {
    assert.equal(value('!FindInMap [Sizes, !Ref Env, Type]'), 't3.micro');
    assert.equal(value('!FindInMap [Sizes, prod, Count]'), 3);
    assert.equal(value('!FindInMap [Sizes, !Ref NoDefault, Type]'), UNKNOWN);
    assert.equal(value('!FindInMap [Sizes, test, Type, { DefaultValue: t3.nano }]'), 't3.nano');
    const err = inputError(() => value('!FindInMap [Sizes, test, Type]'));
    assert.equal(err.message, 'Fn::FindInMap: mapping Sizes has no entry test.Type');
    assert.equal(
      inputError(() => value('!FindInMap [Nope, a, b]')).message,
      'Fn::FindInMap: no mapping named Nope',
    );
  });

  it('Fn::Base64, Fn::Cidr, Fn::GetAZs, Fn::ImportValue, Fn::Length, Fn::ToJsonString', () => {
    assert.equal(value('!Base64 hello'), 'aGVsbG8=');
    assert.deepEqual(value('!Cidr [10.0.0.0/16, 3, 8]'), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    assert.deepEqual(value('!Cidr [192.168.1.77/24, 2, 6]'), ['192.168.1.0/26', '192.168.1.64/26']);
    assert.equal(value('!Cidr ["2001:db8::/56", 2, 64]'), UNKNOWN);
    assert.equal(
      inputError(() => value('!Cidr [10.0.0.0/24, 2, 9]')).message,
      'Fn::Cidr: 9 host bits do not fit in 10.0.0.0/24',
    );
    assert.equal(value('!GetAZs ""'), UNKNOWN);
    assert.equal(value('!ImportValue network-vpc'), UNKNOWN);
    assert.equal(value('{ "Fn::Length": [a, b, c] }'), 3);
    assert.equal(value('{ "Fn::ToJsonString": { a: [1, !Ref Env] } }'), '{"a":[1,"dev"]}');
    assert.equal(value('{ "Fn::Transform": { Name: Macro } }'), UNKNOWN);
  });

  it('treats dynamic references as deploy-time values', () => {
    assert.equal(value("'{{resolve:ssm:/app/flag}}'"), UNKNOWN);
    assert.equal(value('!Sub "{{resolve:secretsmanager:${Env}-db:SecretString:password}}"'), UNKNOWN);
  });
});

describe('cloudformation resolve: conditions', () => {
  it('evaluates Equals, Not, And, Or with three-valued logic', () => {
    const cases: [string, unknown][] = [
      ['IsDev', 'yes'],
      ['IsProd', 'no'],
      ['NotProd', 'yes'],
      ['Unknowable', UNKNOWN],
      ['DevAndUnknown', UNKNOWN],
      ['ProdAndUnknown', 'no'],
      ['DevOrUnknown', 'yes'],
      ['ProdOrUnknown', UNKNOWN],
      ['InEu', UNKNOWN],
    ];
    for (const [condition, expected] of cases) {
      assert.equal(value(`!If [${condition}, 'yes', 'no']`), expected, condition);
    }
    assert.equal(value("!If [InEu, 'yes', 'no']", { region: 'eu-west-1' }), 'yes');
    assert.equal(value("!If [IsProd, 'yes', 'no']", { parameters: { Env: 'prod' } }), 'yes');
  });

  it('compares values as strings, as CloudFormation does', () => {
    assert.equal(value('!Equals [!Ref Port, 5432]'), true);
    assert.equal(value('!Equals ["true", true]'), true);
    assert.equal(value('!Equals [[a, 1], [a, "1"]]'), true);
    assert.equal(value('!Equals [a, b]'), false);
  });

  it('keeps an unknown If when the branches differ, and the value when they agree', () => {
    assert.equal(value('!If [Unknowable, same, same]'), 'same');
    assert.equal(value('!If [Unknowable, a, b]'), UNKNOWN);
    assert.equal(value('!If [Unknowable, a, !Ref AWS::NoValue]'), UNKNOWN);
    assert.deepEqual(resolve('!If [Unknowable, !Ref Other, x]').hits, [{ path: ['Value'], target: 'Other' }]);
    assert.deepEqual(resolve('!If [IsDev, x, !Ref Other]').hits, []);
  });

  it('rejects undefined and self-referencing conditions', () => {
    assert.equal(inputError(() => value('!If [Nope, a, b]')).message, 'unknown condition Nope');
    const text = `Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: !If [A, 1, 2]\n`;
    const { root, positions } = parseTemplateText(text, 'c.yaml');
    const model = readTemplateModel(root, positions, 'c.yaml', {});
    const resolver = new Resolver({ model, positions, file: 'c.yaml' });
    const err = inputError(() => resolver.resolve(model.resources[0]?.properties, []));
    assert.equal(err.message, 'condition A refers to itself');
  });
});
