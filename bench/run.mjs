#!/usr/bin/env node
// Warden benchmark harness: `npm run bench` (= `npm run build && node bench/run.mjs`).
//
// For each plan size it
//   1. generates (or reuses from bench/out) a deterministic Terraform plan of N resources,
//   2. measures the floors: `node -e 0` (Node start-up) and a Node process that only JSON.parse()s the plan,
//   3. runs the Warden CLI: node dist/bundle/warden.js scan <plan> --format json -o <out> --soft-fail,
//   4. runs Checkov (the peer) on the same file in the same run, installed on first use into
//      bench/.venv-checkov at the version pinned in bench/requirements-checkov.txt,
// and prints a markdown table (also written to bench/out/results.md, raw numbers to bench/out/results.json).
//
// Environment:
//   BENCH_SIZES=1000,10000          plan sizes (default 1000,10000,50000,100000; "10k" works too)
//   BENCH_RUNS=3                    runs per size for Warden and the floors; the median wall time is reported
//   BENCH_SKIP_PEERS=1              do not run (or install) Checkov
//   BENCH_PEER_TIMEOUT=600          seconds before a Checkov run is killed and reported as '>600 s'
//   BENCH_PEER_RUNS=1               runs per size for Checkov (median)
//   BENCH_PEER_MAX=10000            largest plan (resources) Checkov runs on; bigger ones are skipped
//                                   (Checkov takes about 11 s per 1k resources, so 100k would take ~20 min)
//   BENCH_SEED=20260101             generator seed
//   BENCH_PLANS=a.json,b.json       extra existing plan files to measure too (paths relative to the repo),
//                                   e.g. ../shared/fixtures/terraform/webapp/plan.json (a real Terraform plan)
//
// How time and memory are measured (all tools alike, each as a child process of this script):
//   - wall time: process.hrtime around spawn -> 'exit' of the child, i.e. end to end, including the
//     interpreter's start-up, reading the plan and writing the report;
//   - peak RSS: the kernel's own high-water mark, ru_maxrss from wait4(2), reported by GNU time
//     (`/usr/bin/time -f '%x %M'`) when installed, otherwise by a 6-line Python wrapper that calls
//     os.wait4() itself. Both read the same kernel counter after the child has exited, so nothing is
//     sampled and no short peak is missed (polling /proc/<pid>/status VmHWM would have to race the
//     child's exit and could miss the last peak). ru_maxrss is the largest single process of the
//     child's tree; Node (worker threads included) and Checkov with a single framework run in one
//     process, so this is their whole footprint. The wrapper's own cost (~1 ms) is inside wall time.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, defaultPlanPath, GENERATOR_VERSION, generatePlan } from './generate-plan.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const OUT = join(BENCH, 'out');
const WARDEN_CLI = join(ROOT, 'dist', 'bundle', 'warden.js');
const VENV = join(BENCH, '.venv-checkov');
const CHECKOV_REQ = join(BENCH, 'requirements-checkov.txt');
const CHECKOV_BIN = join(VENV, 'bin', 'checkov');
const GNU_TIME = '/usr/bin/time';

const env = process.env;
const parseSize = (s) => Number(String(s).trim().replace(/k$/i, '000'));
const SIZES = (env.BENCH_SIZES || '1000,10000,50000,100000').split(',').filter(Boolean).map(parseSize);
const RUNS = Math.max(1, Number(env.BENCH_RUNS || 3));
const PEER_RUNS = Math.max(1, Number(env.BENCH_PEER_RUNS || 1));
const PEER_TIMEOUT = Number(env.BENCH_PEER_TIMEOUT || 600);
const PEER_MAX = Number(env.BENCH_PEER_MAX || Number.POSITIVE_INFINITY);
const SKIP_PEERS = env.BENCH_SKIP_PEERS === '1' || env.BENCH_SKIP_PEERS === 'true';
const SEED = Number(env.BENCH_SEED || DEFAULT_SEED);
const EXTRA_PLANS = (env.BENCH_PLANS || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((p) => resolve(ROOT, p));

if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(`BENCH_SIZES must be a comma-separated list of positive integers, got '${env.BENCH_SIZES}'`);
  process.exit(2);
}

