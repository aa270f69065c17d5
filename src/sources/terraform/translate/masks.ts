import { UNKNOWN } from '../../../model/unknown.js';
import { isMarker, SENSITIVE } from './markers.js';
import { isObject } from './values.js';

/** True when a Terraform mask (after_unknown, after_sensitive, sensitive_values) marks anything. */
function marksAnything(mask: unknown): boolean {
  if (mask === true) return true;
  if (typeof mask !== 'object' || mask === null) return false;
  if (Array.isArray(mask)) {
    // A hole marks nothing, as `some` skipped it.
    for (let i = 0; i < mask.length; i++) {
      const m: unknown = mask[i];
      if (m === true || (typeof m === 'object' && m !== null && marksAnything(m))) return true;
    }
    return false;
  }
  if (!isObject(mask)) return false;
  const keys = Object.keys(mask);
  for (let i = 0; i < keys.length; i++) {
    const m = mask[keys[i]!];
    if (m === true || (typeof m === 'object' && m !== null && marksAnything(m))) return true;
  }
  return false;
}

/** What `overlay` returns when its mask marks nothing: the value is then kept as it is. */
const NOTHING: unique symbol = Symbol('nothing marked');

/** Path segments from the root to the value being overlaid; only kept when marks are reported. */
type Segments = (string | number)[];

/** The dotted form of a path (`a.0.b`), spelt as it always was: a leading empty key adds no dot. */
function dotted(segments: Segments): string {
  let path = '';
  for (const seg of segments) path = path ? `${path}.${seg}` : String(seg);
  return path;
}

/**
 * One pass over a mask: NOTHING when it marks nothing, else the value with every marked place
 * replaced by `marker`. Containers are copied only on the way to a mark (and created where a
 * not-yet-known value needs them); everything else is shared with the input.
 *
 * `omit` (top level only) leaves out a new attribute that would hold `marker`, as deleting it
 * afterwards would; an attribute the value already has is never omitted here.
 */
function overlay(
  value: unknown,
  mask: unknown,
  marker: unknown,
  segments: Segments | undefined,
  onMark: ((path: string) => void) | undefined,
  omit?: (key: string) => boolean,
): unknown {
  if (mask === true) {
    if (onMark) onMark(dotted(segments ?? []));
    return marker;
  }
  if (typeof mask !== 'object' || mask === null) return NOTHING;
  // A marked place under a value that is itself a marker: the marker stands for all of it.
  if (isMarker(value)) return marksAnything(mask) ? value : NOTHING;
  if (Array.isArray(mask)) {
    const source = Array.isArray(value) ? value : undefined;
    let out: unknown[] | undefined;
    for (let i = 0; i < mask.length; i++) {
      const m: unknown = mask[i];
      if (m !== true && (typeof m !== 'object' || m === null)) continue;
      segments?.push(i);
      const r = overlay(source?.[i], m, marker, segments, onMark);
      segments?.pop();
      if (r === NOTHING) continue;
      out ??= source ? [...source] : [];
      out[i] = r;
    }
    return out ?? NOTHING;
  }
  if (!isObject(mask)) return NOTHING;
  const source = isObject(value) ? value : undefined;
  let out: Record<string, unknown> | undefined;
  // A mask is parsed JSON: `for…in` gives its own keys, in order, without a keys array.
  for (const k in mask) {
    const m = mask[k];
    let r: unknown;
    if (m === true) {
      // A marked attribute (most of a mask), without a call.
      if (onMark) onMark(dotted(segments ? [...segments, k] : []));
      r = marker;
    } else {
      if (typeof m !== 'object' || m === null) continue;
      segments?.push(k);
      r = overlay(source?.[k], m, marker, segments, onMark);
      segments?.pop();
      if (r === NOTHING) continue;
    }
    out ??= source ? { ...source } : {};
    // Deleting a property later would turn a large object into a slow dictionary: leave it out now.
    if (omit && r === marker && !(source && Object.hasOwn(source, k)) && omit(k)) continue;
    out[k] = r;
  }
  return out ?? NOTHING;
}

/**
 * Overlays a mask on values: every `true` leaf replaces the value at that place with `marker`,
 * creating the containers a not-yet-known value needs. `onMark` receives each marked path.
 */
export function overlayMask(
  value: unknown,
  mask: unknown,
  marker: unknown,
  path = '',
  onMark?: (path: string) => void,
): unknown {
  const segments = onMark ? (path === '' ? [] : [path]) : undefined;
  const out = overlay(value, mask, marker, segments, onMark);
  return out === NOTHING ? value : out;
}

/**
 * Values with Terraform's "known after apply" mask applied as UNKNOWN markers. `omit` names
 * attributes to leave out, rather than add as unknown, when the values do not have them.
 */
export function withUnknown(
  values: Record<string, unknown>,
  mask: unknown,
  omit?: (attribute: string) => boolean,
): Record<string, unknown> {
  const out = overlay(values, mask, UNKNOWN, undefined, undefined, omit);
  return isObject(out) ? out : values;
}

/** Values with every sensitive value replaced, and the dotted paths that were sensitive. */
export function withoutSensitive(
  values: Record<string, unknown>,
  masks: readonly unknown[],
): { values: Record<string, unknown>; paths: string[] } {
  const paths: string[] = [];
  let current: unknown = values;
  let onMark: ((p: string) => void) | undefined;
  for (let i = 0; i < masks.length; i++) {
    const mask = masks[i];
    // Most masks mark nothing: say so without keeping track of paths.
    if (mask !== true && !marksAnything(mask)) continue;
    onMark ??= (p: string) => {
      if (!paths.includes(p)) paths.push(p);
    };
    // A whole-object `true` marks every attribute sensitive.
    const m = mask === true ? Object.fromEntries(Object.keys(values).map((k) => [k, true])) : mask;
    const out = overlay(current, m, SENSITIVE, [], onMark);
    if (out !== NOTHING) current = out;
  }
  return { values: isObject(current) ? current : values, paths };
}
