import type { ScanReport } from '../engine/scan.js';
import type { Inventory } from '../model/resource.js';
import type { VersionedResource } from '../store/resource-versions.js';
import { InputError } from '../util/errors.js';
import { withStore } from './store-options.js';

export { versionsOf } from '../store/scans.js';

/** Stores a finished scan (one transaction) and returns its id. */
export async function storeScan(
  db: string | undefined,
  inventory: Inventory,
  versions: VersionedResource[],
  report: ScanReport,
  startedAt: Date,
  apiCalls?: Record<string, number>,
): Promise<number> {
  try {
    return await writeScan(db, inventory, versions, report, startedAt, apiCalls);
  } catch (err) {
    // The scan itself worked; say how to run it without the store.
    if (err instanceof InputError)
      throw new InputError(`${err.message} (--no-store skips the store)`, err.file);
    throw err;
  }
}

async function writeScan(
  db: string | undefined,
  inventory: Inventory,
  versions: VersionedResource[],
  report: ScanReport,
  startedAt: Date,
  apiCalls?: Record<string, number>,
): Promise<number> {
  const { recordScan } = await import('../store/scans.js');
  return withStore(db, (store) =>
    recordScan(store.db, {
      inventory,
      versions,
      results: report.results,
      summary: report.summary,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      ...(apiCalls ? { apiCalls } : {}),
    }),
  );
}
