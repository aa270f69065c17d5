import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FAKE_CREDENTIALS } from './moto.js';

export interface WardenRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI against moto as a user runs it: fake static credentials in the environment, the
 * endpoint through the standard AWS_ENDPOINT_URL (which the enforcer's SDK clients read too). Async
 * spawn, because moto is a child of this process and must keep answering while the CLI runs.
 */
export function wardenLive(
  args: string[],
  opts: { cwd: string; endpoint: string; env?: Record<string, string> },
): Promise<WardenRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: opts.cwd,
    NO_COLOR: '1',
    WARDEN_USER: 'tester',
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: opts.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...opts.env,
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/bundle/warden.js'), ...args], {
      cwd: opts.cwd,
      env,
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
