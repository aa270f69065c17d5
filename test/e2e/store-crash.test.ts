import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runWarden, WARDEN_BIN } from '../support/cli.js';
import { forEachStore } from '../support/stores.js';

const tmp = mkdtempSync(join(tmpdir(), 'warden-crash-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Waits for a file to appear, checking every 50 ms, for at most `ms`. */
async function waitForFile(file: string, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return existsSync(file);
}

forEachStore('a scan killed mid-transaction', (target) => {
  it('leaves the previous scan intact and the store opens cleanly', async () => {
    const db = await target.freshUrl();
    const w = (args: string[]) => runWarden([...args, '--db', db]);
    const first = w([
      'scan',
      'examples/terraform-plan/plan.json',
      '--format',
      'json',
      '-o',
      join(tmp, `${target.kind}-1.json`),
    ]);
    assert.equal(first.code, 1, first.stderr);
    const scansBefore = w(['scans', '-f', 'json']).stdout;
    const findingsBefore = w(['findings', '-f', 'json']).stdout;

    // The second scan (another input, so it would resolve nothing and add findings) pauses inside
    // its transaction, after writing its scan row and resources; it is killed there.
    const marker = join(tmp, `${target.kind}-holding`);
    const child = spawn(
      process.execPath,
      [
        WARDEN_BIN,
        'scan',
        'examples/terraform-seed',
        '--db',
        db,
        '--format',
        'json',
        '-o',
        join(tmp, `${target.kind}-2.json`),
      ],
      { env: { ...process.env, WARDEN_TEST_HOLD_SCAN: marker }, stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((r) =>
      child.once('exit', (_code, signal) => r(signal)),
    );
    try {
      assert.ok(await waitForFile(marker, 30_000), 'the scan never reached its transaction');
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');

    assert.equal(w(['scans', '-f', 'json']).stdout, scansBefore);
    assert.equal(w(['findings', '-f', 'json']).stdout, findingsBefore);
    assert.equal((JSON.parse(scansBefore) as { scans: unknown[] }).scans.length, 1);

    // And the store takes the next scan.
    const third = w([
      'scan',
      'examples/terraform-seed',
      '--format',
      'json',
      '-o',
      join(tmp, `${target.kind}-3.json`),
    ]);
    assert.equal(third.code, 1, third.stderr);
    const scans = JSON.parse(w(['scans', '-f', 'json']).stdout) as { scans: { inputs: string[] }[] };
    assert.deepEqual(
      scans.scans.map((s) => s.inputs),
      [['examples/terraform-seed'], ['examples/terraform-plan/plan.json']],
    );
  });
});
