import { isUnknown } from '../../../model/unknown.js';
import { isMarker, type Marker, Unreadable } from './markers.js';
import { isObject } from './values.js';

/** A stable text form of a value, markers included, to compare joined entries. */
function stableKey(value: unknown): string {
  if (isUnknown(value)) return '\u0000unknown';
  if (value instanceof Unreadable) return `\u0000unreadable:${value.code}`;
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableKey(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function containsMarker(value: unknown): boolean {
  if (isMarker(value)) return true;
  if (Array.isArray(value)) return value.some(containsMarker);
  if (isObject(value)) return Object.values(value).some(containsMarker);
  return false;
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
  const seen = new Set(out.filter((x) => !containsMarker(x)).map(stableKey));
  for (const item of items) {
    if (item === undefined) continue;
    if (!containsMarker(item)) {
      const k = stableKey(item);
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(item);
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