const log = (...a) => console.error('[bench]', ...a);
const rel = (p) => relative(ROOT, p) || '.';
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------
// Measured child processes

let meter = null;
function pickMeter() {
  if (meter) return meter;
  const probe = spawnSync(GNU_TIME, ['-f', '%x %M', 'true'], { encoding: 'utf8' });
  if (probe.status === 0 && /^0 \d+\s*$/m.test(probe.stderr)) meter = 'gnu-time';
  else if (spawnSync('python3', ['-c', 'import os; os.wait4'], { encoding: 'utf8' }).status === 0)
    meter = 'python-wait4';
  else meter = 'none';
  return meter;
}

// Fallback when GNU time is missing: run the command, wait4() it, write "<exit status> <maxrss KB>".
const PY_WAIT4 = `import os, subprocess, sys
p = subprocess.Popen(sys.argv[2:])
_, status, ru = os.wait4(p.pid, 0)
code = os.waitstatus_to_exitcode(status)
open(sys.argv[1], 'w').write('%d %d\\n' % (code, ru.ru_maxrss))
sys.exit(code if code >= 0 else 128 - code)`;

let seq = 0;
/**
 * Run cmd with args, return { code, signal, timedOut, wallS, rssMB, stderr }.
 * stdoutFile: where the child's stdout goes (default: discarded).
 */
function measure(cmd, args, { timeoutS = 0, stdoutFile = null, extraEnv = {} } = {}) {
  const m = pickMeter();
  const statFile = join(OUT, `.rusage-${process.pid}-${seq++}`);
  rmSync(statFile, { force: true });
  let argv;
  if (m === 'gnu-time') argv = [GNU_TIME, '-f', '%x %M', '-o', statFile, cmd, ...args];
  else if (m === 'python-wait4') argv = ['python3', '-c', PY_WAIT4, statFile, cmd, ...args];
  else argv = [cmd, ...args];
  const outFd = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  return new Promise((resolvePromise) => {
    const t0 = process.hrtime.bigint();
    let wallS = 0;
    let timedOut = false;
    let stderr = '';
    // detached: the child leads its own process group, so a timeout can kill the whole tree
    // (wrapper + tool + anything it started) and nothing else.
    const child = spawn(argv[0], argv.slice(1), {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', outFd, 'pipe'],
      env: { ...env, ...extraEnv },
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-8000);
    });
    const timer =
      timeoutS > 0
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {}
          }, timeoutS * 1000)
        : null;
    child.on('error', (e) => {
      stderr += String(e);
    });
    child.on('exit', () => {
      wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (typeof outFd === 'number') closeSync(outFd);
      if (!wallS) wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      let rssMB = null;
      let exit = code;
      if (existsSync(statFile)) {
        // GNU time may prefix "Command exited with non-zero status N" / "Command terminated by signal N".
        const lines = readFileSync(statFile, 'utf8').trim().split('\n');
        const last = lines[lines.length - 1].trim().split(/\s+/);
        if (last.length === 2 && /^-?\d+$/.test(last[0]) && /^\d+$/.test(last[1])) {
          exit = Number(last[0]);
          rssMB = Number(last[1]) / 1024;
        }
        rmSync(statFile, { force: true });
      }
      resolvePromise({ code: exit, signal, timedOut, wallS, rssMB, stderr });
    });
  });
}

/** Run fn n times; stop early after a failed run (no point repeating a crash or a timeout). */
async function repeat(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await fn(i);
    runs.push(r);
    if (r.code !== 0 || r.timedOut) break;
  }
  return runs;
}

