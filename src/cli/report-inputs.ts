import { readFileSync, statSync } from 'node:fs';
import { type Inventory, mergeInventories } from '../model/resource.js';
import { loadInputs } from '../sources/index.js';
import { readInventorySnapshot } from '../sources/snapshot/read.js';

/** A JSON file that declares itself a Warden inventory snapshot (cheap sniff of its first bytes). */
function isSnapshotFile(path: string): boolean {
  try {
    if (!statSync(path).isFile() || !path.endsWith('.json')) return false;
    const head = readFileSync(path, 'utf8').slice(0, 4096);
    return /"kind"\s*:\s*"warden-inventory"/.test(head);
  } catch {
    return false;
  }
}

/**
 * The inventory a `report` runs on. Today: IaC paths (as `scan`) and inventory snapshot files. The
 * live sources (`--aws`, `--snapshot`, a stored `--scan`) replace this one function.
 */
export async function loadReportInventory(paths: string[]): Promise<Inventory> {
  const snapshots = paths.filter(isSnapshotFile);
  const rest = paths.filter((p) => !snapshots.includes(p));
  const parts = snapshots.map(readInventorySnapshot);
  if (rest.length > 0) parts.push(await loadInputs(rest));
  return mergeInventories(parts);
}
