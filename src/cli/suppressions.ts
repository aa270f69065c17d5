import type { ScanReport } from '../engine/scan.js';
import type { Inventory } from '../model/resource.js';
import { countStatuses } from '../model/result.js';
import { withStore } from './store-options.js';

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
  const list = await withStore(db, async (store) => {
    await expireSuppressions(store.db, now);
    return listSuppressions(store.db);
  });
  if (list.length === 0) return 0;
  const byId = new Map(inventory.resources.map((r) => [r.id, r]));
  const { results, suppressed } = applySuppressions(report.results, byId, list, now);
  report.results = results;
  report.summary = countStatuses(results);
  return suppressed;
}
