import { userInfo } from 'node:os';
import { InvalidArgumentError } from 'commander';
import type { Store } from '../store/open.js';

/** Help text of every `--db` option. */
export const DB_HELP = 'store: SQLite file or postgres:// URL (default WARDEN_DB or .warden/warden.db)';

/** Opens the store named by `--db` / WARDEN_DB / the default, runs `fn`, and always closes it. */
export async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore, resolveDbUrl } = await import('../store/open.js');
  const store = await openStore(resolveDbUrl(db));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function whoAmI(): string {
  if (process.env.WARDEN_USER) return process.env.WARDEN_USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function parseId(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a scan id (a positive integer)');
  return Number(value);
}

export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function parseTag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

/** A date (`2026-01-31`), a full ISO time, or an age (`7d`, `12h`, `30m`) counted back from now. */
export function parseSince(value: string, now = new Date()): string {
  const age = /^(\d+)([mhd])$/.exec(value);
  if (age) {
    const ms = Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - ms).toISOString();
  }
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
    throw new InvalidArgumentError('expected a date (2026-01-31), an ISO time or an age (7d, 12h, 30m)');
  return new Date(t).toISOString();
}

/** `--until`: a duration from now (`30m`, `2h`, `1d`) or an ISO time. */
export function parseUntil(value: string, now = new Date()): string {
  const d = /^(\d+)([mhd])$/.exec(value);
  if (d) {
    const ms = Number(d[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[d[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() + ms).toISOString();
  }
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
    throw new InvalidArgumentError('expected a duration (30m, 2h, 1d) or an ISO time');
  return new Date(t).toISOString();
}

export function parseTableOrJson(value: string): 'table' | 'json' {
  if (value !== 'table' && value !== 'json') throw new InvalidArgumentError('expected table or json');
  return value;
}
