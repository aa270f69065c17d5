import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadInputs } from '../../../src/sources/index.js';
import { readTerraformPlan } from '../../../src/sources/terraform/plan.js';
import {
  changeRuns,
  decodeJsonText,
  PlanBytesMismatch,
  parsePlanBytes,
  planBytesVerified,
} from '../../../src/sources/terraform/plan-bytes.js';
import { InputError } from '../../../src/util/errors.js';

type Obj = Record<string, unknown>;

function bucket(name: string, tags: Obj): Obj {
  return {
    address: `aws_s3_bucket.${name}`,
    mode: 'managed',
    type: 'aws_s3_bucket',
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: ['create'],
      before: null,
      after: { bucket: name, tags },
      after_unknown: {},
      before_sensitive: false,
      after_sensitive: {},
    },
  };
}

/** A plan laid out as Terraform writes it: planned_values before and prior_state after the changes. */
function planText(
  changes: Obj[],
  opts: { tagsInConfig?: Obj; variables?: Obj; space?: string } = {},
): string {
  const doc = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    variables: opts.variables ?? { region: { value: 'eu-west-1' } },
    planned_values: { root_module: { resources: changes.map((c) => ({ address: c.address })) } },
    resource_changes: changes,
    prior_state: { format_version: '1.0', values: { root_module: { resources: [] } } },
    configuration: {
      provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'eu-west-1' } } } },
      root_module: {
        resources: changes.map((c) => ({
          address: c.address,
          mode: 'managed',
          type: c.type,
          name: c.name,
          provider_config_key: 'aws',
          expressions: { tags: { constant_value: opts.tagsInConfig ?? {} } },
        })),
      },
    },
    timestamp: '2026-01-15T10:00:00Z',
  };
  return JSON.stringify(doc, null, opts.space);
}

const dir = mkdtempSync(join(tmpdir(), 'warden-plan-bytes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
function writePlan(text: string): string {
  const file = join(dir, `plan-${seq++}.json`);
  writeFileSync(file, text);
  return file;
}

/** The resources as the ordinary reader sees them: the whole text through JSON.parse. */
function reference(text: string, file: string) {
  return readTerraformPlan(JSON.parse(text), file).resources.map((r) => ({ ...r, id: `${file}#${r.id}` }));
}

async function scanned(file: string) {
  return (await loadInputs([file])).resources;
}

describe('parsePlanBytes', () => {
  it('reads the members the scan needs and parses planned_values and prior_state only when read', () => {
    const text = planText([bucket('a', { Name: 'a' })]);
    const doc = parsePlanBytes(Buffer.from(text));
    assert.ok(doc);
    const full = JSON.parse(text) as Obj;
    assert.deepEqual(Object.keys(doc).sort(), Object.keys(full).sort());
    const planned = Object.getOwnPropertyDescriptor(doc, 'planned_values');
    assert.equal(typeof planned?.get, 'function', 'not parsed up front');
    assert.deepEqual(doc.resource_changes, full.resource_changes);
    assert.deepEqual(doc.configuration, full.configuration);
    assert.deepEqual(doc.variables, full.variables);
    assert.deepEqual(doc.planned_values, full.planned_values);
    assert.deepEqual(doc.prior_state, full.prior_state);
    assert.equal(typeof Object.getOwnPropertyDescriptor(doc, 'planned_values')?.get, 'undefined', 'cached');
  });

  it('handles pretty-printed plans and leaves the bytes as they were', () => {
    const text = planText([bucket('a', {})], { space: '  ' });
    const buf = Buffer.from(text);
    const doc = parsePlanBytes(buf);
    assert.ok(doc);
    assert.deepEqual({ ...doc }, JSON.parse(text));
    assert.equal(buf.toString(), text);
  });

  it('keeps a top-level __proto__ member an own property, as JSON.parse does', () => {
    const text = planText([bucket('a', {})]).replace(
      '{"format_version"',
      '{"__proto__":{"x":1},"format_version"',
    );
    const doc = parsePlanBytes(Buffer.from(text));
    assert.ok(doc);
    assert.equal(Object.getPrototypeOf(doc), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(doc, '__proto__')?.value, { x: 1 });
  });

  const declined: [string, () => string][] = [
    [
      'a state file (no planned_values)',
      () => JSON.stringify({ format_version: '1.0', values: { root_module: {} } }),
    ],
    ['a top-level array', () => `[${planText([bucket('a', {})])}]`],
    ['a BOM before the object', () => `\ufeff${planText([bucket('a', {})])}`],
    ['a truncated plan', () => planText([bucket('a', {})]).slice(0, -40)],
    [
      'a syntax error inside planned_values',
      () => planText([bucket('a', {})]).replace('"root_module":{', '"root_module":{tru'),
    ],
    [
      'a syntax error inside prior_state',
      () => planText([bucket('a', {})]).replace('"format_version":"1.0"', '"format_version":01'),
    ],
    [
      'a syntax error in a kept member',
      () => planText([bucket('a', {})]).replace('"timestamp":', '"timestamp" '),
    ],
    ['a trailing comma', () => planText([bucket('a', {})]).replace(/}$/, ',}')],
    ['trailing garbage', () => `${planText([bucket('a', {})])} x`],
    [
      'an escaped second planned_values',
      () => planText([bucket('a', {})]).replace(/}$/, ',"planned\\u005fvalues":1}'),
    ],
  ];
  for (const [name, make] of declined) {
    it(`declines ${name}, leaving it to the ordinary reader`, () => {
      const text = make();
      const buf = Buffer.from(text);
      assert.equal(parsePlanBytes(buf), undefined);
      assert.equal(buf.toString(), text, 'bytes restored');
    });
  }
});

