import type { Resource } from '../model/resource.js';
import { driftView } from './normalize.js';
import { renderElement, renderValue } from './render-value.js';
import { type DriftRules, type RuleNode, rulesFor } from './rules.js';

export type ChangeOp = 'added' | 'removed' | 'changed';

/** One field-level change: `IpPermissions[+]: tcp 22 from 0.0.0.0/0`, `KeyRotationEnabled: true → false`. */
export interface FieldChange {
  /** Display path: dotted, `[+]`/`[-]` for a set element added/removed, `[i]` in ordered lists. */
  path: string;
  op: ChangeOp;
  before?: unknown;
  after?: unknown;
  text: string;
}

export interface ResourceRef {
  id: string;
  type: string;
  provider: string;
  account: string;
  region: string;
  name: string;
}

export interface ResourceDrift extends ResourceRef {
  changes: FieldChange[];
}

export interface DriftResult {
  added: ResourceRef[];
  removed: ResourceRef[];
  changed: ResourceDrift[];
  unchanged: number;
}

const EMPTY: RuleNode = {};

function child(node: RuleNode | undefined, key: string): RuleNode | undefined {
  if (!node) return undefined;
  const exact = node.children?.get(key);
  if (!exact) return node.any;
  if (!node.any) return exact;
  // Both an exact and a `*` rule apply: merge them (rare; only when a user file mixes both).
  return {
    ignore: exact.ignore || node.any.ignore,
    ordered: exact.ordered || node.any.ordered,
    children: new Map([...(node.any.children ?? []), ...(exact.children ?? [])]),
    ...(exact.any || node.any.any ? { any: exact.any ?? node.any.any } : {}),
  };
}

/**
 * Canonical text of a value under a rule node: keys sorted, ignored paths left out, unordered lists
 * sorted by their elements' canonical text. Two values with the same text are the same
 * configuration, whatever order the API returned things in.
 */
export function canonicalUnder(value: unknown, node: RuleNode | undefined): string {
  if (value === null || typeof value !== 'object') {
    const t = JSON.stringify(value);
    return t === undefined ? 'null' : t;
  }
  if (Array.isArray(value)) {
    const el = child(node, '[]');
    const parts = value.map((v) => canonicalUnder(v, el));
    if (!node?.ordered) parts.sort();
    return `[${parts.join(',')}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    const sub = child(node, k);
    if (sub?.ignore) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalUnder(v, sub)}`;
    first = false;
  }
  return `${out}}`;
}

function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function diffValue(
  path: string,
  a: unknown,
  b: unknown,
  node: RuleNode | undefined,
  out: FieldChange[],
): void {
  if (node?.ignore) return;
  const aObj = a !== null && typeof a === 'object';
  const bObj = b !== null && typeof b === 'object';
  if (aObj && bObj && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a)) {
      diffArray(path, a, b as unknown[], node, out);
      return;
    }
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of [...keys].sort()) diffValue(joinPath(path, k), ao[k], bo[k], child(node, k), out);
    return;
  }
  if (canonicalUnder(a, node) === canonicalUnder(b, node)) return;
  if (a === undefined) out.push({ path, op: 'added', after: b, text: `${path}: (none) → ${renderValue(b)}` });
  else if (b === undefined)
    out.push({ path, op: 'removed', before: a, text: `${path}: ${renderValue(a)} → (none)` });
  else
    out.push({
      path,
      op: 'changed',
      before: a,
      after: b,
      text: `${path}: ${renderValue(a)} → ${renderValue(b)}`,
    });
}

function diffArray(
  path: string,
  a: unknown[],
  b: unknown[],
  node: RuleNode | undefined,
  out: FieldChange[],
): void {
  const el = child(node, '[]');
  if (node?.ordered) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValue(`${path}[${i}]`, a[i], b[i], el, out);
    return;
  }
  // A list without meaningful order is a multiset: elements are matched by canonical identity.
  const remaining = new Map<string, number>();
  for (const v of b) {
    const k = canonicalUnder(v, el);
    remaining.set(k, (remaining.get(k) ?? 0) + 1);
  }
  const removed: unknown[] = [];
  for (const v of a) {
    const k = canonicalUnder(v, el);
    const n = remaining.get(k) ?? 0;
    if (n > 0) remaining.set(k, n - 1);
    else removed.push(v);
  }
  const baseKeys = new Map<string, number>();
  for (const v of a) {
    const k = canonicalUnder(v, el);
    baseKeys.set(k, (baseKeys.get(k) ?? 0) + 1);
  }
  const added: unknown[] = [];
  for (const v of b) {
    const k = canonicalUnder(v, el);
    const n = baseKeys.get(k) ?? 0;
    if (n > 0) baseKeys.set(k, n - 1);
    else added.push(v);
  }
  const last = path.slice(path.lastIndexOf('.') + 1);
  for (const v of removed)
    out.push({ path: `${path}[-]`, op: 'removed', before: v, text: `${path}[-]: ${renderElement(last, v)}` });
  for (const v of added)
    out.push({ path: `${path}[+]`, op: 'added', after: v, text: `${path}[+]: ${renderElement(last, v)}` });
}

