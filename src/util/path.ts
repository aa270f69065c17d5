/**
 * Dotted config paths as policies write them: `a.b`, `a[0].b`, `a[].b` (projection over a list),
 * and `tag:Name` for a tag value. Parsed once at policy compile time.
 */
export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'each' };

export interface ParsedPath {
  text: string;
  segments: PathSegment[];
  /** `tag:Key` paths read `Resource.tags`, not config. */
  tag?: string;
  /** Dotted form without projections (`a.b`), for unknown/error overlap tests. */
  plain: string;
}

export function parsePath(text: string): ParsedPath {
  if (text.startsWith('tag:')) {
    const tag = text.slice(4);
    return { text, segments: [], tag, plain: `Tags.${tag}` };
  }
  const segments: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d*|\*)\]/g;
  for (const m of text.matchAll(re)) {
    if (m[1] !== undefined) segments.push({ kind: 'key', key: m[1] });
    else if (m[2] === '' || m[2] === '*') segments.push({ kind: 'each' });
    else segments.push({ kind: 'index', index: Number(m[2]) });
  }
  const plain = segments
    .filter((s): s is { kind: 'key'; key: string } => s.kind === 'key')
    .map((s) => s.key)
    .join('.');
  return { text, segments, plain };
}

/** Reads a parsed path. A projection (`[]`) yields a flat list of the values found under it. */
export function readPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (current === undefined || current === null) return undefined;
    if (seg.kind === 'key') {
      if (typeof current !== 'object' || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[seg.key];
    } else if (seg.kind === 'index') {
      if (!Array.isArray(current)) return undefined;
      current = current[seg.index];
    } else {
      if (!Array.isArray(current)) return undefined;
      const rest = segments.slice(i + 1);
      const out: unknown[] = [];
      for (const item of current) {
        const v = readPath(item, rest);
        if (v === undefined) continue;
        if (Array.isArray(v) && rest.some((s) => s.kind === 'each')) out.push(...v);
        else out.push(v);
      }
      return out;
    }
  }
  return current;
}

/** True when one dotted path is the other or lies under it (`a.b` overlaps `a` and `a.b.c`). */
export function pathsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (short === '') return true;
  return long.startsWith(short) && (long[short.length] === '.' || long[short.length] === '[');
}

/** The dotted, index-free form of a recorded path (`IpPermissions[0].IpRanges` → `IpPermissions.IpRanges`). */
export function plainPath(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '').replace(/\.\./g, '.');
}
