import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanInventory } from '../../src/engine/scan.js';
import { loadPolicies } from '../../src/policy/load.js';
import { handlerFor, supportedTypes } from '../../src/sources/cloudformation/registry.js';
import { loadInputs } from '../../src/sources/index.js';

/**
 * Every built-in policy has a failing and a passing twin in each IaC format (HCL, plan JSON and, for
 * AWS, CloudFormation), plus unknown/exempt cases where they apply. Each case states the exact status
 * of every resource of the policy's types; this test runs the whole pipeline and compares.
 */
const ROOT = 'test/fixtures/policies';
const FORMATS = [
  { input: 'main.tf', expected: 'expected-hcl.json', path: (dir: string) => join(dir, 'main.tf') },
  { input: 'plan.json', expected: 'expected-plan.json', path: (dir: string) => join(dir, 'plan.json') },
  {
    input: 'template.yaml',
    expected: 'expected-cfn.json',
    path: (dir: string) => join(dir, 'template.yaml'),
  },
] as const;

const NOW = new Date('2026-11-23T00:00:00Z');
const definitions = loadPolicies().definitions;
const builtIns = definitions.map((d) => d.id);
/**
 * Live-only policies read what no IaC format carries (the credential report, the account summary);
 * test/unit/policy/live-only-policies.test.ts covers them on inventories instead.
 */
const liveOnly = new Set(definitions.filter((d) => d.tags.includes('live-only')).map((d) => d.id));
/** Canonical types CloudFormation can declare; snapshots and images, for one, it cannot. */
const cfnTypes = new Set(supportedTypes().map((t) => handlerFor(t)?.spec?.type));
const inCloudFormation = new Set(
  definitions.filter((d) => d.resourceTypes.some((t) => cfnTypes.has(t))).map((d) => d.id),
);

describe('built-in policy twin fixtures', () => {
  it('every built-in policy has fail and pass twins in HCL and plan JSON, and AWS ones in CloudFormation', () => {
    const missing: string[] = [];
    for (const id of builtIns) {
      if (liveOnly.has(id)) continue;
      for (const c of ['fail', 'pass']) {
        for (const f of FORMATS) {
          if (f.input === 'template.yaml' && !(id.startsWith('aws-') && inCloudFormation.has(id))) continue;
          if (!existsSync(join(ROOT, id, c, f.expected))) missing.push(`${id}/${c}/${f.expected}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  for (const id of builtIns) {
    const dir = join(ROOT, id);
    if (!existsSync(dir)) continue;
    for (const c of readdirSync(dir).sort()) {
      for (const f of FORMATS) {
        const caseDir = join(dir, c);
        if (!existsSync(join(caseDir, f.expected))) continue;
        it(`${id} ${c} (${f.input})`, async () => {
          const expected = JSON.parse(readFileSync(join(caseDir, f.expected), 'utf8')) as {
            address: string;
            status: string;
          }[];
          const policies = loadPolicies({ only: [id] });
          const inventory = await loadInputs([f.path(caseDir)]);
          const report = scanInventory(inventory, policies, NOW);
          const actual = report.results.map((r) => ({
            address: r.source.address ?? r.resource.id,
            status: r.status,
          }));
          const sort = (xs: { address: string; status: string }[]) =>
            [...xs].sort((a, b) => a.address.localeCompare(b.address));
          assert.deepEqual(sort(actual), sort(expected));
        });
      }
    }
  }
});
