import { readFileSync, statSync } from 'node:fs';
import type { Inventory, Resource } from '../../model/resource.js';
import { RESOURCE_TYPES } from '../../policy/registry.js';
import { displayPath } from '../../util/display-path.js';
import { InputError } from '../../util/errors.js';
import { readInputText } from '../../util/read-input.js';
import type { AwsCollection } from '../aws/collect.js';
import { parseJson } from '../json.js';
import { type InventorySnapshot, SNAPSHOT_KIND, SNAPSHOT_VERSION, snapshotSchema } from './schema.js';

/**
 * The one reader of inventory snapshots (schema in schema.ts). A scan of a snapshot reports the same
 * collection gaps as the live scan did, so the whole document is kept, not only its resources.
 */
export { type InventorySnapshot, SNAPSHOT_KIND, SNAPSHOT_VERSION } from './schema.js';

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
    const head = readFileSync(path, 'utf8').slice(0, 512);
    return /"kind"\s*:\s*"warden-inventory"/.test(head);
  } catch {
    return false;
  }
}

/** `resources[3].tags.owner` — the JSON path of a problem, as a reader would type it. */
function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

function invalid(file: string, at: string, message: string): InputError {
  return new InputError(
    `not a valid Warden inventory snapshot: ${at ? `${at}: ` : ''}${message}`,
    displayPath(file),
  );
}

/** Validates a snapshot document; the first problem becomes one line with the file and JSON path. */
export function parseSnapshot(doc: unknown, file: string): InventorySnapshot {
  const r = snapshotSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw invalid(file, issue ? jsonPath(issue.path) : '', issue?.message ?? 'invalid');
  }
  const ids = new Set<string>();
  r.data.resources.forEach((res, i) => {
    if (ids.has(res.id)) throw invalid(file, `resources[${i}].id`, `duplicate resource id "${res.id}"`);
    ids.add(res.id);
  });
  return r.data;
}

/** Reads and validates a snapshot file. */
export function readSnapshotFile(file: string): InventorySnapshot {
  const text = readInputText(file, displayPath(file));
  const doc = parseJson(text, file);
  if (!looksLikeSnapshot(doc)) {
    throw new InputError(
      'not a Warden inventory snapshot (written by `warden collect`)',
      displayPath(file),
      1,
      1,
    );
  }
  return parseSnapshot(doc, file);
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
