import type { Resource } from '../model/resource.js';
import { isObj as isObject } from '../util/narrow.js';
import type { PolicyDefinition } from './definition.js';
import type { CompiledFilter, CompileEnv } from './filters/types.js';
import { compileValueFilter, type ValueSpec } from './filters/value.js';
import { RESOURCE_TYPES, TYPED_FILTERS } from './registry.js';
import { didYouMean, SpecError } from './spec-error.js';
import { allOf, anyOf, negate } from './verdict.js';

export interface CompiledException {
  reason: string;
  matches(resource: Resource): boolean;
}

export interface CompiledPolicy {
  definition: PolicyDefinition;
  id: string;
  resourceTypes: readonly string[];
  filter: CompiledFilter;
  exceptions: CompiledException[];
  /** Every config path the policy reads, for demand-driven collection. */
  paths: string[];
}

/** Parameter values a user sets for a policy, overriding its defaults. */
export type ParameterValues = Record<string, Record<string, unknown>>;

const VALUE_KEYS = new Set(['type', 'key', 'op', 'value', 'value_type']);

/** Replaces `{param: name}` placeholders with the policy's parameter values, at compile time. */
function bindParameters(node: unknown, params: Record<string, unknown>, at: (string | number)[]): unknown {
  if (Array.isArray(node)) return node.map((item, i) => bindParameters(item, params, [...at, i]));
  if (!isObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'param') {
    const name = String(node.param);
    if (!(name in params)) {
      throw new SpecError(
        [...at, 'param'],
        `unknown parameter "${name}"${didYouMean(name, Object.keys(params))}`,
      );
    }
    return params[name];
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, bindParameters(v, params, [...at, k])]));
}

function compileList(items: unknown, env: CompileEnv): CompiledFilter[] {
  if (!Array.isArray(items)) throw new SpecError(env.at, 'must be a list of filters');
  return items.map((item, i) => compileFilter(item, { ...env, at: [...env.at, i] }));
}

function combine(parts: CompiledFilter[], how: 'and' | 'or'): CompiledFilter {
  const paths = [...new Set(parts.flatMap((p) => p.paths))];
  if (parts.length === 1) return parts[0]!;
  return {
    paths,
    evaluate(resource, ctx) {
      const verdicts = [];
      for (const part of parts) {
        const v = part.evaluate(resource, ctx);
        // Short-circuit on the deciding value, as Kleene logic allows.
        if (how === 'and' && v.truth === false) return v;
        if (how === 'or' && v.truth === true) return v;
        verdicts.push(v);
      }
      return how === 'and' ? allOf(verdicts) : anyOf(verdicts);
    },
  };
}

export function compileFilter(raw: unknown, env: CompileEnv): CompiledFilter {
  if (!isObject(raw)) throw new SpecError(env.at, 'a filter must be a mapping');
  const keys = Object.keys(raw);
  if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or' || keys[0] === 'not')) {
    const op = keys[0];
    const parts = compileList(raw[op], { ...env, at: [...env.at, op] });
    if (parts.length === 0) throw new SpecError([...env.at, op], `"${op}" needs at least one filter`);
    if (op === 'not') {
      const inner = combine(parts, 'and');
      return { paths: inner.paths, evaluate: (r, ctx) => negate(inner.evaluate(r, ctx)) };
    }
    return combine(parts, op);
  }
  const type = raw.type;
  if (type === undefined) {
    // Custodian shorthand: `{Key.Path: expected}`.
    if (keys.length !== 1) {
      throw new SpecError(env.at, 'a filter needs a "type" (or a single `key: value` pair, or and/or/not)');
    }
    const key = keys[0]!;
    return compileValueFilter({ key, value: raw[key] }, env);
  }
  if (typeof type !== 'string') throw new SpecError([...env.at, 'type'], 'type must be a string');
  if (type === 'value') {
    for (const k of keys) {
      if (!VALUE_KEYS.has(k))
        throw new SpecError([...env.at, k], `unknown key "${k}" in value filter${didYouMean(k, VALUE_KEYS)}`);
    }
    return compileValueFilter(raw as unknown as ValueSpec, env);
  }
  const typed = TYPED_FILTERS.get(type);
  if (!typed) {
    const names = ['value', 'and', 'or', 'not', ...TYPED_FILTERS.keys()];
    throw new SpecError([...env.at, 'type'], `unknown filter type "${type}"${didYouMean(type, names)}`);
  }
  const unsupported = env.resourceTypes.filter((t) => !typed.resourceTypes.includes(t));
  if (unsupported.length > 0) {
    throw new SpecError(
      [...env.at, 'type'],
      `filter "${type}" does not apply to ${unsupported.join(', ')} (it applies to ${typed.resourceTypes.join(', ')})`,
    );
  }
  for (const k of keys) {
    if (k !== 'type' && !typed.options.includes(k)) {
      throw new SpecError(
        [...env.at, k],
        `unknown option "${k}" for filter "${type}"${didYouMean(k, typed.options)}${typed.options.length ? ` (valid: ${typed.options.join(', ')})` : ''}`,
      );
    }
  }
  return typed.compile(raw, env);
}

function compileExceptions(def: PolicyDefinition): CompiledException[] {
  return def.exceptions.map((e) => {
    const tagPairs = Object.entries(e.tag ?? {});
    const glob = e.resource
      ? new RegExp(`^${e.resource.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
      : undefined;
    const what = [
      ...tagPairs.map(([k, v]) => `tag ${k}=${v}`),
      ...(e.resource ? [`resource ${e.resource}`] : []),
    ].join(' and ');
    return {
      reason: e.reason ?? `policy exception: ${what}`,
      matches(resource) {
        if (tagPairs.some(([k, v]) => resource.tags[k] !== v)) return false;
        if (glob && !(glob.test(resource.id) || glob.test(resource.name))) return false;
        return tagPairs.length > 0 || glob !== undefined;
      },
    };
  });
}

/**
 * Compiles one policy into closures. Throws SpecError (with the path inside the policy) for any
 * mistake, so a policy set either compiles whole or not at all.
 */
export function compilePolicy(
  def: PolicyDefinition,
  overrides: Record<string, unknown> = {},
): CompiledPolicy {
  def.resourceTypes.forEach((t, i) => {
    if (!RESOURCE_TYPES.includes(t)) {
      const at = def.resourceTypes.length > 1 ? ['resource', i] : ['resource'];
      throw new SpecError(at, `unknown resource type "${t}"${didYouMean(t, RESOURCE_TYPES)}`);
    }
  });
  for (const name of Object.keys(overrides)) {
    if (!(name in def.parameters)) {
      throw new SpecError(
        ['parameters'],
        `policy ${def.id} has no parameter "${name}"${didYouMean(name, Object.keys(def.parameters))}`,
      );
    }
  }
  const params: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(def.parameters))
    params[name] = name in overrides ? overrides[name] : p.default;
  const bound = bindParameters(def.filters, params, ['filters']);
  const parts = compileList(bound, { at: ['filters'], resourceTypes: def.resourceTypes });
  const filter = combine(parts, 'and');
  return {
    definition: def,
    id: def.id,
    resourceTypes: def.resourceTypes,
    filter,
    exceptions: compileExceptions(def),
    // Tag exceptions read tags too: a live scan must fetch them or an exempt resource would fail.
    paths: def.exceptions.some((e) => e.tag) ? [...new Set([...filter.paths, 'Tags'])] : filter.paths,
  };
}
