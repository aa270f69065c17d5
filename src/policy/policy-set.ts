import { join } from 'node:path';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';
import { type CompiledPolicy, compilePolicy, type ParameterValues } from './compile.js';
import type { PolicyDefinition } from './definition.js';
import { availablePacks, BUILTIN_PACKS, PACKS_DIR, policyFiles } from './packs.js';
import { didYouMean, SpecError } from './spec-error.js';

/**
 * Assembling a policy set from files whose definitions are already read: duplicate ids, compilation,
 * parameters and `--policy` selection. How a file is read (the embedded built-in packs, or YAML with the
 * schema) is the caller's, so this module needs neither the YAML parser nor the schema library.
 */

export interface PolicySet {
  definitions: PolicyDefinition[];
  compiled: CompiledPolicy[];
}

export interface LoadOptions {
  /** User policy files or directories. */
  paths?: string[];
  /** Include the built-in packs (default true). */
  builtIn?: boolean;
  /** Which built-in packs (default BUILTIN_PACKS); see availablePacks(). */
  packs?: string[];
  /** Per-policy parameter values (`--param id.name=value`). */
  parameters?: ParameterValues;
  /** Only these policy ids (after loading and validating all). */
  only?: string[];
}

export interface PolicySource {
  file: string;
  builtIn: boolean;
}

/** One file's definitions, and where a mistake in entry `path` of it is (an InputError to throw). */
export interface ReadSource {
  definitions: PolicyDefinition[];
  errorAt(path: (string | number)[], message: string): Error;
}

/** The policy files a load reads, in order: the chosen built-in packs, then the user's paths. */
export function policySources(options: LoadOptions): PolicySource[] {
  const sources: PolicySource[] = [];
  if (options.builtIn !== false) {
    const packs = options.packs ?? BUILTIN_PACKS;
    const known = availablePacks();
    for (const pack of packs) {
      if (!known.includes(pack))
        throw new InputError(
          `unknown policy pack "${pack}"${didYouMean(pack, known)} (packs: ${known.join(', ')})`,
        );
    }
    for (const pack of packs)
      for (const f of policyFiles(join(PACKS_DIR, pack))) sources.push({ file: f, builtIn: true });
  }
  for (const p of options.paths ?? []) {
    const files = policyFiles(p);
    if (files.length === 0) throw new InputError('no policy files (.yaml/.yml) found', displayPath(p));
    for (const f of files) sources.push({ file: f, builtIn: false });
  }
  return sources;
}

/**
 * The policy set of the sources. All-or-nothing: the first mistake in any file throws an InputError
 * with its location, and nothing runs. `check` validates a definition beyond compiling it (actions).
 */
export function assemblePolicies(
  sources: readonly PolicySource[],
  options: LoadOptions,
  read: (source: PolicySource) => ReadSource,
  check?: (def: PolicyDefinition) => void,
): PolicySet {
  const seen = new Map<string, PolicyDefinition>();
  const definitions: PolicyDefinition[] = [];
  const compiled: CompiledPolicy[] = [];
  const overrides = options.parameters ?? {};
  for (const source of sources) {
    const file = read(source);
    file.definitions.forEach((def, i) => {
      const previous = seen.get(def.id);
      if (previous) {
        throw file.errorAt(
          ['policies', i, 'id'],
          `duplicate policy id "${def.id}" (first defined at ${previous.origin.file}:${previous.origin.line})`,
        );
      }
      seen.set(def.id, def);
      try {
        const c = compilePolicy(def, overrides[def.id] ?? {});
        check?.(def);
        definitions.push(def);
        if (def.enabled) compiled.push(c);
      } catch (err) {
        if (err instanceof SpecError) throw file.errorAt(['policies', i, ...err.at], err.message);
        throw err;
      }
    });
  }
  for (const id of Object.keys(overrides)) {
    if (!seen.has(id))
      throw new InputError(`--param names an unknown policy "${id}"${didYouMean(id, seen.keys())}`);
  }
  if (options.only && options.only.length > 0) {
    for (const id of options.only) {
      if (!seen.has(id)) throw new InputError(`unknown policy "${id}"${didYouMean(id, seen.keys())}`);
    }
    const only = new Set(options.only);
    return {
      definitions: definitions.filter((d) => only.has(d.id)),
      compiled: compiled.filter((c) => only.has(c.id)),
    };
  }
  return { definitions, compiled };
}
