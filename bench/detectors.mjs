#!/usr/bin/env node
// Throughput of the log detectors (read + parse + detect) and of the CloudTrail event parser on
// generated logs of realistic size. Needs `npm run build` (reads dist/). Writes bench/out/detectors.md.
//   BENCH_DETECTOR_MB=100 node bench/detectors.mjs     # size of each generated log (default 100 MB)
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });
const MB = Number(process.env.BENCH_DETECTOR_MB ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const d = await import(join(root, 'dist', 'detectors', 'index.js'));
const ev = await import(join(root, 'dist', 'events', 'index.js'));

// Deterministic PRNG (mulberry32) so every run measures the same bytes.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/',
  '/api/orders',
  '/api/orders/1234',
  '/static/app.js',
  '/static/app.css',
  '/login',
  '/health',
  '/api/cart',
];
const PROBES = ['/admin/', '/.env', '/phpmyadmin/', '/wp-login.php', '/.git/config', '/manager/html'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'okhttp/4.12.0',
];

async function generate(file, targetBytes, line) {
  if (existsSync(file) && statSync(file).size >= targetBytes) return;
  const w = createWriteStream(file);
  const r = rng(20261123);
  let bytes = 0;
  let i = 0;
  let chunk = [];
  while (bytes < targetBytes) {
    const l = line(i++, r);
    bytes += l.length + 1;
    chunk.push(l);
    if (chunk.length === 10_000) {
      if (!w.write(`${chunk.join('\n')}\n`)) await new Promise((res) => w.once('drain', res));
      chunk = [];
    }
  }
  w.write(`${chunk.join('\n')}\n`);
  await new Promise((res) => w.end(res));
}

const t0 = Date.parse('2026-11-23T00:00:00Z');
const ip = (r) =>
  `${1 + Math.floor(r() * 222)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
// Besides background noise, one scanner burst (8 probes in 24 ms) every 100k requests.
function request(i, r) {
  if (i % 100_000 < 8) {
    const path = PROBES[i % PROBES.length];
    const agent = (i / 100_000) % 2 < 1 ? 'Mozilla/5.0 zgrab/0.x' : AGENTS[0];
    return {
      time: new Date(t0 + i * 3).toISOString().replace('Z', '123Z'),
      path,
      status: 404,
      agent,
      client: `203.0.113.${Math.floor(i / 100_000) % 250}`,
    };
  }
  const probe = r() < 0.002;
  const path = probe ? PROBES[Math.floor(r() * PROBES.length)] : PATHS[Math.floor(r() * PATHS.length)];
  const status = probe ? 404 : r() < 0.97 ? 200 : 404;
  return {
    time: new Date(t0 + i * 3).toISOString().replace('Z', '123Z'),
    path,
    status,
    agent: AGENTS[i % AGENTS.length],
    client: ip(r),
  };
}
const albLine = (i, r) => {
  const q = request(i, r);
  return `https ${q.time} app/web-prod/50dc6c495c0c9188 ${q.client}:${40000 + (i % 20000)} 10.0.1.${i % 250}:8080 0.001 0.012 0.000 ${q.status} ${q.status} 512 ${1000 + (i % 5000)} "GET https://shop.example.com:443${q.path}?id=${i} HTTP/1.1" "${q.agent}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "shop.example.com" "arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012" 0 ${q.time} "forward" "-" "-" "10.0.1.${i % 250}:8080" "${q.status}" "-" "-" TID_1234abcd`;
};
const classicLine = (i, r) => {
  const q = request(i, r);
  return `${q.time} web-prod-elb ${q.client}:${40000 + (i % 20000)} 10.0.1.${i % 250}:80 0.000073 0.001048 0.000057 ${q.status} ${q.status} 0 ${1000 + (i % 5000)} "GET http://shop.example.com:80${q.path} HTTP/1.1" "${q.agent}" - -`;
};
// Besides background traffic, 30 SSH attempts from one source every 50k records.
const flowLine = (i, r) => {
  const start0 = 1795000000 + Math.floor(i / 50);
  if (i % 50_000 < 30)
    return `2 111122223333 eni-0bastion0000000001 198.51.100.${Math.floor(i / 50_000) % 250} 10.0.0.10 ${30000 + (i % 30000)} 22 6 4 320 ${start0} ${start0 + 60} ACCEPT OK`;
  const admin = r() < 0.01;
  const port = admin ? (r() < 0.7 ? 22 : 3389) : [443, 80, 5432, 8080][i % 4];
  const start = 1795000000 + Math.floor(i / 50);
  return `2 111122223333 eni-0a${(i % 400).toString(16).padStart(15, '0')} ${ip(r)} 10.0.${i % 200}.${i % 250} ${1024 + (i % 60000)} ${port} 6 ${1 + (i % 40)} ${100 + (i % 9000)} ${start} ${start + 60} ${r() < 0.8 ? 'ACCEPT' : 'REJECT'} OK`;
};

