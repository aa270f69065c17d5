import { displayPath } from '../../util/display-path.js';
import { InputError } from '../../util/errors.js';
import { readInputText } from '../../util/read-input.js';
import { parseJson } from '../json.js';
import { looksLikeSnapshot } from './index.js';
import { type InventorySnapshot, snapshotSchema } from './schema.js';

/** The one reader of inventory snapshots: a document is validated against schema.ts before use. */

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
