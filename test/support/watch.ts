import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { FAKE_CREDENTIALS } from './moto.js';

/** Helpers for end-to-end tests of `warden watch` (the built binary) against moto. */
export const WATCH_ACCOUNT = '123456789012';

let n = 0;
/** An EventBridge "AWS API Call via CloudTrail" event for an EC2 API call, as the rule delivers it. */
export function cloudTrailEvent(
  name: string,
  requestParameters: Record<string, unknown>,
  responseElements: Record<string, unknown> = { _return: true },
  eventID = `ev-${++n}`,
): string {
  return JSON.stringify({
    version: '0',
    id: `eb-${eventID}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: WATCH_ACCOUNT,
    time: new Date().toISOString(),
    region: 'us-east-1',
    detail: {
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser',
        arn: `arn:aws:iam::${WATCH_ACCOUNT}:user/alice`,
        accountId: WATCH_ACCOUNT,
      },
      eventTime: new Date().toISOString(),
      eventSource: 'ec2.amazonaws.com',
      eventName: name,
      awsRegion: 'us-east-1',
      requestParameters,
      responseElements,
      eventID,
      readOnly: false,
      recipientAccountId: WATCH_ACCOUNT,
    },
  });
}

export interface WatchLine {
  policy: string;
  change: string;
  status: string;
  resource: { id: string };
  path?: string[];
}

/** The watch process, with its stdout as parsed lines and a bounded wait for a matching line. */
export function startWatch(args: string[], home: string) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [join(process.cwd(), 'dist/bundle/warden.js'), 'watch', ...args],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        NO_COLOR: '1',
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  const lines: WatchLine[] = [];
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const parts = stdout.split('\n');
    stdout = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as WatchLine);
    wake();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  child.on('close', () => {
    clearTimeout(killer);
    wake();
  });
  async function until<T>(what: string, test: () => T | undefined, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = test();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`timed out waiting for ${what}; stderr:\n${stderr}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }
  return { child, lines, stderr: () => stderr, exited, until };
}
