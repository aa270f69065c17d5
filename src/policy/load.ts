import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { bindActions } from '../remediate/actions/index.js';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';
import { readInputText } from '../util/read-input.js';
import { type CompiledPolicy, compilePolicy, type ParameterValues } from './compile.js';
import { POLICY_KEYS, type PolicyDefinition, policySchema, toDefinition } from './definition.js';
import { type PrecompiledPacks, precompiledDefinitions, precompilePack } from './precompiled.js';
import { didYouMean, SpecError } from './spec-error.js';

/** The packs folder shipped with Warden (next to `dist/` and `src/`). */
export const PACKS_DIR = fileURLToPath(new URL('../../packs', import.meta.url));
export const BUILTIN_PACKS = ['core'];

/**
 * Every policy pack shipped with Warden. `core` runs on every scan; the others (benchmarks such as
 * `cis-aws-v3`, opt-in governance such as `tagging`) run when a framework report or `--pack` asks.
 * `frameworks/` holds framework data, not policies.
 */
export function availablePacks(): string[] {
  return readdirSync(PACKS_DIR)
    .filter((d) => d !== 'frameworks' && statSync(join(PACKS_DIR, d)).isDirectory())
    .sort();
}

export interface PolicySet {
  definitions: PolicyDefinition[];
  compiled: CompiledPolicy[];
}

export interface ParsedFile {
  file: string;
  text: string;
  lines: LineCounter;
  doc: ReturnType<typeof parseDocument>;
}

/** The YAML node (or, for a missing/unknown key, the key itself) at a path of keys and indexes. */
export function nodeAt(
  doc: ParsedFile['doc'],
  path: (string | number)[],
  atKey = false,
): { range?: [number, number, number] | null } | undefined {
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return last as Node;
      if (atKey && i === path.length - 1) return pair.key as Node;
      last = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return last as Node;
      node = item;
    } else {
      return last as Node;
    }
    last = node;
  }
  return node as Node;
}

export function errorAt(parsed: ParsedFile, path: (string | number)[], message: string): InputError {
  // A complaint about a key itself (misspelt, unknown) points at the key, not its value.
  const node = nodeAt(parsed.doc, path, /^unknown (top-level )?(key|option)/.test(message));
  const offset = node?.range?.[0] ?? 0;
  const pos = parsed.lines.linePos(offset);
  return new InputError(message, displayPath(parsed.file), pos.line, pos.col);
}

export function parseYamlFile(file: string, what = 'policy file'): ParsedFile {
  const text = readInputText(file, displayPath(file), what);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new InputError(
      `YAML syntax error: ${first.message.split('\n')[0]}`,
      displayPath(file),
      pos?.line,
      pos?.col,
    );
  }
  return { file, text, lines, doc };
}

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

/** YAML files of a path: the file itself, or every .yaml/.yml under a directory (sorted). */
export function policyFiles(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new InputError('no such policy file or directory', displayPath(path));
  }
  if (st.isFile()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path).sort()) {
    const p = join(path, entry);
    if (statSync(p).isDirectory()) out.push(...policyFiles(p));
    else if (/\.ya?ml$/.test(entry)) out.push(p);
  }
  return out;
}

/** A policy file's definitions; its parsed YAML (for error locations) only when asked for. */
function readSource(source: { file: string; builtIn: boolean }): {
  definitions: PolicyDefinition[];
  parsed: () => ParsedFile;
} {
  const precompiled = source.builtIn
    ? precompiledDefinitions(source.file, packPath(source.file), {
        file: displayPath(source.file),
        builtIn: true,
      })
    : undefined;
  if (precompiled) return { definitions: precompiled, parsed: () => parseYamlFile(source.file) };
  const { parsed, definitions } = readPolicyFile(source.file, source.builtIn);
  return { definitions, parsed: () => parsed };
}

/** A built-in pack file's path under PACKS_DIR, `/`-separated. */
function packPath(file: string): string {
  return relative(PACKS_DIR, file).split(sep).join('/');
}

/**
 * Every built-in pack (not only the default set: `report` and `--pack` load the others) read and
 * validated now, for the bundler to embed (see precompiled.ts).
 */
export function precompileBuiltinPacks(): PrecompiledPacks {
  const out: PrecompiledPacks = {};
  for (const pack of availablePacks()) {
    for (const file of policyFiles(join(PACKS_DIR, pack))) {
      const entry = precompilePack(readFileSync(file), readPolicyFile(file, true).definitions);
      if (entry) out[packPath(file)] = entry;
    }
  }
  return out;
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

/**
 * Loads, validates and compiles a policy set. All-or-nothing: the first mistake in any file throws an
 * InputError with its location, and nothing runs.
 */
export function loadPolicies(options: LoadOptions = {}): PolicySet {
  const sources: { file: string; builtIn: boolean }[] = [];
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
  const seen = new Map<string, PolicyDefinition>();
  const definitions: PolicyDefinition[] = [];
  const compiled: CompiledPolicy[] = [];
  const overrides = options.parameters ?? {};
  for (const source of sources) {
    const { parsed, definitions: defs } = readSource(source);
    defs.forEach((def, i) => {
      const previous = seen.get(def.id);
      if (previous) {
        throw errorAt(
          parsed(),
          ['policies', i, 'id'],
          `duplicate policy id "${def.id}" (first defined at ${previous.origin.file}:${previous.origin.line})`,
        );
      }
      seen.set(def.id, def);
      try {
        const c = compilePolicy(def, overrides[def.id] ?? {});
        bindActions(def);
        definitions.push(def);
        if (def.enabled) compiled.push(c);
      } catch (err) {
        if (err instanceof SpecError) throw errorAt(parsed(), ['policies', i, ...err.at], err.message);
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
