import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { InputError } from '../util/errors.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the store lives, with any password removed (safe to print). */
  location: string;
  close(): Promise<void>;
}

export { DEFAULT_DB, resolveDbUrl } from './location.js';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A connection string fit for messages: the password never reaches output. */
export function redactUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

// The drivers are native or optional-native modules: loaded with require so the bundle keeps them
// external and a scan that does not store never pays for them.
const requireDriver = createRequire(import.meta.url);

async function openSqlite(file: string): Promise<Kysely<Database>> {
  const Sqlite = requireDriver('better-sqlite3') as typeof import('better-sqlite3');
  let handle: import('better-sqlite3').Database;
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    handle = new Sqlite(file, { timeout: 15_000 });
    // WAL: readers never block the scan writing, and a killed writer leaves the last commit intact.
    handle.pragma('journal_mode = WAL');
    handle.pragma('foreign_keys = ON');
    handle.pragma('synchronous = NORMAL');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(
      `cannot open the store: ${e.code ? `${e.code} ` : ''}${e.message.split('\n')[0]}`,
      file,
    );
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
}

function openPostgres(url: string): Kysely<Database> {
  const pg = requireDriver('pg') as typeof import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

async function isCurrent(db: Kysely<Database>): Promise<boolean> {
  try {
    const row = await sql<{
      name: string;
    }>`select name from kysely_migration where name = ${LATEST_MIGRATION}`.execute(db);
    return row.rows.length > 0;
  } catch {
    return false;
  }
}

async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (await isCurrent(db)) return;
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  // Two processes creating a fresh SQLite store at once: the loser sees SQLITE_BUSY and retries,
  // then finds the migration done. Bounded: a store that stays locked is reported.
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return;
    const busy = /SQLITE_BUSY|database is locked|already exists|duplicate key/i.test(String(error));
    if (!busy || attempt >= 5) throw error;
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}

/** Opens (creating and migrating as needed) the store at a file path or a postgres:// URL. */
export async function openStore(url: string): Promise<Store> {
  const dialect: Dialect = isPostgresUrl(url) ? 'postgres' : 'sqlite';
  const location = redactUrl(url);
  const db = dialect === 'postgres' ? openPostgres(url) : await openSqlite(url);
  try {
    await migrate(db, dialect);
  } catch (err) {
    await db.destroy().catch(() => {});
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`cannot open the store: ${e.code ? `${e.code} ` : ''}${e.message}`, location);
  }
  return { db, dialect, location, close: () => db.destroy() };
}
