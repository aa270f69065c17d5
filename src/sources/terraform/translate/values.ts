import { isMarker, type Marker, Unreadable } from './markers.js';

/** Terraform attribute values of one resource (snake_case, nested blocks as lists of objects). */
export type Values = Record<string, unknown>;

export function isObject(value: unknown): value is Values {
  // An object is never UNKNOWN (a symbol): of the markers, only Unreadable needs excluding.
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unreadable)
  );
}

/**
 * The coercions below pass markers through untouched (so an unknown input stays unknown in config)
 * and map Terraform's "unset" spellings (null, and '' which state uses for unset computed strings)
 * to undefined, which finalisation drops.
 */
export function str(value: unknown): string | Marker | undefined {
  if (isMarker(value)) return value;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function bool(value: unknown, fallback?: boolean): boolean | Marker | undefined {
  if (isMarker(value)) return value;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fallback;
}

export function num(value: unknown, fallback?: number): number | Marker | undefined {
  if (isMarker(value)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return fallback;
}

/** A list attribute; a single scalar (HCL written loosely) counts as a one-element list. */
export function list(value: unknown): unknown[] | Marker {
  if (isMarker(value)) return value;
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

/** Maps each element of a list attribute; a marker list stays a marker, marker elements stay markers. */
export function mapList<T>(value: unknown, fn: (item: unknown, index: number) => T): (T | Marker)[] | Marker {
  const items = list(value);
  if (isMarker(items)) return items;
  return items.map((item, i) => (isMarker(item) ? item : fn(item, i)));
}

/** A list of strings with empties removed (Terraform sets hold '' for unset members in state). */
export function strList(value: unknown): (string | Marker)[] | Marker {
  const items = list(value);
  if (isMarker(items)) return items;
  const out: (string | Marker)[] = [];
  for (let i = 0; i < items.length; i++) {
    const s = str(items[i]);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Nested blocks (lists of objects); elements that are not objects are dropped unless markers. */
export function blocks(value: unknown): (Values | Marker)[] | Marker {
  const items = list(value);
  if (isMarker(items)) return items;
  return items.filter((b): b is Values | Marker => isObject(b) || isMarker(b));
}

/** The single nested block Terraform encodes as a one-element list. */
export function firstBlock(value: unknown): Values | Marker | undefined {
  if (isMarker(value)) return value;
  if (isObject(value)) return value;
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (isMarker(first) || isObject(first)) return first;
  }
  return undefined;
}

/** Applies `fn` to a known value, passing markers and undefined through. */
export function known<T, R>(value: T | Marker | undefined, fn: (v: T) => R): R | Marker | undefined {
  if (value === undefined || isMarker(value)) return value as Marker | undefined;
  return fn(value);
}

/** A JSON document (IAM, bucket or key policy) as Terraform stores it: a string. '' means none. */
export function jsonDocument(value: unknown): unknown {
  if (isMarker(value)) return value;
  if (isObject(value) || Array.isArray(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch (err) {
    return new Unreadable('invalid-json', `not valid JSON: ${(err as Error).message}`);
  }
}

/** A string map (tags, labels) keeping only entries with string or marker values. */
export function stringMap(value: unknown): Record<string, string | Marker> | Marker | undefined {
  if (isMarker(value)) return value;
  if (!isObject(value)) return undefined;
  const out: Record<string, string | Marker> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = value[k];
    if (typeof v === 'string' || isMarker(v)) out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

export function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
