import { isMarker, SENSITIVE } from './markers.js';
import { isObject, type Values } from './values.js';

function clone(value: unknown): unknown {
  if (isMarker(value)) return value;
  if (Array.isArray(value)) return value.map(clone);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

function segmentsOf(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
}

/** Replaces the value at `segs` with SENSITIVE; false when the path does not resolve. */
function replaceAt(root: Values, segs: readonly string[]): boolean {
  let current: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (Array.isArray(current) && /^\d+$/.test(seg)) {
      const idx = Number(seg);
      if (idx >= current.length) return false;
      if (last) current[idx] = SENSITIVE;
      else current = current[idx];
    } else if (isObject(current)) {
      // Map keys may contain dots (`tags["kubernetes.io/role"]`): try the rest of the path as one key.
      const rest = segs.slice(i).join('.');
      if (!last && rest in current) {
        current[rest] = SENSITIVE;
        return true;
      }
      if (!(seg in current)) return false;
      if (last) current[seg] = SENSITIVE;
      else current = current[seg];
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Values with every sensitive path replaced by the SENSITIVE marker, so no translator can copy a
 * secret. A path that does not resolve blanks its whole top-level attribute: losing a value is
 * acceptable, leaking one is not.
 */
export function redactSensitive(values: Values, paths: readonly string[]): Values {
  if (paths.length === 0) return values;
  const out = clone(values) as Values;
  for (const path of paths) {
    const segs = segmentsOf(path);
    const top = segs[0];
    if (top === undefined) continue;
    if (!replaceAt(out, segs) && top in out && out[top] !== null) out[top] = SENSITIVE;
  }
  return out;
}
