import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away PostgreSQL server from Debian's package: initdb into a temp dir, listen on a free
 * loopback port, stop and remove everything at the end. PostgreSQL refuses to run as root, so as root
 * the server runs as the `postgres` system user the package creates.
 */
export interface PostgresServer {
  port: number;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const BIN = (() => {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = execFileSync('ls', [base], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  const latest = versions.at(-1);
  return latest ? join(base, latest, 'bin') : undefined;
})();

export const postgresAvailable = BIN !== undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function waitForReady(port: number, dir: string, child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const tick = () => {
      if (child.exitCode !== null) {
        const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
        reject(new Error(`postgres exited: ${log.slice(-500)}`));
        return;
      }
      try {
        execFileSync(join(BIN!, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
        resolve();
      } catch {
        if (++tries > 150) reject(new Error('postgres did not start within 30 s'));
        else setTimeout(tick, 200);
      }
    };
    tick();
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  if (!BIN) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql missing); .ci/run installs it');
  const dir = mkdtempSync(join(tmpdir(), 'warden-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const [initCmd, initArgs] = asServerUser(join(BIN, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'warden',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [cmd, args] = asServerUser(join(BIN, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  await waitForReady(port, dir, child);
  const pg = (await import('pg')).default;
  return {
    port,
    async createDatabase(name) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'warden', database: 'postgres' });
      await client.connect();
      try {
        await client.query(`create database "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return `postgres://warden@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        // SIGINT is PostgreSQL's fast shutdown; runuser passes it on to the server.
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
