import type { ResourceError } from '../../../model/resource.js';
import { isUnknown, UNKNOWN } from '../../../model/unknown.js';
import { isMarker, Unreadable } from './markers.js';
import { isObject, type Values } from './values.js';

export interface FinalConfig {
  config: Record<string, unknown>;
  unknown: string[];
  errors: ResourceError[];
}

const REMOVE = Symbol('remove');

/** What one finalisation collects, and the path to the value being walked. */
interface Walk {
  unknown: string[];
  errors: ResourceError[];
  seenUnknown: Set<string>;
  seenError: Set<string>;
  /** Keys and list indexes from the root; the first `depth` hold the current path. */
  segments: (string | number)[];
}

/** The path of the first `depth` segments (`IpPermissions[0].UserIdGroupPairs`), spelt out on demand. */
function pathOf(segments: readonly (string | number)[], depth: number): string {
  let path = '';
  for (let i = 0; i < depth; i++) {
    const seg = segments[i]!;
    if (typeof seg === 'number') path = `${path}[${seg}]`;
    else path = path ? `${path}.${seg}` : seg;
  }
  return path;
}

function record(state: Walk, marker: unknown, depth: number): void {
  if (isUnknown(marker)) {
    const path = pathOf(state.segments, depth);
    if (!state.seenUnknown.has(path)) {
      state.seenUnknown.add(path);
      state.unknown.push(path);
    }
  } else if (marker instanceof Unreadable) {
    const path = pathOf(state.segments, depth);
    if (!state.seenError.has(path)) {
      state.seenError.add(path);
      state.errors.push({ path, code: marker.code, message: marker.message });
    }
  }
}

/**
 * The final form of a value at `depth`: REMOVE for undefined and markers (recorded). Copy on write:
 * a list or object in which nothing is removed, however deep, is returned as it is, so the common
 * all-known subtree costs one read and no allocation (the garbage collector would otherwise copy every
 * config twice); one with a removal is rebuilt from its first change on. Nested values may therefore
 * be shared with the translator's input; the top level is always a fresh object (see finalizeConfig).
 * One function, so that the optimizing compiler does not inline the recursion into itself.
 */
function walk(state: Walk, value: unknown, depth: number): unknown {
  if (value === undefined) return REMOVE;
  if (typeof value !== 'object' || value === null) {
    if (value === UNKNOWN) {
      record(state, value, depth);
      return REMOVE;
    }
    return value;
  }
  if (value instanceof Unreadable) {
    record(state, value, depth);
    return REMOVE;
  }
  const { segments } = state;
  if (Array.isArray(value)) {
    const n = value.length;
    // An unknown element is dropped (and the list recorded by it), since later indexes would shift.
    let out: unknown[] | undefined;
    for (let i = 0; i < n; i++) {
      const item: unknown = value[i];
      let v: unknown = item;
      if (item === undefined) v = REMOVE;
      else if (isMarker(item)) {
        record(state, item, depth);
        v = REMOVE;
      } else if (typeof item === 'object' && item !== null) {
        segments[depth] = i;
        v = walk(state, item, depth + 1);
      }
      if (v === item && out === undefined) continue;
      out ??= value.slice(0, i);
      if (v !== REMOVE) out.push(v);
    }
    return out ?? value;
  }
  const object = value as Values;
  // Own keys only: an object a hostile `__proto__` key gave a prototype must not gain its keys.
  const keys = Object.keys(object);
  let out: Values | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const item = object[k];
    let v: unknown = item;
    if (item === undefined || typeof item === 'object' || item === UNKNOWN) {
      segments[depth] = k;
      v = walk(state, item, depth + 1);
    }
    if (out === undefined) {
      // A `__proto__` key makes the object rebuilt, as a copy always did.
      if (v === item && k !== '__proto__') continue;
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = object[keys[j]!];
    }
    if (v !== REMOVE) out[k] = v;
  }
  return out ?? object;
}

/**
 * Turns a translated config into plain JSON: every unknown value is removed and its path
 * (`IpPermissions[0].UserIdGroupPairs`) recorded in `unknown`; every unreadable (sensitive, unparsable)
 * value is removed and recorded in `errors`; undefined fields disappear. An unknown element of a list
 * is dropped and the list itself recorded, since later indexes would otherwise shift silently.
 */
export function finalizeConfig(config: Record<string, unknown>): FinalConfig {
  const state: Walk = {
    unknown: [],
    errors: [],
    seenUnknown: new Set(),
    seenError: new Set(),
    segments: [],
  };
  const out = walk(state, config, 0);
  // The top level is the resource's own: linking sets keys on it (graph/link.ts).
  return {
    config: isObject(out) ? (out === config ? { ...config } : out) : {},
    unknown: state.unknown,
    errors: state.errors,
  };
}
