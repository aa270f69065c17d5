import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  builtInFrameworkIds,
  readFrameworkFile,
  resolveFramework,
} from '../../../src/compliance/framework.js';
import { InputError } from '../../../src/util/errors.js';

const dir = 'test/fixtures/frameworks';

function loadError(file: string): string {
  try {
    readFrameworkFile(`${dir}/${file}`);
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.format();
  }
  assert.fail(`${file} loaded without error`);
}

describe('framework data', () => {
  it('ships the seven frameworks with their requirement counts', () => {
    const counts = Object.fromEntries(
      builtInFrameworkIds().map((id) => [id, resolveFramework(id).requirements.length]),
    );
    assert.deepEqual(counts, {
      'cis-aws-3.0': 62,
      gdpr: 3,
      hipaa: 32,
      'iso-27001-2022': 37,
      'nist-800-53-r5': 40,
      'pci-dss-4.0': 40,
      soc2: 27,
    });
  });

  it('CIS v3.0.0: 35 automated and 27 manual controls, five sections', () => {
    const cis = resolveFramework('cis-aws-3.0');
    assert.equal(cis.requirements.filter((r) => r.assessment === 'automated').length, 35);
    assert.equal(cis.requirements.filter((r) => r.assessment === 'manual').length, 27);
    assert.deepEqual(
      cis.sections.map((s) => s.title),
      ['Identity and Access Management', 'Storage', 'Logging', 'Monitoring', 'Networking'],
    );
    const r = cis.requirements.find((x) => x.id === '2.1.1')!;
    assert.deepEqual(
      { section: r.section, level: r.level, policies: r.policies },
      { section: '2', level: 'L2', policies: ['aws-s3-bucket-allows-http'] },
    );
  });

  it('loads a custom framework and finds it by id or alone', () => {
    const fw = resolveFramework(undefined, [`${dir}/acme.yaml`]);
    assert.equal(fw.id, 'acme-cloud-baseline');
    assert.equal(fw.version, '2');
    assert.deepEqual(
      fw.requirements.map((r) => `${r.section}/${r.id}:${r.policies.length}:${r.line}`),
      ['NET/NET-1:2:14', 'LOG/LOG-1:2:18', 'LOG/LOG-2:0:22', 'GOV/GOV-1:1:26', 'GOV/GOV-2:1:30'],
    );
    assert.equal(resolveFramework('acme-cloud-baseline', [`${dir}/acme.yaml`]).builtIn, false);
    assert.equal(resolveFramework('hipaa', [`${dir}/acme.yaml`]).builtIn, true);
  });

  it('reports mistakes with file:line:column', () => {
    assert.equal(
      loadError('bad-key.yaml'),
      `${dir}/bad-key.yaml:7:5: unknown key "polices"; did you mean "policies"?`,
    );
    assert.equal(
      loadError('bad-duplicate.yaml'),
      `${dir}/bad-duplicate.yaml:7:9: duplicate requirement id "R1"`,
    );
    assert.equal(
      loadError('bad-section.yaml'),
      `${dir}/bad-section.yaml:10:14: section "NTE" is not declared under "sections"; did you mean "NET"?`,
    );
    assert.match(
      loadError('bad-syntax.yaml'),
      /^test\/fixtures\/frameworks\/bad-syntax\.yaml:4:\d+: YAML syntax error: /,
    );
    assert.equal(
      loadError('bad-policy-id.yaml'),
      `${dir}/bad-policy-id.yaml:7:16: requirements.0.policies.0: a policy id is lower-case letters, digits, ".", "_" or "-"`,
    );
  });

  it('an unknown framework id lists what exists', () => {
    assert.throws(
      () => resolveFramework('cis-aws-3'),
      (err: InputError) =>
        err.format() ===
        'unknown framework "cis-aws-3"; did you mean "cis-aws-3.0"? (available: cis-aws-3.0, gdpr, hipaa, iso-27001-2022, nist-800-53-r5, pci-dss-4.0, soc2)',
    );
  });
});
