import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Inventory, Resource } from '../../model/resource.js';
import { RESOURCE_TYPES } from '../../policy/registry.js';
import { displayPath } from '../../util/display-path.js';
import { InputError } from '../../util/errors.js';
import { readInputText } from '../../util/read-input.js';
import type { AwsCollection } from '../aws/collect.js';
import { parseJson } from '../json.js';
import { SNAPSHOT_KIND, SNAPSHOT_VERSION } from './kind.js';
import type { InventorySnapshot } from './schema.js';

/**
 * Inventory snapshots without their schema (validation is in read.ts, loaded when a snapshot is read). A scan of a snapshot reports the same
 * collection gaps as the live scan did, so the whole document is kept, not only its resources.
 */
export { SNAPSHOT_KIND, SNAPSHOT_VERSION } from './kind.js';
export type { InventorySnapshot } from './schema.js';

export function toSnapshot(collection: AwsCollection, collectedAt: Date): InventorySnapshot {
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt: collectedAt.toISOString(),
    accounts: collection.accounts,
    resources: collection.inventory.resources as InventorySnapshot['resources'],
    unsupported: collection.inventory.unsupported,
    inputs: collection.inventory.inputs,
    stats: { api: collection.stats, failures: collection.failures, unreachable: collection.unreachable },
  };
}

/** True when a parsed JSON document claims to be a snapshot (then it must validate as one). */
export function looksLikeSnapshot(doc: unknown): boolean {
  return !!doc && typeof doc === 'object' && (doc as { kind?: unknown }).kind === SNAPSHOT_KIND;
}

/** A path on the command line that holds a snapshot (a cheap sniff of its first bytes). */
export function isSnapshotPath(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    // Only the head: the path may be a plan of hundreds of megabytes.
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(512);
      const n = readSync(fd, head, 0, head.length, 0);
      return /"kind"\s*:\s*"warden-inventory"/.test(head.toString('utf8', 0, n));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * The snapshot's resources as an inventory, each marked as read from the snapshot file. Types this
 * build does not know (a newer collector's) count as unsupported rather than failing the read.
 */
export function snapshotInventory(snapshot: InventorySnapshot, file: string): Inventory {
  const shown = displayPath(file);
  const unsupported: Record<string, number> = { ...snapshot.unsupported };
  const resources: Resource[] = [];
  for (const r of snapshot.resources) {
    if (!RESOURCE_TYPES.includes(r.type)) {
      unsupported[r.type] = (unsupported[r.type] ?? 0) + 1;
      continue;
    }
    resources.push({ ...r, source: { ...r.source, kind: 'snapshot', file: shown } } as Resource);
  }
  return { resources, unsupported, inputs: [shown] };
}
