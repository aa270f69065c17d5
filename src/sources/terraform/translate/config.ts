import { isUnknown } from '../../../model/unknown.js';
import { isMarker, type Marker, Unreadable } from './markers.js';
import { isObject } from './values.js';

/**
 * `pushUnique` compares entries as JSON would write them with sorted keys: keys holding undefined
 * do not count, numbers compare by value (and NaN and the infinities as null), undefined, functions
 * and symbols alike, and a list compares element by element (a hole only with a hole; `[]` and a
 * list of one hole alike). Entries are bucketed by a hash that equal entries share, and compared
 * within a bucket only.
 */

/** Not a hash (hashes are integers): the entry holds a marker and is never deduplicated. */
const MARKED = 0.5;
const NULL_HASH = 7;
const UNDEFINED_HASH = 11;

/** The length and five characters spread over the string: enough to tell most entries apart. */
function stringHash(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  let h = (n * 31 + s.charCodeAt(0)) | 0;
  h = (h * 31 + s.charCodeAt(n >> 2)) | 0;
  h = (h * 31 + s.charCodeAt(n >> 1)) | 0;
  h = (h * 31 + s.charCodeAt((n * 3) >> 2)) | 0;
  return (h * 31 + s.charCodeAt(n - 1)) | 0;
}

/** The hash of an entry, or MARKED when it holds a marker anywhere. */
function entryHash(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringHash(value);
    case 'number':
      return Number.isFinite(value) ? (value * 4099) | 0 : NULL_HASH;
    case 'boolean':
      return value ? 1231 : 1237;
    case 'symbol':
      return isUnknown(value) ? MARKED : UNDEFINED_HASH;
    case 'object':
      break;
    default:
      return UNDEFINED_HASH;
  }
  if (value === null) return NULL_HASH;
  if (value instanceof Unreadable) return MARKED;
  if (Array.isArray(value)) {
    let h = 17;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const e = entryHash(value[i]);
      if (e === MARKED) return MARKED;
      h = (h * 31 + e) | 0;
    }
    return h;
  }
  // Summed, so that key order does not matter.
  let h = 19;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = (value as Record<string, unknown>)[k];
    const e = entryHash(v);
    if (e === MARKED) return MARKED;
    if (v !== undefined) h = (h + ((stringHash(k) * 13 + e) | 0)) | 0;
  }
  return h;
}

/** How many own enumerable keys hold a defined value. */
function definedCount(value: Record<string, unknown>): number {
  const keys = Object.keys(value);
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (value[keys[i]!] !== undefined) n++;
  return n;
}

const isEmptyList = (list: readonly unknown[]) => list.length === 0 || (list.length === 1 && !(0 in list));

/** Equal entries (neither holding a marker), as described above. */
function sameEntry(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    if (a.length !== b.length) return isEmptyList(a) && isEmptyList(b);
    for (let i = 0; i < a.length; i++) {
      const held = i in a;
      if (held !== i in b) return false;
      if (held && !sameEntry(a[i], b[i])) return false;
    }
    return true;
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    // The same defined keys: each of a's in b, and as many in b.
    const keys = Object.keys(a);
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (a[k] === undefined) continue;
      n++;
      if (!Object.prototype.propertyIsEnumerable.call(b, k) || b[k] === undefined) return false;
      if (!sameEntry(a[k], b[k])) return false;
    }
    return n === definedCount(b);
  }
  // Different strings differ as JSON too, and from anything that is not a string.
  if (typeof a === 'string' || typeof b === 'string') return false;
  return (JSON.stringify(a) ?? 'undefined') === (JSON.stringify(b) ?? 'undefined');
}

/** The entries of a list that `pushUnique` compares against, by hash, and the entries seen. */
interface SeenEntries {
  items: unknown[];
  byHash: Map<number, unknown[]>;
}

/** True when the entry was new (and is now recorded); MARKED entries are always new. */
function remember(seen: SeenEntries, item: unknown): boolean {
  const h = entryHash(item);
  if (h === MARKED) return true;
  const bucket = seen.byHash.get(h);
  if (!bucket) {
    seen.byHash.set(h, [item]);
    return true;
  }
  for (let i = 0; i < bucket.length; i++) if (sameEntry(bucket[i], item)) return false;
  bucket.push(item);
  return true;
}

/**
 * What `pushUnique` has seen of the lists it appends to, so a parent with many joined entries does
 * not hash its whole list again for each one. It is used only while the list still starts with the
 * very entries it was built from (entries are never changed in place).
 */
const seenByList = new WeakMap<unknown[], SeenEntries>();

function seenEntries(list: unknown[]): SeenEntries {
  let seen = seenByList.get(list);
  if (seen) {
    const { items } = seen;
    let valid = items.length <= list.length;
    for (let i = 0; valid && i < items.length; i++) valid = list[i] === items[i];
    if (!valid) seen = undefined;
  }
  if (!seen) {
    seen = { items: [], byHash: new Map() };
    seenByList.set(list, seen);
  }
  for (let i = seen.items.length; i < list.length; i++) {
    const item = list[i];
    seen.items.push(item);
    // A hole is no entry (as `filter` skipped it).
    if (i in list) remember(seen, item);
  }
  return seen;
}

/**
 * Appends entries to a list in `target[key]`, skipping exact duplicates (state often lists a rule both
 * inline and as its own resource). Entries holding unknown values are never deduplicated: two
 * not-yet-known entries may well differ. A list that is itself unknown stays unknown.
 */
export function pushUnique(target: Record<string, unknown>, key: string, items: readonly unknown[]): void {
  const current = target[key];
  if (isMarker(current)) return;
  const out = Array.isArray(current) ? current : [];
  const seen = seenEntries(out);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) continue;
    if (!remember(seen, item)) continue;
    out.push(item);
    seen.items.push(item);
  }
  target[key] = out;
}

/** The object at `target[key]`, created when absent; undefined when that value is a marker or scalar. */
export function objectAt(target: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const current = target[key];
  if (current === undefined || current === null) {
    const created: Record<string, unknown> = {};
    target[key] = created;
    return created;
  }
  return isObject(current) ? current : undefined;
}

/** The first value that is known; else the first marker (so "unknown" survives); else undefined. */
export function firstKnown<T>(...values: (T | Marker | undefined)[]): T | Marker | undefined {
  let marker: Marker | undefined;
  for (const v of values) {
    if (v === undefined) continue;
    if (isMarker(v)) marker ??= v;
    else return v;
  }
  return marker;
}

/** Keeps a value only when known: for computed details whose being unknown decides nothing. */
export function ifKnown<T>(value: T | Marker | undefined): T | undefined {
  return isMarker(value) ? undefined : value;
}

/** An empty list becomes undefined (ARM and GCP omit empty plural fields). */
export function nonEmpty<T>(value: T[] | Marker): T[] | Marker | undefined {
  if (isMarker(value)) return value;
  return value.length > 0 ? value : undefined;
}
