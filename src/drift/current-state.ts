import { type Inventory, mergeInventories } from '../model/resource.js';
import { loadInputs } from '../sources/index.js';
import { tryReadSnapshotFile } from './inventory-snapshot.js';

/**
 * The one place the store and drift commands turn paths into an inventory. When the live branch's
 * shared `loadSources(paths, opts)` lands, this is the function to point at it.
 */
export async function loadCurrentState(paths: readonly string[]): Promise<Inventory> {
  const parts: Inventory[] = [];
  const rest: string[] = [];
  for (const p of paths) {
    const snap = tryReadSnapshotFile(p);
    if (snap) parts.push(snap);
    else rest.push(p);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(await loadInputs(rest));
  return mergeInventories(parts);
}
