/** A 1-based place in the template text. */
export interface Pos {
  line: number;
  column: number;
}

/**
 * Source positions of the plain objects and arrays a template parses into, kept beside the values
 * (not inside them) so the resolver and translators work on ordinary JSON-like data.
 */
export class Positions {
  private readonly nodes = new WeakMap<object, Pos>();
  private readonly keys = new WeakMap<object, Map<string, Pos>>();

  setNode(value: object, pos: Pos): void {
    this.nodes.set(value, pos);
  }

  setKey(owner: object, key: string, pos: Pos): void {
    let map = this.keys.get(owner);
    if (!map) {
      map = new Map();
      this.keys.set(owner, map);
    }
    map.set(key, pos);
  }

  /** Where an object or array starts. */
  of(value: unknown): Pos | undefined {
    return typeof value === 'object' && value !== null ? this.nodes.get(value) : undefined;
  }

  /** Where a key of a mapping is written. */
  keyOf(owner: unknown, key: string): Pos | undefined {
    return typeof owner === 'object' && owner !== null ? this.keys.get(owner)?.get(key) : undefined;
  }
}
