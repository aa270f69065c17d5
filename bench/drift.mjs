#!/usr/bin/env node
// Drift and store benchmark: `npm run bench:drift` (= build, then `node --import tsx bench/drift.mjs`).
//
//   1. drift: two generated N-resource inventories (default 100k) where 1% of resources really
//      changed and 5% carry noise drift must ignore (reordered rules/tags/statements, state flips,
//      timestamps); times `diffInventories` + the report, checks it found exactly the changed ones;
//   2. store: records a scan of N resources (with its results and findings) on SQLite and on
//      PostgreSQL, then a second scan with 1% changed (unchanged resources cost no new row).
//
// Every measurement runs in its own child process (plain node on the tsc output in dist/), which
// prints its figures as JSON; peak RSS is the child's own ru_maxrss, before and after the measured
// step (generating the inputs takes memory of its own). Results: bench/out/drift.md and .json.
//
// Environment: BENCH_DRIFT_SIZE=100000, BENCH_DRIFT_RUNS=3 (median), BENCH_SKIP_POSTGRES=1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const OUT = join(BENCH, 'out');
const N = Number(process.env.BENCH_DRIFT_SIZE || 100_000);
const RUNS = Math.max(1, Number(process.env.BENCH_DRIFT_RUNS || 3));
const mb = (kb) => Math.round(kb / 1024);

async function child(task, arg) {
  const { generateInventories, asInventory } = await import('./generate-inventory.mjs');
  const dist = (p) => import(join(ROOT, 'dist', p));
  const { baseline, current, changed } = generateInventories(N);
  const before = process.resourceUsage().maxRSS;
  if (task === 'drift') {
    const { diffInventories } = await dist('drift/diff.js');
    const { loadDriftRules } = await dist('drift/rules.js');
    const { buildReport, renderDriftJson } = await dist('drift/report.js');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const rules = loadDriftRules();
    const result = diffInventories(baseline, current, rules);
    const report = buildReport(result, {
      baseline: { name: 'bench', version: 1, createdAt: '', resources: N },
      current: { inputs: [], resources: N },
    });
    const json = renderDriftJson(report);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const ok = result.changed.length === changed.size && result.changed.every((c) => changed.has(c.id));
    return {
      ms,
      cpuMs,
      rssBefore: before,
      rssAfter: process.resourceUsage().maxRSS,
      changed: result.changed.length,
      ok,
      reportBytes: json.length,
    };
  }
  // store: arg is the URL
  const { openStore } = await dist('store/open.js');
  const { recordScan, versionsOf } = await dist('store/scans.js');
  const { scanInventory } = await dist('engine/scan.js');
  const { loadPolicies } = await dist('policy/load.js');
  const policies = loadPolicies({ builtIn: true });
  const store = await openStore(arg);
  const record = async (resources) => {
    const inventory = asInventory(resources, 'aws:111122223333');
    const t0 = performance.now();
    const versions = versionsOf(resources);
    const report = scanInventory(inventory, policies);
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const at = new Date().toISOString();
    await recordScan(store.db, {
      inventory,
      versions,
      results: report.results,
      summary: report.summary,
      startedAt: at,
      finishedAt: at,
    });
    const writeMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    return {
      evalMs: t1 - t0,
      writeMs,
      writeCpuMs: (cpu.user + cpu.system) / 1000,
      results: report.results.length,
    };
  };
  const first = await record(baseline);
  const second = await record(current);
  await store.close();
  return { first, second, rssBefore: before, rssAfter: process.resourceUsage().maxRSS };
}

function runChild(task, arg = '') {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', task, arg],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, BENCH_DRIFT_SIZE: String(N) },
    },
  );
  if (r.status !== 0) throw new Error(`${task} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  mkdirSync(OUT, { recursive: true });
  console.error(`[bench:drift] ${N} resources, ${RUNS} drift runs`);
  const drifts = [];
  for (let i = 0; i < RUNS; i++) drifts.push(runChild('drift'));
  if (!drifts.every((d) => d.ok)) throw new Error('drift did not find exactly the changed resources');
  const tmp = mkdtempSync(join(os.tmpdir(), 'warden-bench-'));
  const stores = {};
  try {
    console.error('[bench:drift] store on SQLite');
    stores.sqlite = runChild('store', join(tmp, 'warden.db'));
    if (process.env.BENCH_SKIP_POSTGRES !== '1') {
      const { startPostgres } = await import('../test/support/postgres.ts');
      const pg = await startPostgres();
      try {
        console.error('[bench:drift] store on PostgreSQL');
        stores.postgres = runChild('store', await pg.createDatabase('bench'));
      } finally {
        await pg.stop();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const d = median(drifts.map((x) => x.ms));
  const dRss = Math.max(...drifts.map((x) => x.rssAfter));
  const dBefore = Math.max(...drifts.map((x) => x.rssBefore));
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  const lines = [
    `Drift and store, ${N.toLocaleString('en')} resources (${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${load} at the end)`,
    '',
    '| measurement | wall time | CPU time of this process | peak RSS (inputs alone) |',
    '|---|---:|---:|---:|',
    `| drift, 1% changed + 5% noise (median of ${RUNS}; rules, diff, report JSON) | ${(d / 1000).toFixed(2)} s | ${(median(drifts.map((x) => x.cpuMs)) / 1000).toFixed(2)} s | ${mb(dRss)} MB (${mb(dBefore)} MB) |`,
  ];
  for (const [name, s] of Object.entries(stores)) {
    lines.push(
      `| ${name}: store first scan (${s.first.results.toLocaleString('en')} results; eval ${(s.first.evalMs / 1000).toFixed(2)} s not included) | ${(s.first.writeMs / 1000).toFixed(2)} s | ${(s.first.writeCpuMs / 1000).toFixed(2)} s | ${mb(s.rssAfter)} MB (${mb(s.rssBefore)} MB) |`,
      `| ${name}: store second scan, 1% changed | ${(s.second.writeMs / 1000).toFixed(2)} s | ${(s.second.writeCpuMs / 1000).toFixed(2)} s | |`,
    );
  }
  const md = `${lines.join('\n')}\n`;
  writeFileSync(join(OUT, 'drift.md'), md);
  writeFileSync(join(OUT, 'drift.json'), JSON.stringify({ size: N, drifts, stores }, null, 2));
  process.stdout.write(md);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
} else {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
