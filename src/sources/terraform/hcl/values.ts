import { UNKNOWN } from '../../../model/unknown.js';

/**
 * Values of the HCL evaluator. Objects are plain records (always read with `Object.hasOwn`, so a key
 * such as `constructor` never reaches the prototype); lists and sets are arrays.
 */
export type Value = null | boolean | number | string | Value[] | ObjectValue | Unevaluated | LazyObject;
export interface ObjectValue {
  [key: string]: Value;
}

/**
 * A value this reader cannot work out statically (known only after apply, or beyond the evaluator).
 * `placeholder` is how the value is written in the source, in Terraform's own `${…}` syntax, so that
 * `jsonencode` can keep the surrounding document readable.
 */
export class Unevaluated {
  constructor(readonly placeholder: string) {}
}

/** Collects, while one expression is evaluated, what it touched: sensitive inputs and resources. */
export class Tracker {
  sensitive = false;
  readonly refs = new Set<string>();

  absorb(other: { sensitive: boolean; refs: Iterable<string> }): void {
    if (other.sensitive) this.sensitive = true;
    for (const ref of other.refs) this.refs.add(ref);
  }
}

/**
 * A resource instance or a module call seen from an expression. Attributes are worked out on demand:
 * evaluating every resource eagerly would loop on mutual references and waste work.
 */
export abstract class LazyObject {
  abstract readonly placeholder: string;
  abstract get(name: string, tracker: Tracker): Value;
}

/** A Terraform evaluation error (bad argument, missing key). The attribute becomes unknown. */
export class HclEvalError extends Error {
  override readonly name = 'HclEvalError';
}

export function isObjectValue(v: Value | undefined): v is ObjectValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Unevaluated) &&
    !(v instanceof LazyObject)
  );
}

/** True for a value whose top level is not known (its parts may still be inspected when false). */
export function isUnknownValue(v: Value): v is Unevaluated | LazyObject {
  return v instanceof Unevaluated || v instanceof LazyObject;
}

export function objectFrom(entries: Iterable<readonly [string, Value]>): ObjectValue {
  // Object.fromEntries defines own properties, so a `__proto__` key stays an ordinary key.
  return Object.fromEntries(entries) as ObjectValue;
}

export function ownValue(obj: ObjectValue, key: string): Value | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Keys in Terraform's iteration order (lexical), which also fixes `for_each` instance order. */
export function sortedKeys(obj: ObjectValue): string[] {
  return Object.keys(obj).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (isUnknownValue(v)) return 'unknown';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Terraform's automatic conversion to string (numbers and bools convert; null and collections do not). */
export function toStr(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new HclEvalError(`cannot use a ${typeName(v)} value as a string`);
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

export function toNum(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new HclEvalError(`a number is required, got ${typeName(v)}`);
}

export function toBool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new HclEvalError(`a bool is required, got ${typeName(v)}`);
}

export function toList(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  throw new HclEvalError(`a list is required, got ${typeName(v)}`);
}

export function toObject(v: Value): ObjectValue {
  if (isObjectValue(v)) return v;
  throw new HclEvalError(`a map or object is required, got ${typeName(v)}`);
}

/** Deep equality with Terraform's strict typing (`1 != "1"`); undefined when an unknown part decides it. */
export function valuesEqual(a: Value, b: Value): boolean | undefined {
  if (isUnknownValue(a) || isUnknownValue(b)) return undefined;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    let result: boolean | undefined = true;
    for (let i = 0; i < a.length; i++) {
      const eq = valuesEqual(a[i] as Value, b[i] as Value);
      if (eq === false) return false;
      if (eq === undefined) result = undefined;
    }
    return result;
  }
  if (isObjectValue(a) || isObjectValue(b)) {
    if (!isObjectValue(a) || !isObjectValue(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    let result: boolean | undefined = true;
    for (const k of keys) {
      const other = ownValue(b, k);
      if (other === undefined) return false;
      const eq = valuesEqual(a[k] as Value, other);
      if (eq === false) return false;
      if (eq === undefined) result = undefined;
    }
    return result;
  }
  return a === b;
}

export function containsUnknown(v: Value): boolean {
  if (isUnknownValue(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObjectValue(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/** Turns an evaluated value into IR form: every unknown part becomes the `UNKNOWN` marker. */
export function toIrValue(v: Value): unknown {
  if (isUnknownValue(v)) return UNKNOWN;
  if (Array.isArray(v)) return v.map(toIrValue);
  // Terraform orders map and object keys lexically; so do plans and states, which keeps diffs quiet.
  if (isObjectValue(v)) return Object.fromEntries(sortedKeys(v).map((k) => [k, toIrValue(v[k] as Value)]));
  return v;
}

/** Plain JSON data (from jsondecode or a .tfvars.json file) as a value. */
export function fromJson(data: unknown): Value {
  if (data === null || typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean')
    return data;
  if (Array.isArray(data)) return data.map(fromJson);
  if (typeof data === 'object') {
    return objectFrom(
      Object.entries(data as Record<string, unknown>).map(([k, item]) => [k, fromJson(item)]),
    );
  }
  return null;
}
