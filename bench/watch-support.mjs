// What both watch benchmarks (bench/watch.mjs, bench/watch-mixed.mjs) share: the built `warden watch`
// as a child process on moto, and percentiles.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FAKE_CREDENTIALS } from '../test/support/moto.ts';

const root = new URL('..', import.meta.url).pathname;

export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/**
 * Starts `warden watch` on the queue and waits until its initial scan is done. With
 * BENCH_WATCH_STORE=1 every message is written to a SQLite store in `tmp`, as production does;
 * otherwise `--no-store`. Returns the child, a promise of its exit code and its stderr so far.
 */
export async function startWatch({ queueUrl, endpoint, region, tmp, events, metrics, stdout, readyMs }) {
  const store = process.env.BENCH_WATCH_STORE === '1' ? ['--db', join(tmp, 'warden.db')] : ['--no-store'];
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/bundle/warden.js'),
      'watch',
      '--aws-queue',
      queueUrl,
      '--endpoint-url',
      endpoint,
      '--regions',
      region,
      ...store,
      '--max-messages',
      String(events),
      '--metrics',
      metrics,
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: tmp,
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        AWS_REGION: region,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  const log = { stderr: '' };
  child.stderr.on('data', (d) => {
    log.stderr += d;
  });
  if (stdout) child.stdout.on('data', stdout);
  const exited = new Promise((resolve) => child.on('close', resolve));
  const ready = Date.now() + readyMs;
  while (!log.stderr.includes('warden: watching ')) {
    if (Date.now() > ready || child.exitCode !== null) throw new Error(`watch did not start:\n${log.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, exited, log };
}
