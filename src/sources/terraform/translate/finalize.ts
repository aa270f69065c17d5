import type { ResourceError } from '../../../model/resource.js';
import { isUnknown } from '../../../model/unknown.js';
import { isMarker, Unreadable } from './markers.js';
import { isObject } from './values.js';

export interface FinalConfig {
  config: Record<string, unknown>;
  unknown: string[];
  errors: ResourceError[];
}

const REMOVE = Symbol('remove');

/**
 * Turns a translated config into plain JSON: every unknown value is removed and its path
 * (`IpPermissions[0].UserIdGroupPairs`) recorded in `unknown`; every unreadable (sensitive, unparsable)
 * value is removed and recorded in `errors`; undefined fields disappear. An unknown element of a list
 * is dropped and the list itself recorded, since later indexes would otherwise shift silently.
 */
export function finalizeConfig(config: Record<string, unknown>): FinalConfig {
  const unknown: string[] = [];
  const errors: ResourceError[] = [];
  const seenUnknown = new Set<string>();
  const seenError = new Set<string>();

  const record = (marker: unknown, path: string) => {
    if (isUnknown(marker)) {
      if (!seenUnknown.has(path)) {
        seenUnknown.add(path);
        unknown.push(path);
      }
    } else if (marker instanceof Unreadable && !seenError.has(path)) {
      seenError.add(path);
      errors.push({ path, code: marker.code, message: marker.message });
    }
  };

  const walk = (value: unknown, path: string): unknown => {
    if (value === undefined) return REMOVE;
    if (isMarker(value)) {
      record(value, path);
      return REMOVE;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, i) => {
        if (isMarker(item)) {
          record(item, path);
          return;
        }
        const v = walk(item, `${path}[${i}]`);
        if (v !== REMOVE) out.push(v);
      });
      return out;
    }
    if (isObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const w = walk(v, path ? `${path}.${k}` : k);
        if (w !== REMOVE) out[k] = w;
      }
      return out;
    }
    return value;
  };

  const out = walk(config, '');
  return { config: isObject(out) ? out : {}, unknown, errors };
}
