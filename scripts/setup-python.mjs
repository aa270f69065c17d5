#!/usr/bin/env node
// Installs the AWS API emulator the live-source tests run against (moto's server) into the
// project's own venv. Idempotent and fast once done: it only checks the installed version.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const MOTO_VERSION = '5.2.5';

const root = new URL('..', import.meta.url).pathname;
const venv = join(root, '.venv');
const python = join(venv, 'bin', 'python');
const motoServer = join(venv, 'bin', 'moto_server');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function installedVersion() {
  if (!existsSync(motoServer) || !existsSync(python)) return undefined;
  const r = run(python, ['-c', 'import importlib.metadata as m; print(m.version("moto"))']);
  return r.ok ? r.out.trim() : undefined;
}

export function setupPython() {
  if (installedVersion() === MOTO_VERSION) return;
  if (!existsSync(python)) {
    const r = run('python3', ['-m', 'venv', venv]);
    if (!r.ok) throw new Error(`python3 -m venv failed:\n${r.out}`);
  }
  const r = run(python, [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--quiet',
    `moto[server]==${MOTO_VERSION}`,
  ]);
  if (!r.ok) throw new Error(`pip install moto[server]==${MOTO_VERSION} failed:\n${r.out}`);
  if (installedVersion() !== MOTO_VERSION) throw new Error('moto_server is missing after pip install');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    setupPython();
    console.log(`moto ${MOTO_VERSION} ready in .venv`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
