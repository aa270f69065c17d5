import { type EvalScope, evaluateString, iterationPairs, withNames } from './evaluate.js';
import { needsEvaluation } from './expressions.js';
import { HclEvalError, isUnknownValue, objectFrom, Tracker, Unevaluated, type Value } from './values.js';

/**
 * Evaluates hcl2json's JSON form of a body or attribute. Constants come through as JSON; every string
 * that carries `${…}` or `%{…}` is an expression. Nested blocks are lists of objects, as in Terraform's
 * own JSON, and `dynamic` blocks are expanded into those lists.
 */
export type JsonObject = { [key: string]: unknown };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Called for every expression leaf with its dotted path and what it touched. */
export type LeafHook = (path: string, leaf: Tracker) => void;

function childPath(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

export function evaluateJson(
  json: unknown,
  scope: EvalScope,
  tracker: Tracker,
  path = '',
  onLeaf?: LeafHook,
): Value {
  if (typeof json === 'string') {
    if (!needsEvaluation(json)) return json;
    const leaf = new Tracker();
    const value = evaluateString(json, scope, leaf);
    tracker.absorb(leaf);
    onLeaf?.(path, leaf);
    return value;
  }
  if (json === null || typeof json === 'number' || typeof json === 'boolean') return json;
  if (Array.isArray(json))
    return json.map((item, i) => evaluateJson(item, scope, tracker, childPath(path, i), onLeaf));
  if (isJsonObject(json)) return evaluateObject(json, scope, tracker, path, onLeaf);
  return null;
}

/** `dynamic "ingress" { for_each = …, content { … } }` as hcl2json writes it. */
function dynamicBlocks(value: unknown): Map<string, JsonObject[]> | undefined {
  if (!isJsonObject(value)) return undefined;
  const out = new Map<string, JsonObject[]>();
  for (const [name, specs] of Object.entries(value)) {
    if (!Array.isArray(specs) || !specs.every((s) => isJsonObject(s) && 'content' in s)) return undefined;
    out.set(name, specs as JsonObject[]);
  }
  return out;
}

function evaluateObject(
  json: JsonObject,
  scope: EvalScope,
  tracker: Tracker,
  path: string,
  onLeaf?: LeafHook,
): Value {
  const entries = new Map<string, Value>();
  let unknownKey = false;
  for (const rawKey of bodyAttributeNames(json)) {
    let key = rawKey;
    if (needsEvaluation(rawKey)) {
      const k = evaluateString(rawKey, scope, tracker);
      if (isUnknownValue(k) || (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean')) {
        unknownKey = true;
        continue;
      }
      key = String(k);
    }
    entries.set(key, evaluateBodyAttribute(json, rawKey, scope, tracker, childPath(path, key), onLeaf));
  }
  if (unknownKey) return new Unevaluated(`\${{…}}`);
  return objectFrom(entries);
}

/** The names a body sets: its attributes and nested blocks, with dynamic blocks under their own name. */
export function bodyAttributeNames(body: JsonObject): string[] {
  const dynamics = dynamicBlocks(body.dynamic);
  const names = Object.keys(body).filter((k) => !(k === 'dynamic' && dynamics));
  for (const name of dynamics?.keys() ?? []) if (!names.includes(name)) names.push(name);
  return names;
}

/** One attribute or block list of a body, with its dynamic blocks appended after the static ones. */
export function evaluateBodyAttribute(
  body: JsonObject,
  name: string,
  scope: EvalScope,
  tracker: Tracker,
  path: string,
  onLeaf?: LeafHook,
): Value {
  const specs = dynamicBlocks(body.dynamic)?.get(name);
  const existing = Object.hasOwn(body, name)
    ? evaluateJson(body[name], scope, tracker, path, onLeaf)
    : undefined;
  if (!specs) return existing ?? null;
  const blocks: Value[] = Array.isArray(existing) ? [...existing] : [];
  let unknown = existing !== undefined && isUnknownValue(existing);
  for (const spec of specs) {
    const expanded = expandDynamic(spec, name, scope, tracker, path, blocks.length, onLeaf);
    if (expanded instanceof Unevaluated) unknown = true;
    else blocks.push(...expanded);
  }
  return unknown ? new Unevaluated(`\${dynamic.${name}}`) : blocks;
}

function iteratorName(spec: JsonObject, blockName: string): string {
  const raw = spec.iterator;
  if (typeof raw !== 'string') return blockName;
  return raw.replace(/^\$\{\s*/, '').replace(/\s*\}$/, '') || blockName;
}

function expandDynamic(
  spec: JsonObject,
  blockName: string,
  scope: EvalScope,
  tracker: Tracker,
  path: string,
  offset: number,
  onLeaf?: LeafHook,
): Value[] | Unevaluated {
  const collection = evaluateJson(spec.for_each, scope, tracker, path, onLeaf);
  const content = Array.isArray(spec.content) ? spec.content[0] : spec.content;
  if (isUnknownValue(collection) || !isJsonObject(content))
    return new Unevaluated(`\${dynamic.${blockName}}`);
  let pairs: [Value, Value][];
  try {
    pairs = collection === null ? [] : iterationPairs(collection);
  } catch (err) {
    if (err instanceof HclEvalError) return new Unevaluated(`\${dynamic.${blockName}}`);
    throw err;
  }
  const iterator = iteratorName(spec, blockName);
  return pairs.map(([key, value], i) => {
    const inner = withNames(scope, [
      [
        iterator,
        objectFrom([
          ['key', key],
          ['value', value],
        ]),
      ],
    ]);
    return evaluateJson(content, inner, tracker, childPath(path, offset + i), onLeaf);
  });
}
