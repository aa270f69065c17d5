import { spawnSync } from 'node:child_process';
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
