import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { bindActions } from '../remediate/actions/index.js';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';
import { POLICY_KEYS, type PolicyDefinition, policySchema, toDefinition } from './definition.js';
import { availablePacks, embeddedPackDefinitions, PACKS_DIR, packPath, policyFiles } from './packs.js';
import {
  assemblePolicies,
  type LoadOptions,
  type PolicySet,
  type PolicySource,
  policySources,
  type ReadSource,
} from './policy-set.js';
import { type PrecompiledPacks, precompilePack } from './precompiled.js';
import { didYouMean } from './spec-error.js';
import { errorAt, nodeAt, type ParsedFile, parseYamlFile } from './yaml-file.js';

/**
 * The full policy loader: YAML files validated against the schema, with file:line:column for every
 * mistake (the built-in packs come embedded when the bundle has them). The CLI starts through
 * load-set.ts, which avoids loading the YAML parser and the schema library when only the embedded
 * packs are used.
 */
export { availablePacks, BUILTIN_PACKS, PACKS_DIR, policyFiles } from './packs.js';
export type { LoadOptions, PolicySet } from './policy-set.js';
export { errorAt, nodeAt, type ParsedFile, parseYamlFile } from './yaml-file.js';

function zodMessage(issue: z.core.$ZodIssue): { path: (string | number)[]; message: string } {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return { path: [...path, key], message: `unknown key "${key}"${didYouMean(key, POLICY_KEYS)}` };
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    const got = issue.input === undefined ? 'nothing' : JSON.stringify(issue.input);
    const options = (issue.values as unknown[]).map(String);
    return {
      path,
      message: `${path.join('.')} must be one of ${options.join(', ')}, got ${got}${typeof issue.input === 'string' ? didYouMean(issue.input, options) : ''}`,
    };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { path: path.slice(0, -1), message: `missing required key "${String(path.at(-1))}"` };
  }
  return { path, message: `${path.join('.') || 'policy'}: ${issue.message}` };
}

/** Reads the policy definitions of one YAML file, with file:line:column for every mistake. */
function readPolicyFile(
  file: string,
  builtIn: boolean,
): { parsed: ParsedFile; definitions: PolicyDefinition[] } {
  const parsed = parseYamlFile(file);
  const data: unknown = parsed.doc.toJS();
  if (data === null || data === undefined)
    throw new InputError('policy file is empty', displayPath(file), 1, 1);
  if (typeof data !== 'object' || Array.isArray(data) || !('policies' in data)) {
    throw errorAt(parsed, [], 'a policy file must be a mapping with a "policies" list');
  }
  const extra = Object.keys(data).filter((k) => k !== 'policies');
  if (extra.length > 0)
    throw errorAt(parsed, [extra[0]!], `unknown top-level key "${extra[0]}" (only "policies" is allowed)`);
  const list = (data as { policies: unknown }).policies;
  if (!Array.isArray(list)) throw errorAt(parsed, ['policies'], '"policies" must be a list');
  const definitions = list.map((entry, i) => {
    const r = policySchema.safeParse(entry, { reportInput: true });
    if (!r.success) {
      // A misspelt key usually also causes a "missing key" issue; the misspelling is the real news.
      const issue = r.error.issues.find((x) => x.code === 'unrecognized_keys') ?? r.error.issues[0]!;
      const { path, message } = zodMessage(issue);
      throw errorAt(parsed, ['policies', i, ...path], message);
    }
    const node = nodeAt(parsed.doc, ['policies', i]);
    const pos = parsed.lines.linePos(node?.range?.[0] ?? 0);
    return toDefinition(r.data, { file: displayPath(file), line: pos.line, column: pos.col, builtIn });
  });
  return { parsed, definitions };
}

/** A policy file's definitions, from the embedded packs when it is one of them, else parsed. */
function readSource(source: PolicySource): ReadSource {
  const precompiled = source.builtIn ? embeddedPackDefinitions(source.file) : undefined;
  if (precompiled) {
    return {
      definitions: precompiled,
      errorAt: (path, message) => errorAt(parseYamlFile(source.file), path, message),
    };
  }
  const { parsed, definitions } = readPolicyFile(source.file, source.builtIn);
  return { definitions, errorAt: (path, message) => errorAt(parsed, path, message) };
}

/**
 * Every built-in pack (not only the default set: `report` and `--pack` load the others) read and
 * validated now, actions included, for the bundler to embed (see precompiled.ts).
 */
export function precompileBuiltinPacks(): PrecompiledPacks {
  const out: PrecompiledPacks = {};
  for (const pack of availablePacks()) {
    for (const file of policyFiles(join(PACKS_DIR, pack))) {
      const { definitions } = readPolicyFile(file, true);
      for (const def of definitions) bindActions(def);
      const entry = precompilePack(readFileSync(file), definitions);
      if (entry) out[packPath(file)] = entry;
    }
  }
  return out;
}

/**
 * Loads, validates and compiles a policy set. All-or-nothing: the first mistake in any file throws an
 * InputError with its location, and nothing runs.
 */
export function loadPolicies(options: LoadOptions = {}): PolicySet {
  return assemblePolicies(policySources(options), options, readSource, (def) => {
    bindActions(def);
  });
}
