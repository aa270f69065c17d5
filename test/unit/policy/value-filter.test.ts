import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilter } from '../../../src/policy/compile.js';
import { EvalContext } from '../../../src/policy/context.js';
import { SpecError } from '../../../src/policy/spec-error.js';
import { resource } from '../../helpers/resources.js';

const NOW = new Date('2026-11-23T00:00:00Z');

function truth(filter: unknown, config: Record<string, unknown>, extra = {}) {
  const f = compileFilter(filter, { at: [], resourceTypes: ['aws.ec2.volume'] });
  const r = resource('aws.ec2.volume', config, extra);
  return f.evaluate(r, new EvalContext(r, NOW)).truth;
}

describe('value filter', () => {
  it('shorthand equality and Custodian markers', () => {
    assert.equal(truth({ Encrypted: false }, { Encrypted: false }), true);
    assert.equal(truth({ Encrypted: false }, { Encrypted: true }), false);
    assert.equal(truth({ KmsKeyId: 'absent' }, {}), true);
    assert.equal(truth({ KmsKeyId: 'present' }, {}), false);
    assert.equal(truth({ Tags: 'empty' }, { Tags: [] }), true);
    assert.equal(truth({ type: 'value', key: 'Tags', value: 'not-null' }, { Tags: [1] }), true);
  });

  it('comparison ops, including loose number/string equality', () => {
    assert.equal(truth({ type: 'value', key: 'Size', op: 'gt', value: 100 }, { Size: 200 }), true);
    assert.equal(truth({ type: 'value', key: 'Size', op: 'le', value: 100 }, { Size: 200 }), false);
    assert.equal(truth({ type: 'value', key: 'Port', op: 'eq', value: '22' }, { Port: 22 }), true);
    assert.equal(truth({ type: 'value', key: 'Size', op: 'gte', value: 200 }, { Size: 200 }), true);
  });

  it('in / not-in on scalars and lists, contains, regex, glob', () => {
    assert.equal(
      truth({ type: 'value', key: 'VolumeType', op: 'in', value: ['gp2', 'gp3'] }, { VolumeType: 'gp3' }),
      true,
    );
    assert.equal(
      truth({ type: 'value', key: 'VolumeType', op: 'not-in', value: ['gp2', 'gp3'] }, { VolumeType: 'io1' }),
      true,
    );
    assert.equal(
      truth({ type: 'value', key: 'Zones', op: 'contains', value: 'a' }, { Zones: ['a', 'b'] }),
      true,
    );
    assert.equal(
      truth({ type: 'value', key: 'Name', op: 'regex', value: '^prod-' }, { Name: 'prod-db' }),
      true,
    );
    assert.equal(
      truth({ type: 'value', key: 'Name', op: 'glob', value: 'prod-*' }, { Name: 'dev-db' }),
      false,
    );
  });

  it('projections and indexes in keys', () => {
    const config = { Attachments: [{ InstanceId: 'i-1' }, { InstanceId: 'i-2' }] };
    assert.equal(
      truth({ type: 'value', key: 'Attachments[].InstanceId', op: 'contains', value: 'i-2' }, config),
      true,
    );
    assert.equal(truth({ type: 'value', key: 'Attachments[1].InstanceId', value: 'i-2' }, config), true);
    assert.equal(
      truth(
        { type: 'value', key: 'Attachments[].InstanceId', value_type: 'size', op: 'eq', value: 2 },
        config,
      ),
      true,
    );
  });

  it('value types: age, expiration, integer, normalize, cidr, swap', () => {
    assert.equal(
      truth(
        { type: 'value', key: 'CreateTime', value_type: 'age', op: 'gt', value: 90 },
        { CreateTime: '2026-01-01T00:00:00Z' },
      ),
      true,
    );
    assert.equal(
      truth(
        { type: 'value', key: 'CreateTime', value_type: 'age', op: 'gt', value: 90 },
        { CreateTime: '2026-11-01T00:00:00Z' },
      ),
      false,
    );
    assert.equal(
      truth(
        { type: 'value', key: 'Expires', value_type: 'expiration', op: 'lt', value: 30 },
        { Expires: '2026-12-01T00:00:00Z' },
      ),
      true,
    );
    assert.equal(
      truth({ type: 'value', key: 'Size', value_type: 'integer', op: 'eq', value: '20' }, { Size: '20GB' }),
      true,
    );
    assert.equal(
      truth(
        { type: 'value', key: 'State', value_type: 'normalize', value: 'available' },
        { State: ' Available ' },
      ),
      true,
    );
    assert.equal(
      truth(
        { type: 'value', key: 'Cidr', value_type: 'cidr', op: 'in', value: ['10.0.0.0/8'] },
        { Cidr: '10.1.2.0/24' },
      ),
      true,
    );
    assert.equal(
      truth(
        { type: 'value', key: 'Cidr', value_type: 'cidr', op: 'in', value: ['10.0.0.0/8'] },
        { Cidr: '0.0.0.0/0' },
      ),
      false,
    );
    assert.equal(
      truth({ type: 'value', key: 'Zones', value_type: 'swap', op: 'in', value: 'b' }, { Zones: ['a', 'b'] }),
      true,
    );
  });

  it('tag: keys read the resource tags', () => {
    assert.equal(truth({ 'tag:owner': 'absent' }, {}, { tags: { owner: 'x' } }), false);
    assert.equal(truth({ 'tag:owner': 'x' }, {}, { tags: { owner: 'x' } }), true);
  });

  it('a path known only after apply is unknown, an unreadable one is error', () => {
    assert.equal(truth({ Encrypted: false }, {}, { unknown: ['Encrypted'] }), 'unknown');
    assert.equal(
      truth(
        { Encrypted: false },
        {},
        { errors: [{ path: 'Encrypted', code: 'AccessDenied', message: 'denied' }] },
      ),
      'error',
    );
    // An unknown unrelated path does not make the verdict unknown.
    assert.equal(truth({ Encrypted: false }, { Encrypted: false }, { unknown: ['KmsKeyId'] }), true);
  });

  it('and/or/not follow three-valued logic', () => {
    const unknownEnc = { unknown: ['Encrypted'] };
    assert.equal(truth({ and: [{ Encrypted: false }, { Size: 1 }] }, { Size: 2 }, unknownEnc), false);
    assert.equal(truth({ and: [{ Encrypted: false }, { Size: 2 }] }, { Size: 2 }, unknownEnc), 'unknown');
    assert.equal(truth({ or: [{ Encrypted: false }, { Size: 2 }] }, { Size: 2 }, unknownEnc), true);
    assert.equal(truth({ not: [{ Size: 2 }] }, { Size: 2 }), false);
    assert.equal(truth({ not: [{ Encrypted: false }] }, {}, unknownEnc), 'unknown');
  });

  it('rejects bad specs with the path of the mistake', () => {
    const bad = (spec: unknown) => {
      try {
        compileFilter(spec, { at: ['filters', 0], resourceTypes: ['aws.ec2.volume'] });
        return undefined;
      } catch (err) {
        assert.ok(err instanceof SpecError);
        return { at: err.at.join('.'), message: err.message };
      }
    };
    assert.deepEqual(bad({ type: 'value', key: 'A', op: 'eqq', value: 1 }), {
      at: 'filters.0.op',
      message:
        'unknown op "eqq"; did you mean "eq"? (valid: eq, ne, gt, ge, lt, le, in, not-in, contains, regex, glob, present, absent, empty, not-empty)',
    });
    assert.deepEqual(bad({ type: 'value', key: 'A', op: 'regex', value: '([' }), {
      at: 'filters.0.value',
      message: 'invalid regex: Invalid regular expression: /([/: Unterminated character class',
    });
    assert.equal(bad({ type: 'ingres' })?.message, 'unknown filter type "ingres"; did you mean "ingress"?');
    assert.equal(
      bad({ type: 'value', key: 'A', op: 'in', value: 'x' })?.message,
      'op "in" needs a list value',
    );
    assert.equal(
      bad({ type: 'value', key: 'A', vlaue: 1 })?.message,
      'unknown key "vlaue" in value filter; did you mean "value"?',
    );
    assert.equal(
      bad({ type: 'ingress' })?.message,
      'filter "ingress" does not apply to aws.ec2.volume (it applies to aws.ec2.security-group, azure.network.nsg, gcp.compute.firewall, openstack.networking.secgroup)',
    );
  });
});
