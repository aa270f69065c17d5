/**
 * Where the store is, without loading the SQL layer (commands decide with it whether a store exists
 * before opening one).
 */
export const DEFAULT_DB = '.warden/warden.db';

/** `--db`, else WARDEN_DB, else the default SQLite file. */
export function resolveDbUrl(flag?: string): string {
  return flag || process.env.WARDEN_DB || DEFAULT_DB;
}