const target = MB * 1024 * 1024;
const files = {
  alb: join(out, `alb-${MB}mb-v2.txt`),
  classic: join(out, `classic-${MB}mb-v2.txt`),
  flow: join(out, `flow-${MB}mb-v2.txt`),
};
await generate(files.alb, target, albLine);
await generate(files.classic, target, classicLine);
await generate(files.flow, target, flowLine);
files.flowGz = `${files.flow}.gz`;
if (!existsSync(files.flowGz)) writeFileSync(files.flowGz, gzipSync(readFileSync(files.flow), { level: 6 }));

// CloudTrail: a day of trail files' worth of records in one file.
const ctFile = join(out, 'cloudtrail-100k.json.gz');
if (!existsSync(ctFile)) {
  const names = [
    ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { groupId: 'sg-0a1b2c3d' }],
    ['s3.amazonaws.com', 'PutBucketPolicy', { bucketName: 'acme-data' }],
    [
      'iam.amazonaws.com',
      'AttachRolePolicy',
      { roleName: 'app', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ],
    ['ec2.amazonaws.com', 'DescribeInstances', {}],
    ['sts.amazonaws.com', 'AssumeRole', { roleArn: 'arn:aws:iam::111122223333:role/x' }],
  ];
  const records = Array.from({ length: 100_000 }, (_, i) => {
    const [source, name, params] = names[i % names.length];
    return {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/ci/deploy',
        accountId: '111122223333',
      },
      eventTime: new Date(t0 + i * 1000).toISOString(),
      eventSource: source,
      eventName: name,
      awsRegion: 'eu-west-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-sdk-go-v2/1.30',
      requestParameters: params,
      responseElements: null,
      requestID: `r-${i}`,
      eventID: `e-${i}`,
      readOnly: name.startsWith('Describe'),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
    };
  });
  writeFileSync(ctFile, gzipSync(JSON.stringify({ Records: records })));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows = [];
async function measure(label, bytes, fn) {
  const times = [];
  let info;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    info = await fn();
    times.push((performance.now() - started) / 1000);
  }
  const s = median(times);
  const row = {
    label,
    mb: bytes / 1048576,
    seconds: s,
    mbPerSec: bytes / 1048576 / s,
    mbPerMin: (bytes / 1048576 / s) * 60,
    ...info,
  };
  rows.push(row);
  console.log(
    `${label}: ${row.mb.toFixed(0)} MB in ${s.toFixed(2)} s = ${row.mbPerSec.toFixed(1)} MB/s (${info.records} records, ${info.findings} findings)`,
  );
}

const src = (path) => [{ kind: 'file', path }];
const size = (p) => statSync(p).size;
await measure('ALB access log → scanner detector', size(files.alb), async () => {
  const r = await d.detectLbScanners(src(files.alb));
  return { records: r.parsed, findings: r.results.length };
});
await measure('Classic ELB access log → scanner detector', size(files.classic), async () => {
  const r = await d.detectLbScanners(src(files.classic));
  return { records: r.parsed, findings: r.results.length };
});
await measure('VPC flow log (v2) → SSH/RDP brute force', size(files.flow), async () => {
  const r = await d.detectFlowBruteForce(src(files.flow));
  return { records: r.parsed, findings: r.results.length };
});
await measure('VPC flow log (v2, gzipped; MB uncompressed) → brute force', size(files.flow), async () => {
  const r = await d.detectFlowBruteForce(src(files.flowGz));
  return { records: r.parsed, findings: r.results.length };
});
const ctBytes = readFileSync(ctFile);
await measure(
  'CloudTrail trail file (100k records, gz; MB uncompressed) → ChangeEvents',
  gunzipSync(ctBytes).length,
  async () => {
    const outcomes = ev.parseCloudTrailFile(ctBytes, ctFile);
    return { records: outcomes.length, findings: outcomes.filter((o) => o.kind === 'change').length };
  },
);

const peak = process.resourceUsage().maxRSS / 1024;
const table = [
  `Detector throughput on generated logs (${MB} MB each, median of ${RUNS} runs, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores shared):`,
  '',
  '| input | size | time | MB/s | MB/min | records/s | findings |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.mb.toFixed(r.mb < 10 ? 1 : 0)} MB | ${r.seconds.toFixed(2)} s | ${r.mbPerSec.toFixed(1)} | ${r.mbPerMin.toFixed(0)} | ${Math.round(r.records / r.seconds).toLocaleString('en-US')} | ${r.findings} |`,
  ),
  '',
  `Peak RSS of the benchmark process: ${peak.toFixed(0)} MB (the detectors stream; memory grows with suspicious sources, not with log size).`,
  '',
];
writeFileSync(join(out, 'detectors.md'), table.join('\n'));
writeFileSync(join(out, 'detectors.json'), JSON.stringify(rows, null, 2));
console.log(`\n${table.join('\n')}`);
