import { evaluateJson, type JsonObject } from './body.js';
import type { EvalScope, ModuleEnv } from './evaluate.js';
import {
  compareStrings,
  isObjectValue,
  isUnknownValue,
  sortedKeys,
  Tracker,
  Unevaluated,
  type Value,
} from './values.js';

/**
 * `count` and `for_each` of a resource or module block, turned into the instances Terraform creates.
 * When the number of instances is only known after apply, one instance without an index stands for
 * them all, with `count.index` / `each.*` unknown: the block is still checked, never dropped.
 */
export interface InstanceKey {
  /** `count` index or `for_each` key; absent for a single or undeterminable instance. */
  index?: number | string;
  count?: Value;
  each?: { key: Value; value: Value };
}

const UNKNOWN_COUNT: InstanceKey = { count: new Unevaluated(`\${count.index}`) };
const UNKNOWN_EACH: InstanceKey = {
  each: { key: new Unevaluated(`\${each.key}`), value: new Unevaluated(`\${each.value}`) },
};

export function instanceSuffix(index: number | string | undefined): string {
  if (index === undefined) return '';
  return typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

function countInstances(value: Value): InstanceKey[] {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return [UNKNOWN_COUNT];
  return Array.from({ length: n }, (_, i) => ({ index: i, count: i }));
}

function forEachInstances(value: Value): InstanceKey[] {
  if (isObjectValue(value)) {
    return sortedKeys(value).map((key) => ({ index: key, each: { key, value: value[key] as Value } }));
  }
  if (Array.isArray(value)) {
    // A set of strings: each.key and each.value are both the element.
    if (value.some((v) => typeof v !== 'string' && typeof v !== 'number')) return [UNKNOWN_EACH];
    const keys = [...new Set(value.map(String))].sort(compareStrings);
    return keys.map((key) => ({ index: key, each: { key, value: key } }));
  }
  return [UNKNOWN_EACH];
}

/** Instances of a block whose meta-arguments are evaluated in `scope` (the module's own scope). */
export function expandInstances(body: JsonObject, scope: EvalScope): InstanceKey[] {
  if (Object.hasOwn(body, 'count')) {
    const count = evaluateJson(body.count, scope, new Tracker());
    return isUnknownValue(count) ? [UNKNOWN_COUNT] : countInstances(count);
  }
  if (Object.hasOwn(body, 'for_each')) {
    const forEach = evaluateJson(body.for_each, scope, new Tracker());
    return isUnknownValue(forEach) ? [UNKNOWN_EACH] : forEachInstances(forEach);
  }
  return [{}];
}

/** True when the block is expanded by count or for_each (its value is a list or map of instances). */
export function isRepeated(body: JsonObject): 'count' | 'for_each' | undefined {
  if (Object.hasOwn(body, 'count')) return 'count';
  if (Object.hasOwn(body, 'for_each')) return 'for_each';
  return undefined;
}

/** The scope of one instance: the module's names plus its `count.index` or `each.*`. */
export function instanceScope(env: ModuleEnv, key: InstanceKey): EvalScope {
  return {
    env,
    names: new Map(),
    ...(key.count !== undefined ? { count: key.count } : {}),
    ...(key.each ? { each: key.each } : {}),
  };
}
