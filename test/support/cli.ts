import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const WARDEN_BIN = join(process.cwd(), 'dist/bundle/warden.js');

/** Runs the built CLI (the `bin`) as a user would; `npm test` builds it first. */
export function runWarden(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [WARDEN_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', WARDEN_USER: 'tester', ...options.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The built CLI without blocking the event loop: for tests whose servers (loopback receivers, the
 * AWS proxy) live in this process and must keep answering while the CLI runs.
 */
export function runWardenAsync(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) fullEnv[k] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WARDEN_BIN, ...args], {
      env: fullEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
