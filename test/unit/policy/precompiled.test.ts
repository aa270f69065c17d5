import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PolicyDefinition } from '../../../src/policy/definition.js';
import { availablePacks, loadPolicies, PACKS_DIR, precompileBuiltinPacks } from '../../../src/policy/load.js';
import { precompiledDefinitions, precompilePack } from '../../../src/policy/precompiled.js';

const dir = mkdtempSync(join(tmpdir(), 'warden-precompiled-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('precompiled built-in packs', () => {
  const packs = precompileBuiltinPacks();
  // Every pack, not only the default one: report and --pack load the others from the bundle too.
  const fromYaml = loadPolicies({ packs: availablePacks() }).definitions;

  it('embeds every built-in pack file', () => {
    assert.deepEqual(Object.keys(packs).sort(), [
      'cis-aws-v3/iam.yaml',
      'cis-aws-v3/logging.yaml',
      'cis-aws-v3/monitoring.yaml',
      'cis-aws-v3/networking.yaml',
      'cis-aws-v3/storage.yaml',
      'core/aws-complex.yaml',
      'core/aws-compute-identity.yaml',
      'core/aws-iam-credentials.yaml',
      'core/aws-network.yaml',
      'core/aws-sharing.yaml',
      'core/aws-storage.yaml',
      'core/multicloud.yaml',
      'tagging/mandatory-tags.yaml',
    ]);
  });

  it('gives exactly the definitions the YAML reader gives, origins included', () => {
    const got: PolicyDefinition[] = [];
    for (const path of Object.keys(packs).sort()) {
      const file = join(PACKS_DIR, ...path.split('/'));
      const defs = precompiledDefinitions(file, path, { file: `packs/${path}`, builtIn: true }, packs);
      assert.ok(defs, path);
      got.push(...defs);
    }
    assert.deepEqual(got, fromYaml);
    assert.equal(got.length, 73);
  });

  it('hands out fresh objects each time', () => {
    const path = 'core/aws-storage.yaml';
    const file = join(PACKS_DIR, 'core', 'aws-storage.yaml');
    const a = precompiledDefinitions(file, path, { file: path, builtIn: true }, packs)!;
    const b = precompiledDefinitions(file, path, { file: path, builtIn: true }, packs)!;
    assert.notEqual(a[0], b[0]);
    assert.notEqual(a[0]!.filters, b[0]!.filters);
  });

  it('ignores the embedded copy when the file on disk differs from the one validated at build time', () => {
    const path = 'core/aws-storage.yaml';
    const copy = join(dir, 'aws-storage.yaml');
    const text = readFileSync(join(PACKS_DIR, 'core', 'aws-storage.yaml'), 'utf8');
    writeFileSync(copy, text);
    assert.ok(precompiledDefinitions(copy, path, { file: copy, builtIn: true }, packs));
    writeFileSync(copy, text.replace('severity: high', 'severity: low'));
    assert.equal(precompiledDefinitions(copy, path, { file: copy, builtIn: true }, packs), undefined);
    assert.equal(
      precompiledDefinitions(join(dir, 'missing.yaml'), path, { file: copy, builtIn: true }, packs),
      undefined,
    );
    assert.equal(
      precompiledDefinitions(copy, 'core/other.yaml', { file: copy, builtIn: true }, packs),
      undefined,
    );
  });

  it('is not used outside the bundle: without embedded packs the YAML is read', () => {
    const path = 'core/aws-storage.yaml';
    const file = join(PACKS_DIR, 'core', 'aws-storage.yaml');
    assert.equal(precompiledDefinitions(file, path, { file: path, builtIn: true }), undefined);
  });

  it('is embedded in the built CLI, matching the packs on disk', () => {
    // The bundle is split into chunks: the packs sit with the loader, wherever esbuild put it.
    const bundleDir = new URL('../../../dist/bundle/', import.meta.url);
    const bundle = readdirSync(bundleDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(new URL(f, bundleDir), 'utf8'))
      .join('\n');
    for (const [path, pack] of Object.entries(packs)) assert.ok(bundle.includes(pack.sha256), path);
  });

  it('leaves a file whose definitions do not survive JSON to be read at run time', () => {
    const def = { ...fromYaml[0]!, parameters: { limit: { default: Number.POSITIVE_INFINITY } } };
    assert.equal(precompilePack(Buffer.from('x'), [def]), undefined);
    const missing = { ...fromYaml[0]!, parameters: { limit: { default: undefined } } };
    assert.equal(precompilePack(Buffer.from('x'), [missing]), undefined);
    assert.ok(precompilePack(Buffer.from('x'), [fromYaml[0]!]));
  });
});
