/** Narrowing helpers for untrusted JSON-shaped data (configs, policy documents, IaC values). */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The value as an object, or an empty one: reading a field of a non-object yields undefined. */
export function asObj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** The value as a list, or an empty one. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The object items of a list, skipping anything else. */
export function objectItems(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}
