import { existsSync } from 'node:fs';
import type { ScanReport } from '../engine/scan.js';
import type { Inventory } from '../model/resource.js';
import { countStatuses } from '../model/result.js';
import { DEFAULT_DB } from '../store/location.js';
import { InputError } from '../util/errors.js';
import { withStore } from './store-options.js';

/**
 * True when there is a store to read suppressions from without creating one: `--db` or WARDEN_DB
 * names it, or the default SQLite file exists. Commands that only read (report) use this so that a
 * report on a fresh machine does not leave an empty database behind.
 */
export function storeInUse(db: string | undefined): boolean {
  return !!db || !!process.env.WARDEN_DB || existsSync(DEFAULT_DB);
}

/**
 * Turns the results the store's active suppressions match into `exempt` (in place), after noting
 * the ones that expired (their notification is queued). Returns how many were suppressed.
 */
export async function applyStoredSuppressions(
  db: string | undefined,
  report: ScanReport,
  inventory: Inventory,
  now: Date,
): Promise<number> {
  const { expireSuppressions, listSuppressions } = await import('../store/suppressions.js');
  const { applySuppressions } = await import('../suppress/apply.js');
  let list: Awaited<ReturnType<typeof listSuppressions>>;
  try {
    list = await withStore(db, async (store) => {
      await expireSuppressions(store.db, now);
      return listSuppressions(store.db);
    });
  } catch (err) {
    // As when storing the scan: the scan itself worked, so say how to run it without the store.
    if (err instanceof InputError)
      throw new InputError(`${err.message} (--no-store skips the store)`, err.file);
    throw err;
  }
  if (list.length === 0) return 0;
  const byId = new Map(inventory.resources.map((r) => [r.id, r]));
  const { results, suppressed } = applySuppressions(report.results, byId, list, now);
  report.results = results;
  report.summary = countStatuses(results);
  return suppressed;
}
