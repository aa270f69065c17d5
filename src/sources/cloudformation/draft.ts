import type { InlineSkip, ResourceError, ResourceRef } from '../../model/resource.js';
import type { Pos } from './positions.js';
import type { Props } from './props.js';
import type { RefHit } from './resolve.js';

/**
 * A resource being built: native `config` that may still hold UNKNOWN markers (they become
 * `Resource.unknown` paths at the end), so joins can add sub-resources before paths are fixed.
 */
export interface Draft {
  logicalId: string;
  cfnType: string;
  /** Canonical type, e.g. `aws.s3.bucket`. */
  type: string;
  config: Record<string, unknown>;
  refs: ResourceRef[];
  /** The resource's own Ref/GetAtt hits, for links made after all drafts exist. */
  hits: RefHit[];
  /** Dotted config path of the native name (bucket name, group name…), used when there is no Name tag. */
  nameKey?: string;
  pos?: Pos;
  skips: InlineSkip[];
  errors: ResourceError[];
}

/** How one CloudFormation type becomes a resource of its own. */
export interface TypeSpec {
  type: string;
  nameKey?: string;
  /**
   * CloudFormation property path → the native config key a reference in it fills. Keys are dotted
   * paths where `*` matches a list index (`NetworkInterfaces.*.SubnetId`); the longest match wins and
   * an unmatched top-level property keeps its own name.
   */
  refAttributes?: Record<string, string>;
  translate(props: Props): Record<string, unknown>;
}

/** Drafts by logical id, with look-ups by native name for sub-resources that name their parent. */
export class DraftIndex {
  private readonly byId = new Map<string, Draft>();

  add(draft: Draft): void {
    this.byId.set(draft.logicalId, draft);
  }

  get(logicalId: string, type: string): Draft | undefined {
    const draft = this.byId.get(logicalId);
    return draft?.type === type ? draft : undefined;
  }

  all(): Draft[] {
    return [...this.byId.values()];
  }

  byName(type: string, key: string, name: string): Draft | undefined {
    return this.all().find((draft) => draft.type === type && draft.config[key] === name);
  }
}

/** How one CloudFormation type is folded into other resources; returns how many parents it joined. */
export type JoinSpec = (props: Props, index: DraftIndex) => number;

/**
 * The parents a sub-resource names in `key`: through Ref/GetAtt (any list position), or by a literal
 * native name when the parent declares that name in the same template.
 */
export function parentsOf(
  props: Props,
  index: DraftIndex,
  key: string,
  type: string,
  nameKey?: string,
): Draft[] {
  const found: Draft[] = [];
  for (const target of props.targetsOf(key)) {
    const draft = index.get(target, type);
    if (draft && !found.includes(draft)) found.push(draft);
  }
  if (nameKey) {
    const value = props.raw(key);
    const names = Array.isArray(value) ? value : [value];
    for (const name of names) {
      if (typeof name !== 'string') continue;
      const draft = index.byName(type, nameKey, name);
      if (draft && !found.includes(draft)) found.push(draft);
    }
  }
  return found;
}

/** Appends a joined sub-resource's own references to the parent, under the key the join fills. */
export function inheritRefs(parent: Draft, props: Props, attribute: string, except: string[] = []): void {
  for (const hit of props.resource.hits) {
    if (hit.target === parent.logicalId || except.includes(hit.target)) continue;
    parent.refs.push({ attribute, target: hit.target });
  }
}

/** Appends to a list in a draft's config, creating it; a list already UNKNOWN stays UNKNOWN. */
export function appendTo(draft: Draft, key: string, item: unknown): void {
  const current = draft.config[key];
  if (Array.isArray(current)) current.push(item);
  else if (current === undefined) draft.config[key] = [item];
}

/** Deep copy that keeps UNKNOWN markers (structuredClone rejects symbols). */
export function cloneMarked<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneMarked) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: cloneMarked(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}
