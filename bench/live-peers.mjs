#!/usr/bin/env node
// Live benchmark with peers (issue 4): one moto server populated with the issue's account (scaled by
// BENCH_AWS_SCALE), then Warden (`scan --aws`), Cloud Custodian (bench/custodian-live.yml) and Prowler
// (the equivalent checks) scan it in turn through one counting loopback proxy, which counts every
// tool's API calls the same way. Prints wall time, peak RSS (GNU time) and API calls in total and per
// resource type, side by side. Peers install on first use into bench/.venv-prowler and
// bench/.venv-custodian at the versions pinned in bench/requirements-peers.txt.
// Run: `npm run build && BENCH_AWS_SCALE=0.05 node --import tsx bench/live-peers.mjs`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAwsProxy } from '../test/support/aws-proxy.ts';
import { FAKE_CREDENTIALS, startMoto } from '../test/support/moto.ts';
import { populate, region, sizes } from './live-aws-populate.mjs';

const root = new URL('..', import.meta.url).pathname;
const bench = join(root, 'bench');
const timeoutS = Number(process.env.BENCH_PEER_TIMEOUT ?? '900');

function pin(pkg) {
  const line = readFileSync(join(bench, 'requirements-peers.txt'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${pkg}==`));
  if (!line) throw new Error(`no pin for ${pkg} in bench/requirements-peers.txt`);
  return line.trim();
}

/** A venv per peer, (re)installed when its pin changes. */
function ensureVenv(name, pkg) {
  const dir = join(bench, `.venv-${name}`);
  const want = pin(pkg);
  const stamp = join(dir, '.warden-pin');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return dir;
  if (!existsSync(join(dir, 'bin', 'python')))
    spawnSync('python3', ['-m', 'venv', dir], { stdio: 'inherit' });
  const r = spawnSync(join(dir, 'bin', 'pip'), ['install', '-q', want], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`pip install ${want} failed`);
  writeFileSync(stamp, want);
  return dir;
}

/** Which resource type an API call serves, for calls per resource type. */
function typeOf(i) {
  if (i.service === 's3') return 'bucket';
  if (i.service === 'iam') return 'role';
  if (i.service === 'ec2') {
    if (/Instance/.test(i.operation)) return 'instance';
    if (/SecurityGroup/.test(i.operation)) return 'security group';
    if (/Snapshot/.test(i.operation)) return 'snapshot';
  }
  return 'other';
}
const PER = {
  instance: sizes.instances,
  'security group': sizes.securityGroups,
  bucket: sizes.buckets,
  role: sizes.roles,
  snapshot: sizes.snapshots,
};

/** Runs a command under GNU time through the proxy; the counter is reset first. */
function timed(cmd, args, env, counts) {
  counts.clear();
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '@@ %e %M', cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        ...env,
      },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    child.stderr.on('data', (d) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = /@@ ([\d.]+) (\d+)/.exec(out);
      const byType = {};
      let total = 0;
      for (const [key, n] of counts) {
        const t = key.split('|')[0];
        byType[t] = (byType[t] ?? 0) + n;
        total += n;
      }
      resolve({
        code,
        wallS: m ? Number(m[1]) : Number.NaN,
        peakRssMb: m ? Math.round(Number(m[2]) / 1024) : Number.NaN,
        total,
        byType,
        ops: Object.fromEntries(counts),
        tail: out.split('\n').slice(-15).join('\n'),
      });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'warden-live-peers-'));
const moto = await startMoto();
const counts = new Map();
const proxy = await startAwsProxy(moto.endpoint, (i) => {
  const key = `${typeOf(i)}|${i.service}:${i.operation}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return undefined;
});
const endpoint = { AWS_ENDPOINT_URL: proxy.endpoint };
const runs = [];
try {
  const t0 = performance.now();
  await populate(moto.endpoint);
  const populateS = (performance.now() - t0) / 1000;
  console.error(`populated moto in ${populateS.toFixed(1)} s: ${JSON.stringify(sizes)}`);

  runs.push([
    'Warden scan --aws',
    await timed(
      process.execPath,
      [
        join(root, 'dist/bundle/warden.js'),
        'scan',
        '--aws',
        '--regions',
        region,
        '--format',
        'json',
        '-o',
        join(work, 'warden.json'),
      ],
      { ...endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      counts,
    ),
  ]);
  if (!process.env.BENCH_SKIP_PEERS) {
    const custodian = ensureVenv('custodian', 'c7n');
    runs.push([
      'Cloud Custodian run',
      await timed(
        join(custodian, 'bin', 'custodian'),
        [
          'run',
          '--cache-period',
          '0',
          '-s',
          join(work, 'custodian'),
          '-r',
          region,
          join(bench, 'custodian-live.yml'),
        ],
        endpoint,
        counts,
      ),
    ]);
    const prowler = ensureVenv('prowler', 'prowler');
    runs.push([
      'Prowler aws',
      await timed(
        join(prowler, 'bin', 'prowler'),
        [
          'aws',
          '--region',
          region,
          '--no-banner',
          '--output-formats',
          'csv',
          '--output-directory',
          join(work, 'prowler'),
          '--checks',
          'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22',
          'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389',
          'ec2_instance_imdsv2_enabled',
          's3_bucket_public_access',
          's3_bucket_default_encryption',
          'ec2_ebs_public_snapshot',
          'iam_role_cross_account_readonlyaccess_policy',
        ],
        endpoint,
        counts,
      ),
    ]);
  }

  const types = Object.keys(PER);
  const lines = [
    `## Live AWS scan with peers on moto (${region}; ${Object.entries(sizes)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}; population ${populateS.toFixed(0)} s)`,
    '',
    `| tool | exit | wall s | peak RSS MB | API calls | ${types.map((t) => `calls/${t}`).join(' | ')} | other calls |`,
    `|---|---|---|---|---|${types.map(() => '---').join('|')}|---|`,
    ...runs.map(
      ([name, r]) =>
        `| ${name} | ${r.code} | ${r.wallS} | ${r.peakRssMb} | ${r.total} | ${types
          .map((t) => ((r.byType[t] ?? 0) / Math.max(1, PER[t])).toFixed(2))
          .join(' | ')} | ${r.byType.other ?? 0} |`,
    ),
  ];
  const text = `${lines.join('\n')}\n`;
  const out = join(bench, 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'live-peers.md'), text);
  writeFileSync(join(out, 'live-peers.json'), JSON.stringify({ sizes, populateS, runs }, null, 2));
  process.stdout.write(text);
  for (const [name, r] of runs) if (r.code !== 0) console.error(`--- ${name} exited ${r.code}:\n${r.tail}`);
} finally {
  await proxy.stop();
  await moto.stop();
  rmSync(work, { recursive: true, force: true });
}