function summarizeRuns(runs) {
  const bad = runs.find((r) => r.code !== 0 || r.timedOut);
  if (bad) return { ok: false, last: bad };
  const ok = runs;
  return {
    ok: true,
    wallS: median(ok.map((r) => r.wallS)),
    minS: Math.min(...ok.map((r) => r.wallS)),
    rssMB: ok.some((r) => r.rssMB !== null) ? Math.max(...ok.map((r) => r.rssMB ?? 0)) : null,
    runs: ok.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Plans

function ensurePlan(n) {
  const file = defaultPlanPath(n);
  const metaFile = `${file}.meta.json`;
  // The cache key includes a hash of the generator's source, so editing it regenerates the plans.
  const source = createHash('sha256')
    .update(readFileSync(join(BENCH, 'generate-plan.mjs')))
    .digest('hex')
    .slice(0, 16);
  const want = { generator: GENERATOR_VERSION, source, seed: SEED, resources: n };
  if (existsSync(file) && existsSync(metaFile)) {
    try {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
      const same = ['generator', 'source', 'seed', 'resources'].every((k) => meta[k] === want[k]);
      if (same && meta.bytes === statSync(file).size) return { file, ...meta, cached: true };
    } catch {}
  }
  log(`generating ${rel(file)} (${n} resources, seed ${SEED})`);
  const t0 = performance.now();
  const s = generatePlan(n, file, { seed: SEED });
  const meta = { ...want, bytes: s.bytes, byAction: s.byAction, inModules: s.inModules };
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  log(`  ${(s.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { file, ...meta, cached: false };
}

// ---------------------------------------------------------------------------------------------
// Tools

const PARSE_ONLY = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";

function wardenAvailable() {
  return existsSync(WARDEN_CLI);
}

async function runWarden(plan, n) {
  if (!wardenAvailable()) return { status: 'warden: CLI not built' };
  const out = join(OUT, `warden-${n}.json`);
  const runs = await repeat(RUNS, () => {
    rmSync(out, { force: true });
    return measure(process.execPath, [
      WARDEN_CLI,
      'scan',
      plan.file,
      '--format',
      'json',
      '-o',
      out,
      '--soft-fail',
      // The gate as CI runs it, like the peers: recording history is measured by bench/drift.mjs.
      '--no-store',
    ]);
  });
  const s = summarizeRuns(runs);
  if (!s.ok) {
    const r = s.last;
    log(
      `warden failed on ${n} (exit ${r.code}${r.signal ? `, ${r.signal}` : ''}):\n${r.stderr.trim().split('\n').slice(-15).join('\n')}`,
    );
    return { status: `warden: failed (exit ${r.code ?? r.signal})` };
  }
  let counts = null;
  try {
    counts = countWarden(JSON.parse(readFileSync(out, 'utf8')));
  } catch (e) {
    log(`warden output ${rel(out)} is not the documented JSON: ${e.message}`);
  }
  return { status: 'ok', ...s, counts, output: rel(out) };
}

/** Counts from Warden's JSON report (docs/DESIGN.md section 4). */
function countWarden(report) {
  const summary = report.summary ?? {};
  const results = Array.isArray(report.results) ? report.results : [];
  const ids = new Set();
  for (const r of results) if (r?.resource?.id !== undefined) ids.add(r.resource.id);
  const pick = (k) =>
    typeof summary[k] === 'number' ? summary[k] : results.filter((r) => r?.status === k).length;
  // Resources scanned: the report's own count if it has one, else resources that have at least one result.
  const scanned = summary.resources ?? summary.resourcesScanned ?? report.stats?.resources ?? ids.size;
  return {
    resources: scanned,
    fail: pick('fail'),
    pass: pick('pass'),
    error: pick('error'),
    unknown: pick('unknown'),
    exempt: pick('exempt'),
    results: results.length,
  };
}

const CHECKOV_ENV = {
  // No network here (nor needed): skip the PyPI update check and the platform metadata download,
  // which would otherwise wait on network timeouts and inflate Checkov's time unfairly.
  CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true',
  BC_SKIP_MAPPING: 'TRUE',
  LOG_LEVEL: 'WARNING',
};

function pinnedCheckovVersion() {
  const m = readFileSync(CHECKOV_REQ, 'utf8').match(/^checkov==(\S+)/m);
  return m ? m[1] : null;
}

function installedCheckovVersion() {
  if (!existsSync(CHECKOV_BIN)) return null;
  const r = spawnSync(CHECKOV_BIN, ['--version'], { encoding: 'utf8', env: { ...env, ...CHECKOV_ENV } });
  return r.status === 0 ? r.stdout.trim() : null;
}

let checkovState = null;
function ensureCheckov() {
  checkovState ??= installCheckov();
  return checkovState;
}

function installCheckov() {
  const pinned = pinnedCheckovVersion();
  const have = installedCheckovVersion();
  if (have && have === pinned) return { ok: true, version: have };
  log(`installing checkov==${pinned} into ${rel(VENV)} (first use; takes a minute or more)`);
  try {
    if (!existsSync(join(VENV, 'bin', 'python')))
      execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(
      join(VENV, 'bin', 'python'),
      ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', CHECKOV_REQ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch (e) {
    log(`checkov install failed: ${e.message}`);
    return { ok: false, status: 'checkov: install failed' };
  }
  const version = installedCheckovVersion();
  return version ? { ok: true, version } : { ok: false, status: 'checkov: install failed' };
}

async function runCheckov(plan, n) {
  if (SKIP_PEERS) return { status: 'skipped' };
  if (typeof n === 'number' && n > PEER_MAX) return { status: `skipped (> BENCH_PEER_MAX ${PEER_MAX})` };
  const ck = ensureCheckov();
  if (!ck.ok) return { status: ck.status };
  const out = join(OUT, `checkov-${n}.json`);
  const args = [
    '-f',
    plan.file,
    '--framework',
    'terraform_plan',
    '-o',
    'json',
    '--quiet',
    '--compact',
    '--skip-download',
    '--soft-fail',
  ];
  const runs = await repeat(PEER_RUNS, () =>
    measure(CHECKOV_BIN, args, { timeoutS: PEER_TIMEOUT, stdoutFile: out, extraEnv: CHECKOV_ENV }),
  );
  if (runs.some((r) => r.timedOut)) return { status: 'timeout', timeoutS: PEER_TIMEOUT };
  const s = summarizeRuns(runs);
  if (!s.ok) {
    const r = s.last;
    log(`checkov failed on ${n} (exit ${r.code}):\n${r.stderr.trim().split('\n').slice(-15).join('\n')}`);
    return { status: `checkov: failed (exit ${r.code ?? r.signal})` };
  }
  let counts = null;
  try {
    const raw = JSON.parse(readFileSync(out, 'utf8'));
    const rep = (Array.isArray(raw) ? raw : [raw]).find((x) => x.check_type === 'terraform_plan') ?? raw;
    const sm = rep.summary ?? {};
    counts = {
      resources: sm.resource_count,
      failed: sm.failed,
      passed: sm.passed,
      parsingErrors: sm.parsing_errors,
    };
  } catch (e) {
    log(`checkov output ${rel(out)} unreadable: ${e.message}`);
  }
  return { status: 'ok', ...s, counts, output: rel(out) };
}

// ---------------------------------------------------------------------------------------------
// Report

function machineInfo() {
  let model = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) model = m[1].trim();
  } catch {}
  const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    python: py.status === 0 ? (py.stdout || py.stderr).trim().replace(/^Python /, '') : 'not found',
  };
}

const f = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const int = (x) => (x === null || x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));

function wardenCell(w, key) {
  if (w.status !== 'ok') return key === 'wall' ? w.status : '–';
  if (key === 'wall') return f(w.wallS);
  if (key === 'rss') return f(w.rssMB, 0);
  return int(w.rate);
}

function checkovCell(c, key) {
  if (c.status === 'timeout') return key === 'wall' ? `>${c.timeoutS} s` : '–';
  if (c.status !== 'ok') return key === 'wall' ? c.status : '–';
  return key === 'wall' ? f(c.wallS, 1) : f(c.rssMB, 0);
}

function ratioCell(w, c) {
  if (w.status !== 'ok') return 'n/a';
  if (c.status === 'timeout') return `>${Math.floor(c.timeoutS / w.wallS)}x`;
  if (c.status !== 'ok') return 'n/a';
  return `${(c.wallS / w.wallS).toFixed(c.wallS / w.wallS >= 100 ? 0 : 1)}x`;
}

function render(rows, startup, info) {
  const L = [];
  L.push('# Warden benchmark');
  L.push('');
  L.push(
    '| resources | plan MB | JSON.parse floor s | Warden wall s | Warden peak RSS MB | Warden resources/s | Checkov wall s | Checkov peak RSS MB | Checkov / Warden |',
  );
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    L.push(
      `| ${r.label} | ${f(r.planMB, 1)} | ${r.parse.ok ? f(r.parse.wallS) : 'failed'} | ${wardenCell(r.warden, 'wall')} | ${wardenCell(r.warden, 'rss')} | ${wardenCell(r.warden, 'rate')} | ${checkovCell(r.checkov, 'wall')} | ${checkovCell(r.checkov, 'rss')} | ${ratioCell(r.warden, r.checkov)} |`,
    );
  }
  L.push('');
  L.push('What each tool reported on the same plan:');
  L.push('');
  L.push(
    '| resources | Warden resources scanned | Warden fail | pass | error | unknown | exempt | Checkov resources | Checkov failed | Checkov passed |',
  );
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const w = r.warden.counts;
    const c = r.checkov.counts;
    const wc = w ? [w.resources, w.fail, w.pass, w.error, w.unknown, w.exempt].map(int) : Array(6).fill('–');
    const cc = c ? [c.resources, c.failed, c.passed].map(int) : Array(3).fill('–');
    L.push(`| ${r.label} | ${wc.join(' | ')} | ${cc.join(' | ')} |`);
  }
  L.push('');
  L.push(
    `Floors: Node start-up (\`node -e 0\`) ${startup.ok ? `${f(startup.wallS, 3)} s, ${f(startup.rssMB, 0)} MB RSS` : 'failed'}; ` +
      `Warden start-up (\`warden --version\`: Node plus loading the bundle) ${startup.warden?.ok ? `${f(startup.warden.wallS, 3)} s` : 'n/a'}; ` +
      '"JSON.parse floor" = a Node process that only reads and JSON.parse()s the plan (start-up included).',
  );
  L.push(
    `Wall time = median of ${RUNS} run(s) for Warden and the floors, ${PEER_RUNS} for Checkov; peak RSS = max ru_maxrss over those runs (${pickMeter()}).`,
  );
  const targets = [];
  const at = (n) => rows.find((r) => r.n === n && !r.label.includes('(') && r.warden.status === 'ok')?.warden;
  const w10 = at(10000);
  const w100 = at(100000);
  if (w10)
    targets.push(
      `10k ≤ 0.6 s: ${w10.wallS <= 0.6 ? 'met' : 'MISSED'} (${f(w10.wallS)} s); 10k ≤ 300 MB: ${w10.rssMB === null ? 'n/a' : w10.rssMB <= 300 ? 'met' : 'MISSED'} (${f(w10.rssMB, 0)} MB)`,
    );
  if (w100) targets.push(`100k ≤ 5 s: ${w100.wallS <= 5 ? 'met' : 'MISSED'} (${f(w100.wallS)} s)`);
  const ratios = rows.filter(
    (r) => r.warden.status === 'ok' && (r.checkov.status === 'ok' || r.checkov.status === 'timeout'),
  );
  if (ratios.length) {
    const worst = ratios
      .map((r) => ({
        bound: r.checkov.status === 'timeout',
        x: (r.checkov.status === 'timeout' ? r.checkov.timeoutS : r.checkov.wallS) / r.warden.wallS,
      }))
      .sort((a, b) => a.x - b.x)[0];
    // A timed-out Checkov run only gives a lower bound on the ratio: below 100x it proves nothing.
    const verdict = worst.x >= 100 ? 'met' : worst.bound ? 'undecided (Checkov timed out)' : 'MISSED';
    targets.push(
      `≥ 100x faster than Checkov: ${verdict} (lowest ratio ${worst.bound ? '>' : ''}${worst.x.toFixed(1)}x)`,
    );
  }
  if (targets.length) L.push(`Targets: ${targets.join('; ')}.`);
  L.push(
    `Versions: Node ${info.node}, Python ${info.python}, Checkov ${info.checkov}, Warden ${info.warden}, plan generator v${GENERATOR_VERSION} (seed ${SEED}).`,
  );
  L.push(`Machine: ${info.nproc} × ${info.model}, ${info.memGiB} GiB RAM, ${info.kernel}.`);
  return `${L.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  mkdirSync(OUT, { recursive: true });
  log(
    `sizes ${SIZES.join(', ')}; ${RUNS} run(s) each; peers ${SKIP_PEERS ? 'skipped' : `timeout ${PEER_TIMEOUT} s`}; meter ${pickMeter()}`,
  );
  if (!wardenAvailable())
    log(`${rel(WARDEN_CLI)} not found: Warden columns will read 'warden: CLI not built'`);

  const startup = summarizeRuns(
    await repeat(Math.max(RUNS, 5), () => measure(process.execPath, ['-e', '0'])),
  );
  // The CLI's own floor: Node start-up plus loading the bundle (and nothing else).
  startup.warden = wardenAvailable()
    ? summarizeRuns(
        await repeat(Math.max(RUNS, 5), () => measure(process.execPath, [WARDEN_CLI, '--version'])),
      )
    : null;
  const rows = [];
  const jobs = [...SIZES.map((n) => ({ n })), ...EXTRA_PLANS.map((file) => ({ file }))];
  for (const job of jobs) {
    let plan;
    if (job.file) {
      if (!existsSync(job.file)) {
        log(`BENCH_PLANS: ${job.file} not found, skipped`);
        continue;
      }
      const rc = JSON.parse(readFileSync(job.file, 'utf8')).resource_changes ?? [];
      plan = { file: job.file, bytes: statSync(job.file).size, resources: rc.length };
    } else {
      plan = ensurePlan(job.n);
    }
    const n = plan.resources;
    const tag = job.file ? `${rel(job.file)} (${n})` : String(n);
    log(`${tag}: JSON.parse floor`);
    const parse = summarizeRuns(
      await repeat(RUNS, () => measure(process.execPath, ['-e', PARSE_ONLY, plan.file])),
    );
    log(`${tag}: warden`);
    const warden = await runWarden(plan, job.file ? `extra-${jobs.indexOf(job)}` : n);
    if (warden.status === 'ok') warden.rate = n / warden.wallS;
    log(
      `${tag}: ${warden.status === 'ok' ? `warden ${f(warden.wallS)} s, ${f(warden.rssMB, 0)} MB` : warden.status}`,
    );
    log(`${tag}: checkov${SKIP_PEERS ? ' (skipped)' : ''}`);
    const checkov = await runCheckov(plan, job.file ? `extra-${jobs.indexOf(job)}` : n);
    if (!SKIP_PEERS)
      log(
        `${tag}: checkov: ${checkov.status === 'ok' ? `${f(checkov.wallS, 1)} s, ${f(checkov.rssMB, 0)} MB` : checkov.status}`,
      );
    rows.push({
      n,
      label: job.file ? `${int(n)} (${rel(job.file)})` : int(n),
      planMB: plan.bytes / 1e6,
      plan: rel(plan.file),
      parse,
      warden,
      checkov,
    });
  }

  const info = machineInfo();
  info.checkov = SKIP_PEERS ? 'skipped' : (checkovState?.version ?? 'not installed');
  try {
    info.warden = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  } catch {
    info.warden = '?';
  }
  if (!wardenAvailable()) info.warden += ' (CLI not built)';
  const md = render(rows, startup, info);
  writeFileSync(join(OUT, 'results.md'), md);
  writeFileSync(
    join(OUT, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), info, runs: RUNS, peerRuns: PEER_RUNS, meter: pickMeter(), startup, rows }, null, 2)}\n`,
  );
  process.stdout.write(md);
  log(`written ${rel(join(OUT, 'results.md'))} and ${rel(join(OUT, 'results.json'))}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
