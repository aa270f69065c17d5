import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * moto's server on a free loopback port: the real AWS API emulator the live-source tests run against
 * (installed into .venv by scripts/setup-python.mjs, which `node scripts/run-tests.mjs` runs first).
 */
export interface Moto {
  endpoint: string;
  /** Forgets every resource in every account and region (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

// The SDK warns on stderr about future Node versions; test output is for test results.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = new URL('../..', import.meta.url).pathname;
const MOTO_SERVER = join(ROOT, '.venv', 'bin', 'moto_server');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  // Bounded: 150 polls × 100 ms. moto imports every service on start, which takes a few seconds.
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${log()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not become ready: ${log()}`);
}

export async function startMoto(): Promise<Moto> {
  if (!existsSync(MOTO_SERVER)) throw new Error('moto_server missing: run `node scripts/setup-python.mjs`');
  const port = await freePort();
  // moto logs every request; a log file (not a pipe) never fills up and stalls it while the test's
  // event loop is busy.
  const logDir = mkdtempSync(join(tmpdir(), 'warden-moto-'));
  const logFile = join(logDir, 'moto.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
      // Keep moto from reaching out for anything; every test is loopback only.
      MOTO_ALLOW_NONEXISTENT_REGION: 'false',
      // moto's catalogue of ~1,300 public AMIs and their snapshots would drown every scenario.
      MOTO_EC2_LOAD_DEFAULT_AMIS: 'false',
    },
    stdio: ['ignore', 'ignore', logFd],
  });
  closeSync(logFd);
  const stderr = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      rmSync(logDir, { recursive: true, force: true });
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    await waitReady(endpoint, child, stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    stop,
  };
}

export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIAFAKEFORTESTS0001',
  secretAccessKey: 'fake-secret-for-tests',
};

/** SDK client config for building scenarios with real SDK calls against moto. */
export function testClientConfig(endpoint: string, region = 'us-east-1'): Record<string, unknown> {
  return {
    endpoint,
    region,
    credentials: FAKE_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 2,
  };
}
