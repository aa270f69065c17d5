#!/usr/bin/env node
// Runs every check the project gates on and ends with one line `N passed, N failed`:
// lint (Biome), type check (tsc --noEmit), build (the E2E tests run the built CLI), then all
// test files under test/ with Node's test runner. Pass file paths or name fragments to run a subset.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setupPython } from './setup-python.mjs';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
let passed = 0;
let failed = 0;

function step(name, cmd, args) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Date.now() - started;
  if (r.status === 0) {
    passed++;
    console.log(`✔ ${name} (${ms} ms)`);
  } else {
    failed++;
    console.log(`✖ ${name} (${ms} ms)`);
    process.stdout.write(r.stdout.split('\n').slice(0, 200).join('\n'));
    process.stdout.write(r.stderr.split('\n').slice(0, 200).join('\n'));
  }
  return r.status === 0;
}

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (entry === 'fixtures' || entry === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (entry.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

const bin = join(root, 'node_modules', '.bin');
// The live AWS tests run against moto's server from the project venv; installing it is a check too.
try {
  setupPython();
} catch (err) {
  failed++;
  console.log(`✖ python venv (moto server): ${err instanceof Error ? err.message : String(err)}`);
}
if (filters.length === 0) {
  step('lint (biome check)', join(bin, 'biome'), ['check', '.']);
  step('typecheck (tsc --noEmit)', join(bin, 'tsc'), ['--noEmit', '-p', 'tsconfig.json']);
}
const built =
  step('build (tsc -p tsconfig.build.json)', join(bin, 'tsc'), ['-p', 'tsconfig.build.json']) &&
  step('bundle (esbuild: the CLI binary)', process.execPath, ['scripts/bundle.mjs']);

const files = testFiles(join(root, 'test')).filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
if (!built) {
  console.log('build failed: the tests that run the CLI would fail for the wrong reason; skipping them');
  failed += files.length;
} else if (files.length > 0) {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter',
      './scripts/count-reporter.mjs',
      '--test-reporter-destination',
      'stdout',
      ...files,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const lines = r.stdout.trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  const m = /^(\d+) passed, (\d+) failed(?:, \d+ skipped)?$/.exec(last);
  process.stdout.write(lines.slice(0, -1).join('\n') + '\n');
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  } else {
    process.stdout.write(last + '\n');
    failed++;
  }
  if (r.status !== 0 && failed === 0) failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
