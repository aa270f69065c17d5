import { UNKNOWN } from '../../../model/unknown.js';
import { isMarker, SENSITIVE } from './markers.js';
import { isObject } from './values.js';

/** True when a Terraform mask (after_unknown, after_sensitive, sensitive_values) marks anything. */
function marksAnything(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(marksAnything);
  if (isObject(mask)) return Object.values(mask).some(marksAnything);
  return false;
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
  if (mask === true) {
    onMark?.(path);
    return marker;
  }
  if (!marksAnything(mask) || isMarker(value)) return value;
  if (Array.isArray(mask)) {
    const out = Array.isArray(value) ? [...value] : [];
    mask.forEach((m, i) => {
      if (marksAnything(m))
        out[i] = overlayMask(out[i], m, marker, path ? `${path}.${i}` : String(i), onMark);
    });
    return out;
  }
  if (isObject(mask)) {
    const out: Record<string, unknown> = isObject(value) ? { ...value } : {};
    for (const [k, m] of Object.entries(mask)) {
      if (marksAnything(m)) out[k] = overlayMask(out[k], m, marker, path ? `${path}.${k}` : k, onMark);
    }
    return out;
  }
  return value;
}

/** Values with Terraform's "known after apply" mask applied as UNKNOWN markers. */
export function withUnknown(values: Record<string, unknown>, mask: unknown): Record<string, unknown> {
  const out = overlayMask(values, mask, UNKNOWN);
  return isObject(out) ? out : values;
}

/** Values with every sensitive value replaced, and the dotted paths that were sensitive. */
export function withoutSensitive(
  values: Record<string, unknown>,
  masks: readonly unknown[],
): { values: Record<string, unknown>; paths: string[] } {
  const paths: string[] = [];
  let current: unknown = values;
  for (const mask of masks) {
    // A whole-object `true` marks every attribute sensitive.
    const m = mask === true ? Object.fromEntries(Object.keys(values).map((k) => [k, true])) : mask;
    current = overlayMask(current, m, SENSITIVE, '', (p) => {
      if (!paths.includes(p)) paths.push(p);
    });
  }
  return { values: isObject(current) ? current : values, paths };
}
