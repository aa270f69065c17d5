#!/usr/bin/env node
// Live-AWS benchmark: populates moto's server with a large account, then times the built CLI's
// `scan --aws` (policy-driven enrichment) and `collect --aws` (everything) against it, printing wall
// time, peak RSS and API calls per operation and per resource. Run: `npm run build && node --import tsx
// bench/live-aws.mjs` (BENCH_AWS_SCALE=0.1 for a tenth of the issue's sizes). Peers are not run here.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto } from '../test/support/moto.ts';
import { populate, region, sizes } from './live-aws-populate.mjs';

const root = new URL('..', import.meta.url).pathname;
/** Runs the built CLI under /usr/bin/time for wall time and peak RSS; the API summary comes from stderr. */
async function runWarden(endpoint, args) {
  // Asynchronous: the moto harness lives in this process and must keep being served meanwhile.
  const r = await new Promise((resolve) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', '@@ %e %M', process.execPath, join(root, 'dist/bundle/warden.js'), ...args],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          AWS_ACCESS_KEY_ID: 'AKIAFAKEFORTESTS0001',
          AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests',
          AWS_REGION: region,
          AWS_ENDPOINT_URL: endpoint,
        },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d.toString();
    });
    child.on('close', (status) => resolve({ status, stderr }));
  });
  const m = /@@ ([\d.]+) (\d+)/.exec(r.stderr);
  const ops = [...r.stderr.matchAll(/^ {4}(\S+) (\S+): (\d+) \/ (\d+) \/ (\d+)$/gm)].map((x) => ({
    op: `${x[1]} ${x[2]}`,
    calls: Number(x[3]),
    attempts: Number(x[4]),
    throttled: Number(x[5]),
  }));
  const totals = /(\d+) resources; (\d+) API calls, (\d+) retries, (\d+) throttled/.exec(r.stderr);
  return {
    code: r.status,
    wallS: m ? Number(m[1]) : Number.NaN,
    peakRssMb: m ? Math.round(Number(m[2]) / 1024) : Number.NaN,
    resources: totals ? Number(totals[1]) : 0,
    calls: totals ? Number(totals[2]) : 0,
    retries: totals ? Number(totals[3]) : 0,
    throttled: totals ? Number(totals[4]) : 0,
    ops,
  };
}

const moto = await startMoto();
try {
  const t0 = performance.now();
  await populate(moto.endpoint);
  console.error(
    `populated moto in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(sizes)}`,
  );
  const out = join(root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const scan = await runWarden(moto.endpoint, [
    'scan',
    '--aws',
    '--regions',
    region,
    '--format',
    'json',
    '-o',
    join(out, 'live-scan.json'),
  ]);
  const collect = await runWarden(moto.endpoint, [
    'collect',
    '--aws',
    '--regions',
    region,
    '-o',
    join(out, 'live-inventory.json'),
  ]);
  const lines = [
    `## Live AWS scan on moto (${region}; ${Object.entries(sizes)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')})`,
    '',
    '| run | wall s | peak RSS MB | resources | API calls | calls/resource | retries | throttled |',
    '|---|---|---|---|---|---|---|---|',
    ...[
      ['scan --aws (policy-driven)', scan],
      ['collect --aws (everything)', collect],
    ].map(
      ([name, r]) =>
        `| ${name} | ${r.wallS} | ${r.peakRssMb} | ${r.resources} | ${r.calls} | ${(r.calls / Math.max(1, r.resources)).toFixed(3)} | ${r.retries} | ${r.throttled} |`,
    ),
    '',
    '| operation | scan calls | collect calls |',
    '|---|---|---|',
    ...[...new Set([...scan.ops, ...collect.ops].map((o) => o.op))]
      .sort()
      .map(
        (op) =>
          `| ${op} | ${scan.ops.find((o) => o.op === op)?.calls ?? 0} | ${collect.ops.find((o) => o.op === op)?.calls ?? 0} |`,
      ),
  ];
  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(out, 'live-aws.md'), text);
  process.stdout.write(text);
} finally {
  await moto.stop();
}
