import { isObj } from '../util/narrow.js';

/**
 * Values at a dotted path in an untrusted JSON value. `[]` after a segment fans out over an array
 * (`responseElements.instancesSet.items[].instanceId`); lists in the middle of a path are projected over. Only own plain-object keys are followed, so a
 * hostile `__proto__` key leads nowhere.
 */
const compiled = new Map<string, { key: string; fan: boolean }[]>();

function segments(path: string): { key: string; fan: boolean }[] {
  let segs = compiled.get(path);
  if (!segs) {
    segs = path
      .split('.')
      .map((raw) => (raw.endsWith('[]') ? { key: raw.slice(0, -2), fan: true } : { key: raw, fan: false }));
    // Paths come from the event map (a fixed set); the cap only guards against misuse.
    if (compiled.size < 10_000) compiled.set(path, segs);
  }
  return segs;
}

export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const { key, fan } of segments(path)) {
    const next: unknown[] = [];
    // Lists met on the way are projected over, so `ResourceId.content` reads both one
    // `{tag, content}` item and a list of them (EC2 writes either in CloudTrail).
    const level = current.flatMap((v) => (Array.isArray(v) ? v : [v]));
    for (const v of level) {
      if (!isObj(v)) continue;
      if (!Object.hasOwn(v, key)) continue;
      const child = (v as Record<string, unknown>)[key];
      if (fan) {
        if (Array.isArray(child)) next.push(...child);
      } else next.push(child);
    }
    current = next;
  }
  return current;
}

/** Non-empty strings at a path (ids are strings; anything else in an id slot is ignored). */
export function stringsAt(root: unknown, path: string): string[] {
  const out: string[] = [];
  for (const v of valuesAt(root, path)) {
    if (typeof v === 'string' && v.length > 0 && v.length <= 2048) out.push(v);
  }
  return out;
}

export function stringAt(root: unknown, path: string): string | undefined {
  return stringsAt(root, path)[0];
}
