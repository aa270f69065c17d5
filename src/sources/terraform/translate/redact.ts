import { isMarker, SENSITIVE } from './markers.js';
import { isObject, type Values } from './values.js';

/**
 * The redacted copy is made copy-on-write: only the containers on the way to a sensitive value are
 * copied (lists keep their holes, objects their key order), everything else is shared with the input.
 * `owned` holds the containers that belong to the copy and may be written.
 */
function shallowCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice();
  if (isObject(value)) return { ...value };
  return value;
}

/** The child at `key` of an owned container, copied into it first when still shared. */
function ownChild(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  owned: Set<unknown>,
): unknown {
  const child = (container as Record<string | number, unknown>)[key];
  if (owned.has(child) || isMarker(child) || (!Array.isArray(child) && !isObject(child))) return child;
  const copy = shallowCopy(child);
  (container as Record<string | number, unknown>)[key] = copy;
  owned.add(copy);
  return copy;
}

function segmentsOf(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
}

/** Replaces the value at `segs` with SENSITIVE; false when the path does not resolve. */
function replaceAt(root: Values, segs: readonly string[], owned: Set<unknown>): boolean {
  let current: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (Array.isArray(current) && /^\d+$/.test(seg)) {
      const idx = Number(seg);
      if (idx >= current.length) return false;
      if (last) current[idx] = SENSITIVE;
      else current = ownChild(current, idx, owned);
    } else if (isObject(current)) {
      // Map keys may contain dots (`tags["kubernetes.io/role"]`): try the rest of the path as one key.
      const rest = segs.slice(i).join('.');
      if (!last && rest in current) {
        current[rest] = SENSITIVE;
        return true;
      }
      if (!(seg in current)) return false;
      if (last) current[seg] = SENSITIVE;
      else current = ownChild(current, seg, owned);
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
  const out = { ...values };
  const owned = new Set<unknown>([out]);
  for (const path of paths) {
    const segs = segmentsOf(path);
    const top = segs[0];
    if (top === undefined) continue;
    if (!replaceAt(out, segs, owned) && top in out && out[top] !== null) out[top] = SENSITIVE;
  }
  return out;
}