describe('decodeJsonText', () => {
  it('decodes ASCII and UTF-8 (and invalid UTF-8) exactly as a UTF-8 read would', () => {
    for (const b of [
      Buffer.from('{"a":"plain"}'),
      Buffer.from('{"a":"ünïcödé ✓ 😀"}'),
      Buffer.from([0x22, 0xc3, 0x28, 0x22]),
      Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    ]) {
      assert.equal(decodeJsonText(b), b.toString('utf8'));
      assert.equal(decodeJsonText(b, 1, b.length - 1), b.toString('utf8', 1, b.length - 1));
    }
  });

  it('reads a plan with non-ASCII values the same as a full parse', async () => {
    const text = planText([bucket('a', { Owner: 'Zoë Ångström ✓' })]);
    const file = writePlan(text);
    const got = await scanned(file);
    assert.equal(got[0]!.tags.Owner, 'Zoë Ångström ✓');
    assert.deepEqual(got, reference(text, (await loadInputs([file])).inputs[0]!));
  });
});

describe('plan reading with crafted member names', () => {
  // Keys a user controls (tags, constant values) that spell the skipped members must never move a
  // split: the resources read are exactly those of a full JSON.parse.
  const crafted: [string, () => string][] = [
    [
      'a tag named prior_state whose value looks like the member',
      () => planText([bucket('a', {}), bucket('b', { prior_state: '{' })], { tagsInConfig: { x: 1 } }),
    ],
    [
      'prior_state written before the changes, and a tag named prior_state after it',
      () => {
        const text = planText([bucket('a', {}), bucket('b', { Name: 'b' })]);
        const full = JSON.parse(text) as Obj;
        const { prior_state, resource_changes, ...rest } = full;
        (resource_changes as Obj[])[1] = bucket('b', { prior_state: { values: {} } as unknown as string });
        return JSON.stringify({ ...rest, prior_state, resource_changes });
      },
    ],
    [
      'a constant map key prior_state in the configuration (the last occurrence)',
      () => planText([bucket('a', { Name: 'a' })], { tagsInConfig: { prior_state: { root_module: {} } } }),
    ],
    [
      'a variable value with a planned_values key before the real one',
      () => planText([bucket('a', {})], { variables: { v: { value: { planned_values: { x: 1 } } } } }),
    ],
    [
      'a string holding the member syntax',
      () => planText([bucket('a', { Note: '"prior_state":{"values":{}},"resource_changes":[]' })]),
    ],
    [
      'a tag map whose keys are both member names',
      () => planText([bucket('a', { planned_values: 'x', prior_state: 'y', resource_changes: 'z' })]),
    ],
  ];
  for (const [name, make] of crafted) {
    it(`${name}: same resources as a full parse`, async () => {
      const text = make();
      const file = writePlan(text);
      const got = await scanned(file);
      const want = reference(text, (await loadInputs([file])).inputs[0]!);
      assert.ok(want.length >= 1);
      assert.deepEqual(got, want);
      const doc = parsePlanBytes(Buffer.from(text));
      if (doc) assert.deepEqual({ ...doc }, JSON.parse(text));
    });
  }

  it('keeps a resource whose tags spell the skipped members', async () => {
    const text = planText([bucket('a', { prior_state: 'x' }), bucket('b', { planned_values: 'y' })]);
    const resources = await scanned(writePlan(text));
    assert.deepEqual(
      resources.map((r) => [r.source.address, r.tags]),
      [
        ['aws_s3_bucket.a', { prior_state: 'x' }],
        ['aws_s3_bucket.b', { planned_values: 'y' }],
      ],
    );
  });

  it('reports a syntax error in planned_values with its line and column, as before', async () => {
    const text = planText([bucket('a', {})], { space: ' ' }).replace(
      '"root_module": {',
      '"root_module": {tru',
    );
    const file = writePlan(text);
    await assert.rejects(loadInputs([file]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(err.format(), /:\d+:\d+: invalid JSON: /);
      assert.equal(err.line, text.slice(0, text.indexOf('tru')).split('\n').length);
      return true;
    });
  });
});

