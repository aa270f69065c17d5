import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { openStore, type Store } from '../../src/store/open.js';
import { type PostgresServer, startPostgres } from './postgres.js';

export interface StoreTarget {
  kind: 'sqlite' | 'postgres';
  /** A URL (file path or postgres://) for a new, empty store. */
  freshUrl(): Promise<string>;
  /** Opens a new, empty store; closed by the suite at the end. */
  fresh(): Promise<Store>;
}

/**
 * Runs a suite once on SQLite and once on PostgreSQL: every store behaviour is tested on both
 * dialects. Each `fresh()` store is a new file or a new database.
 */
export function forEachStore(title: string, body: (target: StoreTarget) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    describe(`${title} [${kind}]`, () => {
      let server: PostgresServer | undefined;
      let dir = '';
      let n = 0;
      const opened: Store[] = [];
      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'warden-store-'));
        if (kind === 'postgres') server = await startPostgres();
      });
      after(async () => {
        for (const s of opened) await s.close().catch(() => {});
        await server?.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      const freshUrl = async () => {
        n++;
        return kind === 'postgres' ? server!.createDatabase(`t${n}`) : join(dir, `s${n}`, 'warden.db');
      };
      body({
        kind,
        freshUrl,
        async fresh() {
          const store = await openStore(await freshUrl());
          opened.push(store);
          return store;
        },
      });
    });
  }
}
