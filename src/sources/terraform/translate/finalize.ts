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
 * The final form of a value at `depth`: REMOVE for undefined and markers (recorded). A list or
 * object is copied whole (which is quick and keeps its shape) when nothing directly in it is
 * removed, and only the lists and objects inside are then walked in turn; otherwise it is rebuilt
 * entry by entry, leaving out what is removed. One function, so that the optimizing compiler does
 * not inline the recursion into itself level after level.
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
    if (n === 0) return [];
    let whole = true;
    let containers = false;
    for (let i = 0; i < n && whole; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) {
        if (item instanceof Unreadable) whole = false;
        else containers = true;
      } else whole = item !== undefined && item !== UNKNOWN;
    }
    if (whole) {
      const out = value.slice();
      if (!containers) return out;
      for (let i = 0; i < n; i++) {
        const item: unknown = out[i];
        if (typeof item !== 'object' || item === null) continue;
        segments[depth] = i;
        out[i] = walk(state, item, depth + 1);
      }
      return out;
    }
    // An unknown element is dropped and the list itself recorded.
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const item: unknown = value[i];
      if (isMarker(item)) {
        record(state, item, depth);
        continue;
      }
      segments[depth] = i;
      const v = walk(state, item, depth + 1);
      if (v !== REMOVE) out.push(v);
    }
    return out;
  }
  const object = value as Values;
  const keys = Object.keys(object);
  // Assigning `__proto__` is not copying it: such an object is rebuilt as it always was.
  let whole = true;
  for (let i = 0; i < keys.length && whole; i++) {
    const k = keys[i]!;
    const v = object[k];
    whole = k !== '__proto__' && v !== undefined && v !== UNKNOWN && !(v instanceof Unreadable);
  }
  if (whole) {
    const out: Values = { ...object };
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = object[k];
      if (typeof v !== 'object' || v === null) continue;
      segments[depth] = k;
      out[k] = Array.isArray(v) && v.length === 0 ? [] : walk(state, v, depth + 1);
    }
    return out;
  }
  const out: Values = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    segments[depth] = k;
    const w = walk(state, object[k], depth + 1);
    if (w !== REMOVE) out[k] = w;
  }
  return out;
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
  return { config: isObject(out) ? out : {}, unknown: state.unknown, errors: state.errors };
}