describe('resource_changes read run by run', () => {
  /** Buckets whose values hold lists of objects keyed "address" first: separators inside a change. */
  const decoys = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const c = bucket(`b${i}`, { Name: `b${i}`, Note: 'padding '.repeat(120) });
      const after = (c.change as Obj).after as Obj;
      after.lifecycle_rule = [{ address: 'x' }, { address: 'y' }, { address: 'z' }];
      return c;
    });

  function runsOf(doc: Obj): unknown[][] {
    const runs = changeRuns(doc);
    assert.ok(runs, 'read run by run');
    const out: unknown[][] = [];
    for (let r = runs.take(); r; r = runs.take()) out.push(r);
    return out;
  }

  it('hands out every change, in order, in several runs', () => {
    const changes = decoys(40);
    const text = planText(changes);
    const doc = parsePlanBytes(Buffer.from(text), 300);
    assert.ok(doc);
    const runs = runsOf(doc);
    assert.ok(runs.length > 5, `${runs.length} runs`);
    assert.deepEqual(runs.flat(), JSON.parse(text).resource_changes);
    assert.equal(planBytesVerified(doc), true);
  });

  for (const runBytes of [1, 64, 300, 5000, 1 << 20]) {
    it(`reads the same resources as a full parse with runs of ${runBytes} bytes`, () => {
      const text = planText(decoys(25), { space: runBytes === 64 ? ' ' : undefined });
      const doc = parsePlanBytes(Buffer.from(text), runBytes);
      assert.ok(doc);
      const got = readTerraformPlan(doc, 'p.json');
      assert.equal(planBytesVerified(doc), true);
      assert.deepEqual(got, readTerraformPlan(JSON.parse(text), 'p.json'));
      assert.equal(got.resources.length, 25);
    });
  }

  it('finds the end of the list in a plan without prior_state (only creates)', () => {
    const full = JSON.parse(planText(decoys(20))) as Obj;
    delete full.prior_state;
    const text = JSON.stringify(full);
    const doc = parsePlanBytes(Buffer.from(text), 300);
    assert.ok(doc);
    assert.equal('prior_state' in doc, false);
    assert.ok(runsOf(doc).length > 3);
    assert.equal(planBytesVerified(doc), true);
    const again = parsePlanBytes(Buffer.from(text), 300)!;
    assert.deepEqual(readTerraformPlan(again, 'p.json'), readTerraformPlan(full, 'p.json'));
  });

  it('finds the end of the list before output_changes', () => {
    const full = JSON.parse(planText(decoys(20))) as Obj;
    const { prior_state, configuration, timestamp, ...head } = full;
    const text = JSON.stringify({
      ...head,
      output_changes: { ids: { actions: ['create'], after: ['a', 'b'], after_unknown: false } },
      prior_state,
      configuration,
      timestamp,
    });
    const doc = parsePlanBytes(Buffer.from(text), 300);
    assert.ok(doc);
    assert.ok(runsOf(doc).length > 3);
    assert.equal(planBytesVerified(doc), true);
    assert.deepEqual(doc.output_changes, JSON.parse(text).output_changes);
  });

  it('gives the whole list to a reader of the member', () => {
    const text = planText(decoys(10));
    const doc = parsePlanBytes(Buffer.from(text), 200);
    assert.ok(doc);
    assert.deepEqual(doc.resource_changes, JSON.parse(text).resource_changes);
    assert.equal(changeRuns(doc), undefined);
    assert.equal(planBytesVerified(doc), true);
  });

  it('handles an empty list', () => {
    const text = planText([]);
    const doc = parsePlanBytes(Buffer.from(text), 1);
    assert.ok(doc);
    assert.deepEqual(runsOf(doc).flat(), []);
    assert.equal(planBytesVerified(doc), true);
  });

  it('signals a run that does not parse, and the bytes stay as they were', () => {
    const good = planText(decoys(30));
    // Broken in the middle of the list, where only a run's parse can notice.
    const text = good.replace('"bucket":"b15"', '"bucket":"b15" "x"');
    const buf = Buffer.from(text);
    const doc = parsePlanBytes(buf, 200);
    assert.ok(doc, 'the layout looks right up front');
    const runs = changeRuns(doc)!;
    assert.throws(() => {
      for (let r = runs.take(); r; r = runs.take());
    }, PlanBytesMismatch);
    assert.equal(planBytesVerified(doc), false);
    assert.equal(buf.toString(), text);
  });

  it('a syntax error late in the changes is reported as before, with line and column', async () => {
    const good = planText(decoys(3000));
    assert.ok(good.length > 3 << 20, 'several runs at the real run size');
    const text = good.replace('"bucket":"b2900"', '"bucket":"b2900" "x"');
    const file = writePlan(text);
    await assert.rejects(loadInputs([file]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(err.format(), /:1:\d+: invalid JSON: /);
      assert.equal(err.column, text.indexOf(' "x"') + 2);
      return true;
    });
  });

  it('a bad change early and a syntax error late: the syntax error wins, as with a full parse', async () => {
    const changes = decoys(3000);
    changes[0] = { ...changes[0]!, mode: 'weird' };
    const text = planText(changes).replace('"bucket":"b2900"', '"bucket":"b2900" "x"');
    await assert.rejects(loadInputs([writePlan(text)]), /invalid JSON/);
    const valid = planText(changes);
    await assert.rejects(loadInputs([writePlan(valid)]), /resource aws_s3_bucket\.b0: mode must be/);
  });

  it('reads a large plan with decoy separators exactly as a full parse', async () => {
    const text = planText(decoys(3000));
    const file = writePlan(text);
    const got = await scanned(file);
    assert.equal(got.length, 3000);
    assert.deepEqual(got, reference(text, (await loadInputs([file])).inputs[0]!));
  });
});