/** Field-level changes between two versions of one resource, with the rules of its type. */
export function diffResource(
  before: Resource,
  after: Resource,
  rules: DriftRules | undefined,
): FieldChange[] {
  const node = rules ? rulesFor(rules, after.type) : EMPTY;
  const a = driftView(before);
  const b = driftView(after);
  const out: FieldChange[] = [];
  diffValue('tags', a.tags, b.tags, child(node, 'tags'), out);
  diffValue('', a.config, b.config, node, out);
  return out;
}

function refOf(r: Resource): ResourceRef {
  return { id: r.id, type: r.type, provider: r.provider, account: r.account, region: r.region, name: r.name };
}

function viewKey(r: Resource, rules: DriftRules): string {
  const v = driftView(r);
  const node = rulesFor(rules, r.type);
  return `${canonicalUnder(v.tags, child(node, 'tags'))}\n${canonicalUnder(v.config, node)}`;
}

function hasKey(o: Record<string, unknown>, k: string): boolean {
  return o[k] !== undefined;
}

/**
 * Equality under the rules without building anything: the fast path for the resources that did not
 * change. Lists are first compared in order (the usual case when nothing changed); only when that
 * fails does a list fall back to the order-insensitive comparison.
 */
export function equalUnder(a: unknown, b: unknown, node: RuleNode | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    const el = child(node, '[]');
    let inOrder = true;
    for (let i = 0; i < a.length; i++) {
      if (!equalUnder(a[i], b[i], el)) {
        inOrder = false;
        break;
      }
    }
    if (inOrder) return true;
    return !node?.ordered && canonicalUnder(a, node) === canonicalUnder(b, node);
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    const sub = node ? child(node, k) : undefined;
    if (sub?.ignore) continue;
    if (!equalUnder(v, bo[k], sub)) return false;
  }
  for (const k in bo) {
    if (!hasKey(bo, k) || hasKey(ao, k)) continue;
    if (node && child(node, k)?.ignore) continue;
    return false;
  }
  return true;
}

function unchanged(old: Resource, cur: Resource, rules: DriftRules): boolean {
  const node = rulesFor(rules, cur.type);
  if (equalUnder(old.tags, cur.tags, child(node, 'tags')) && equalUnder(old.config, cur.config, node))
    return true;
  // Same configuration in another grouping or order (e.g. a permission split in two) is no drift.
  return viewKey(old, rules) === viewKey(cur, rules);
}

/**
 * Baseline vs current, matched by resource id. Each side is reduced to one canonical text first, so
 * the common case — nothing changed — costs one walk per resource; only the resources whose texts
 * differ get a field-level diff.
 */
export function diffInventories(
  baseline: readonly Resource[],
  current: readonly Resource[],
  rules: DriftRules,
): DriftResult {
  const base = new Map<string, Resource>();
  for (const r of baseline) base.set(r.id, r);
  const result: DriftResult = { added: [], removed: [], changed: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const cur of current) {
    if (seen.has(cur.id)) continue;
    seen.add(cur.id);
    const old = base.get(cur.id);
    if (!old) {
      result.added.push(refOf(cur));
      continue;
    }
    if (unchanged(old, cur, rules)) {
      result.unchanged++;
      continue;
    }
    const changes = diffResource(old, cur, rules);
    if (changes.length === 0) result.unchanged++;
    else result.changed.push({ ...refOf(cur), changes });
  }
  for (const r of base.values()) if (!seen.has(r.id)) result.removed.push(refOf(r));
  const byId = (x: ResourceRef, y: ResourceRef) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  result.added.sort(byId);
  result.removed.sort(byId);
  result.changed.sort(byId);
  return result;
}
