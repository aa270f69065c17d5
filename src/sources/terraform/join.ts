import type { Resource } from '../../model/resource.js';
import type { TfResource } from './ir.js';
import { blockAddress } from './translate/address.js';
import { isMarker } from './translate/markers.js';
import type { JoinSpec, ResourceSpec, TypeEntry } from './translate/types.js';
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

/**
 * Identifying values of a parent, exact and lower-cased for ARM ids (Azure ids are case-insensitive),
 * each once.
 */
function identifyingValues(b: Built): string[] {
  const keys = b.spec.keys ?? DEFAULT_KEYS;
  const out: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const v = b.values[keys[i]!];
    if (typeof v === 'string' && v !== '' && !out.includes(v)) out.push(v);
  }
  if (b.spec.provider === 'azure') {
    const exact = out.length;
    for (let i = 0; i < exact; i++) {
      const lower = out[i]!.toLowerCase();
      if (!out.includes(lower)) out.push(lower);
    }
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Adds the items not in `out` yet, keeping first-seen order (what `[...new Set(…)]` gives). */
function addUnique<T>(out: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) if (!out.includes(items[i]!)) out.push(items[i]!);
}

/**
 * The translated resources, indexed for joins and pulls. It reads only addresses, types and the
 * top-level identifying values, which joining never changes, so one index serves both.
 */
export class Index {
  private readonly byAddress = new Map<string, Built>();
  private readonly byBlock = new Map<string, Built[]>();
  private readonly byType = new Map<string, Built[]>();
  /** type → value → parents, so matching a child's value costs one lookup, not a scan. */
  private readonly byValue = new Map<string, Map<string, Built[]>>();

  constructor(built: readonly Built[]) {
    for (let i = 0; i < built.length; i++) {
      const b = built[i]!;
      const address = b.tf.address;
      this.byAddress.set(address, b);
      push(this.byBlock, address.endsWith(']') ? blockAddress(address) : address, b);
      push(this.byType, b.tf.type, b);
      let values = this.byValue.get(b.tf.type);
      if (!values) {
        values = new Map();
        this.byValue.set(b.tf.type, values);
      }
      const ids = identifyingValues(b);
      for (let k = 0; k < ids.length; k++) push(values, ids[k]!, b);
    }
  }

  ofTypes(types: readonly string[]): Built[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  private find(types: readonly string[], value: string): Built[] {
    const out: Built[] = [];
    for (const t of types) {
      const found = this.byValue.get(t)?.get(value);
      if (found) for (const b of found) out.push(b);
    }
    return out;
  }

  /**
   * Parents a name identifies: exactly, case-insensitively for Azure, else by the last part of an
   * ARN or path (`arn:…:key/1234` names key `1234`, `b/bucket` names bucket `bucket`).
   */
  byName(types: readonly string[], name: string): Built[] {
    const exact = this.find(types, name);
    if (exact.length > 0) return exact;
    const lower = this.find(types, name.toLowerCase()).filter((b) => b.spec.provider === 'azure');
    if (lower.length > 0) return lower;
    const tail = name.slice(name.lastIndexOf('/') + 1);
    return tail !== name && tail !== '' ? this.find(types, tail) : [];
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

/** The parents a child's references on `attribute` (or below it) resolve to, each once. */
function parentsByRef(
  index: Index,
  child: TfResource,
  attribute: string,
  types: readonly string[],
  many: boolean,
): Built[] {
  const out: Built[] = [];
  const below = `${attribute}.`;
  const refs = child.refs;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i]!;
    if (r.attribute === attribute || r.attribute.startsWith(below)) {
      addUnique(out, index.byRef(r.target, types, child, many));
    }
  }
  return out;
}

/** Known strings a child names its parent by; an unknown value names nothing. */
function namedValues(values: Values, via: string, many: boolean): string[] {
  const raw = many ? list(values[via]) : [values[via]];
  if (isMarker(raw)) return [];
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const s = str(raw[i]);
    if (typeof s === 'string') out.push(s);
  }
  return out;
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
  const byRef = parentsByRef(index, child.tf, via, types, many);
  if (byRef.length > 0 && (many || byRef.length === 1)) return many ? byRef : byRef.slice(0, 1);
  const names = namedValues(child.values, via, many);
  const byValue: Built[] = [];
  for (const n of names) addUnique(byValue, index.byName(types, n).filter(notSelf));
  if (many) {
    const all = [...byRef];
    addUnique(all, byValue);
    return all;
  }
  if (byValue.length === 1) return byValue;
  if (byValue.length > 1) return [];
  const deps = parentsByRef(index, child.tf, 'depends_on', types, true);
  return names.length === 0 && byRef.length === 0 && deps.length === 1 ? deps : [];
}

function addRefs(parent: Built, child: Child, join: JoinSpec): void {
  const attribute = typeof join.refAttr === 'function' ? join.refAttr(child.values) : join.refAttr;
  const address = parent.tf.address;
  const block = address.endsWith(']') ? blockAddress(address) : address;
  const refs = parent.resource.refs ?? [];
  const childRefs = child.tf.refs;
  for (let i = 0; i < childRefs.length; i++) {
    const ref = childRefs[i]!;
    if (ref.attribute === 'depends_on' || ref.target === address || ref.target === block) continue;
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
  index: Index = new Index(built),
): void {
  const work: { child: Child; join: JoinSpec }[] = [];
  // Sorting is only needed when priorities differ.
  let first: number | undefined;
  let mixed = false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const joins = child.entry.joins ?? [];
    for (let k = 0; k < joins.length; k++) {
      const join = joins[k]!;
      const priority = join.priority ?? 0;
      first ??= priority;
      if (priority !== first) mixed = true;
      work.push({ child, join });
    }
  }
  // Stable sort: authoritative joins (a full IAM policy) before additive ones (a member).
  if (mixed) work.sort((a, b) => (a.join.priority ?? 0) - (b.join.priority ?? 0));
  const joined = new Set<Child>();
  for (let i = 0; i < work.length; i++) {
    const { child, join } = work[i]!;
    const parents = resolveTargets(index, child, join.parents, join.via, join.many ?? false);
    for (let k = 0; k < parents.length; k++) {
      const parent = parents[k]!;
      join.apply(parent.resource, child.values, { child: child.tf });
      addRefs(parent, child, join);
    }
    if (parents.length > 0) joined.add(child);
  }
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (joined.has(child) || child.entry.resource) continue;
    const key = `${child.tf.type} (parent not in input)`;
    unsupported[key] = (unsupported[key] ?? 0) + 1;
  }
}

/** Lets resources copy facts from the resources they name (an Azure container's account). */
export function applyPulls(built: readonly Built[], index: Index = new Index(built)): void {
  for (let i = 0; i < built.length; i++) {
    const self = built[i]!;
    const pulls = self.entry.pulls;
    if (!pulls) continue;
    for (const pull of pulls) {
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
