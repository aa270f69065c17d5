import { readFileSync } from 'node:fs';
import type { Inventory, Resource } from '../model/resource.js';
import { parseJson } from '../sources/index.js';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';

/**
 * Reader for `warden collect` snapshots (`{"kind":"warden-inventory","version":1,…}`). Kept here
 * until the live source's shared loader reads them; drift only needs resources.
 */
export function isInventorySnapshot(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && (doc as { kind?: unknown }).kind === 'warden-inventory';
}

function checkResource(r: unknown, i: number, file: string): Resource {
  const o = r as Record<string, unknown>;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    typeof o.id === 'string' &&
    typeof o.type === 'string' &&
    typeof o.provider === 'string' &&
    typeof o.config === 'object' &&
    o.config !== null &&
    !Array.isArray(o.config);
  if (!ok) throw new InputError(`resources[${i}] is not a resource (needs id, type, provider, config)`, file);
  const res = o as unknown as Resource;
  return {
    ...res,
    account: typeof o.account === 'string' ? o.account : '',
    region: typeof o.region === 'string' ? o.region : '',
    name: typeof o.name === 'string' ? o.name : res.id,
    tags: typeof o.tags === 'object' && o.tags !== null ? res.tags : {},
    source: typeof o.source === 'object' && o.source !== null ? res.source : { kind: 'snapshot', file },
  };
}

export function readInventorySnapshot(doc: unknown, file: string): Inventory {
  const d = doc as Record<string, unknown>;
  if (d.version !== 1)
    throw new InputError(`unsupported warden-inventory version ${String(d.version)}`, file);
  if (!Array.isArray(d.resources)) throw new InputError('warden-inventory without a resources list', file);
  return {
    resources: d.resources.map((r, i) => checkResource(r, i, file)),
    unsupported: (d.unsupported as Record<string, number>) ?? {},
    inputs: [file],
  };
}

/** Reads a file if it is a snapshot; `undefined` otherwise (it is then some other input kind). */
export function tryReadSnapshotFile(path: string): Inventory | undefined {
  if (!/\.json$/i.test(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (!text.includes('"warden-inventory"')) return undefined;
  const doc = parseJson(text, path);
  return isInventorySnapshot(doc) ? readInventorySnapshot(doc, displayPath(path)) : undefined;
}
