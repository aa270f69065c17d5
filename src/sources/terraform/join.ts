import type { Resource, ResourceRef } from '../../model/resource.js';
import type { TfResource } from './ir.js';
import { blockAddress } from './translate/address.js';
import { isMarker } from './translate/markers.js';
import type { JoinSpec, PullSpec, ResourceSpec, TypeEntry } from './translate/types.js';
import { list, str, type Values } from './translate/values.js';

/** A translated resource still being assembled, with the Terraform values joins match against. */
export interface Built {
  tf: TfResource;
  values: Values;
  spec: ResourceSpec;
  entry: TypeEntry;
  resource: Resource;
}

/** A sub-resource waiting to merge into its parent(s). */
export interface Child {
  tf: TfResource;
  values: Values;
  entry: TypeEntry;
}

const DEFAULT_KEYS = ['id', 'arn', 'name'];

/** Identifying values of a parent, exact and lower-cased for ARM ids (Azure ids are case-insensitive). */
function identifyingValues(b: Built): string[] {
  const keys = b.spec.keys ?? DEFAULT_KEYS;
  const own = keys.map((k) => b.values[k]).filter((v): v is string => typeof v === 'string' && v !== '');
  return b.spec.provider === 'azure' ? [...own, ...own.map((v) => v.toLowerCase())] : own;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

class Index {
  private readonly byAddress = new Map<string, Built>();
  private readonly byBlock = new Map<string, Built[]>();
  private readonly byType = new Map<string, Built[]>();
  /** `type|value` → parents, so matching a child's value costs one lookup, not a scan. */
  private readonly byValue = new Map<string, Built[]>();

  constructor(built: readonly Built[]) {
    for (const b of built) {
      this.byAddress.set(b.tf.address, b);
      push(this.byBlock, blockAddress(b.tf.address), b);
      push(this.byType, b.tf.type, b);
      for (const v of new Set(identifyingValues(b))) push(this.byValue, `${b.tf.type}|${v}`, b);
    }
  }

  ofTypes(types: readonly string[]): Built[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /**
   * Parents a name identifies: exactly, case-insensitively for Azure, else by the last part of an
   * ARN or path (`arn:…:key/1234` names key `1234`, `b/bucket` names bucket `bucket`).
   */
  byName(types: readonly string[], name: string): Built[] {
    const find = (v: string) => types.flatMap((t) => this.byValue.get(`${t}|${v}`) ?? []);
    const exact = find(name);
    if (exact.length > 0) return exact;
    const lower = find(name.toLowerCase()).filter((b) => b.spec.provider === 'azure');
    if (lower.length > 0) return lower;
    const tail = name.slice(name.lastIndexOf('/') + 1);
    return tail !== name && tail !== '' ? find(tail) : [];
  }

  /**
   * A reference target: the exact instance, else the instances of a block. Several instances are
   * narrowed to the one with the child's own index (`count`-parallel resources).
   */
  byRef(target: string, types: readonly string[], child: TfResource, many: boolean): Built[] {
    const exact = this.byAddress.get(target);
    if (exact) return types.includes(exact.tf.type) ? [exact] : [];
    const instances = (this.byBlock.get(target) ?? []).filter((b) => types.includes(b.tf.type));
    if (instances.length <= 1 || many) return instances;
    const same = instances.filter((b) => b.tf.index !== undefined && b.tf.index === child.index);
    return same.length === 1 ? same : [];
  }
}

function refsOn(child: TfResource, attribute: string): ResourceRef[] {
  return child.refs.filter((r) => r.attribute === attribute || r.attribute.startsWith(`${attribute}.`));
}

/** Known strings a child names its parent by; an unknown value names nothing. */
function namedValues(values: Values, via: string, many: boolean): string[] {
  const raw = many ? list(values[via]) : [values[via]];
  if (isMarker(raw)) return [];
  return raw.map(str).filter((s): s is string => typeof s === 'string');
}

function uniq(items: Built[]): Built[] {
  return [...new Set(items)];
}

/**
 * The parents a child names through `via`: by reference first (plan, HCL), then by value (state,
 * or a literal id), and for state a lone `depends_on` candidate as the last resort.
 */
function resolveTargets(
  index: Index,
  child: { tf: TfResource; values: Values },
  types: readonly string[],
  via: string | undefined,
  many: boolean,
): Built[] {
  const notSelf = (b: Built) => b.tf !== child.tf;
  if (via === undefined) return index.ofTypes(types).filter(notSelf);
  const byRef = uniq(refsOn(child.tf, via).flatMap((r) => index.byRef(r.target, types, child.tf, many)));
  if (byRef.length > 0 && (many || byRef.length === 1)) return many ? byRef : byRef.slice(0, 1);
  const names = namedValues(child.values, via, many);
  const byValue = uniq(names.flatMap((n) => index.byName(types, n).filter(notSelf)));
  if (many) return uniq([...byRef, ...byValue]);
  if (byValue.length === 1) return byValue;
  if (byValue.length > 1) return [];
  const deps = uniq(
    refsOn(child.tf, 'depends_on').flatMap((r) => index.byRef(r.target, types, child.tf, true)),
  );
  return names.length === 0 && byRef.length === 0 && deps.length === 1 ? deps : [];
}

function addRefs(parent: Built, child: Child, join: JoinSpec): void {
  const attribute = typeof join.refAttr === 'function' ? join.refAttr(child.values) : join.refAttr;
  const parentAddresses = new Set([parent.tf.address, blockAddress(parent.tf.address)]);
  const refs = parent.resource.refs ?? [];
  for (const ref of child.tf.refs) {
    if (ref.attribute === 'depends_on' || parentAddresses.has(ref.target)) continue;
    refs.push({ attribute: attribute ?? ref.attribute, target: ref.target });
  }
  if (refs.length > 0) parent.resource.refs = refs;
}

/**
 * Merges every sub-resource into its parent(s). A sub-resource whose parent is not in the input, and
 * that is not also a resource of its own, is counted as `<type> (parent not in input)`: never lost
 * silently.
 */
export function applyJoins(
  built: readonly Built[],
  children: readonly Child[],
  unsupported: Record<string, number>,
): void {
  const index = new Index(built);
  const work = children.flatMap((child) => (child.entry.joins ?? []).map((join) => ({ child, join })));
  // Stable sort: authoritative joins (a full IAM policy) before additive ones (a member).
  work.sort((a, b) => (a.join.priority ?? 0) - (b.join.priority ?? 0));
  const joined = new Set<Child>();
  for (const { child, join } of work) {
    const parents = resolveTargets(index, child, join.parents, join.via, join.many ?? false);
    for (const parent of parents) {
      join.apply(parent.resource, child.values, { child: child.tf });
      addRefs(parent, child, join);
    }
    if (parents.length > 0) joined.add(child);
  }
  for (const child of children) {
    if (joined.has(child) || child.entry.resource) continue;
    const key = `${child.tf.type} (parent not in input)`;
    unsupported[key] = (unsupported[key] ?? 0) + 1;
  }
}

/** Lets resources copy facts from the resources they name (an Azure container's account). */
export function applyPulls(built: readonly Built[]): void {
  const index = new Index(built);
  for (const self of built) {
    for (const pull of self.entry.pulls ?? ([] as PullSpec[])) {
      for (const via of pull.via) {
        const [source] = resolveTargets(index, self, pull.from, via, false);
        if (source) {
          pull.apply(self.resource, source.resource);
          break;
        }
      }
    }
  }
}
