import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import type { InlineSkip } from '../../../model/resource.js';
import { InputError } from '../../../util/errors.js';
import { isJsonObject, type JsonObject } from './body.js';
import { needsEvaluation } from './expressions.js';
import { findBlocks, indexBlocks, inlineSkips } from './locations.js';
import { parseHclFile } from './parser.js';

/** The static shape of one module directory: its blocks as hcl2json gives them, with locations. */
export interface BlockLocation {
  file: string;
  line: number;
  skips: InlineSkip[];
}

export interface ResourceBlock {
  type: string;
  name: string;
  body: JsonObject;
  location: BlockLocation;
}

export interface ModuleCall {
  name: string;
  body: JsonObject;
  source: string;
  location: BlockLocation;
  /** The called module's configuration; undefined for a remote source, which is not read. */
  config?: ModuleConfig;
}

export interface ModuleConfig {
  /** Absolute directory. */
  dir: string;
  /** The directory as the caller named it (root) or joined from module sources; used in `file`. */
  displayDir: string;
  /** `path.module`: relative to the root module, '.' for the root. */
  pathModule: string;
  /** In file order, then source order. */
  resources: ResourceBlock[];
  resourceIndex: Map<string, ResourceBlock>;
  modules: Map<string, ModuleCall>;
  variables: Map<string, JsonObject>;
  locals: Map<string, unknown>;
  outputs: Map<string, JsonObject>;
  providers: { name: string; body: JsonObject }[];
}

/** Sources Terraform reads from the local disk rather than installing. */
export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..';
}

export function terraformFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.tf'))
    .map((e) => e.name)
    .sort();
}

/** Every string that may need the expression parser, so they are compiled before evaluation. */
export function collectExpressionStrings(json: unknown, out: Set<string>): void {
  if (typeof json === 'string') {
    if (needsEvaluation(json)) out.add(json);
  } else if (Array.isArray(json)) {
    for (const item of json) collectExpressionStrings(item, out);
  } else if (isJsonObject(json)) {
    for (const [key, item] of Object.entries(json)) {
      if (needsEvaluation(key)) out.add(key);
      collectExpressionStrings(item, out);
    }
  }
}

/** `{ name: [body, …] }` entries of a top-level block kind, each body checked to be an object. */
function labelled(section: unknown): [string, JsonObject[]][] {
  if (!isJsonObject(section)) return [];
  return Object.entries(section).map(([name, bodies]) => [
    name,
    Array.isArray(bodies) ? bodies.filter(isJsonObject) : isJsonObject(bodies) ? [bodies] : [],
  ]);
}

function bodies(section: unknown): JsonObject[] {
  if (Array.isArray(section)) return section.filter(isJsonObject);
  return isJsonObject(section) ? [section] : [];
}

interface Loader {
  configs: Map<string, Promise<ModuleConfig>>;
  strings: Set<string>;
}

function duplicate(kind: string, labels: string, file: string, line: number): InputError {
  return new InputError(`duplicate ${kind} ${labels}`, file, line, 1);
}

async function readModule(
  loader: Loader,
  dir: string,
  displayDir: string,
  pathModule: string,
  stack: string[],
) {
  const config: ModuleConfig = {
    dir,
    displayDir,
    pathModule,
    resources: [],
    resourceIndex: new Map(),
    modules: new Map(),
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    providers: [],
  };
  const calls: { call: ModuleCall; file: string }[] = [];
  for (const fileName of terraformFiles(dir)) {
    const file = join(displayDir, fileName);
    const text = readFileSync(join(dir, fileName), 'utf8');
    const json = await parseHclFile(text, file);
    const blocks = indexBlocks(text);
    const located = (kind: string, labels: string[], occurrence: number): BlockLocation => {
      const span = findBlocks(text, kind, labels, blocks)[occurrence];
      return { file, line: span?.line ?? 1, skips: span ? inlineSkips(text, span) : [] };
    };
    const fileResources: ResourceBlock[] = [];
    for (const [type, byName] of Object.entries(isJsonObject(json.resource) ? json.resource : {})) {
      for (const [name, list] of labelled(byName)) {
        list.forEach((body, i) => {
          const location = located('resource', [type, name], i);
          const key = `${type}.${name}`;
          if (config.resourceIndex.has(key))
            throw duplicate('resource', `"${type}" "${name}"`, file, location.line);
          const block = { type, name, body, location };
          config.resourceIndex.set(key, block);
          fileResources.push(block);
          collectExpressionStrings(body, loader.strings);
        });
      }
    }
    config.resources.push(...fileResources.sort((a, b) => a.location.line - b.location.line));
    const fileCalls: ModuleCall[] = [];
    for (const [name, list] of labelled(json.module)) {
      list.forEach((body, i) => {
        const location = located('module', [name], i);
        if (config.modules.has(name) || fileCalls.some((c) => c.name === name)) {
          throw duplicate('module call', `"${name}"`, file, location.line);
        }
        const source = body.source;
        if (typeof source !== 'string' || needsEvaluation(source)) {
          throw new InputError(`module "${name}": source must be a literal string`, file, location.line, 1);
        }
        fileCalls.push({ name, body, source, location });
        collectExpressionStrings(body, loader.strings);
      });
    }
    for (const call of fileCalls.sort((a, b) => a.location.line - b.location.line)) {
      config.modules.set(call.name, call);
      calls.push({ call, file });
    }
    for (const [name, list] of labelled(json.variable)) {
      for (const body of list) {
        if (config.variables.has(name))
          throw duplicate('variable', `"${name}"`, file, located('variable', [name], 1).line);
        config.variables.set(name, body);
        collectExpressionStrings(body.default, loader.strings);
      }
    }
    for (const body of bodies(json.locals)) {
      for (const [name, value] of Object.entries(body)) {
        if (config.locals.has(name)) throw new InputError(`duplicate local value "${name}"`, file);
        config.locals.set(name, value);
        collectExpressionStrings(value, loader.strings);
      }
    }
    for (const [name, list] of labelled(json.output)) {
      for (const body of list) {
        if (config.outputs.has(name))
          throw duplicate('output', `"${name}"`, file, located('output', [name], 1).line);
        config.outputs.set(name, body);
        collectExpressionStrings(body.value, loader.strings);
      }
    }
    for (const [name, list] of labelled(json.provider)) {
      for (const body of list) {
        config.providers.push({ name, body });
        collectExpressionStrings(body, loader.strings);
      }
    }
  }
  for (const { call, file } of calls) {
    if (!isLocalSource(call.source)) continue;
    const childDir = resolve(dir, call.source);
    let isDir = false;
    try {
      isDir = statSync(childDir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      throw new InputError(
        `module "${call.name}": source directory ${call.source} not found`,
        file,
        call.location.line,
        1,
      );
    }
    if (childDir === dir || stack.includes(childDir)) {
      throw new InputError(
        `module "${call.name}" calls itself through ${call.source}`,
        file,
        call.location.line,
        1,
      );
    }
    call.config = await loadModule(
      loader,
      childDir,
      join(displayDir, call.source),
      posix.normalize(posix.join(pathModule, call.source)),
      [...stack, dir],
    );
  }
  return config;
}

function loadModule(
  loader: Loader,
  dir: string,
  displayDir: string,
  pathModule: string,
  stack: string[],
): Promise<ModuleConfig> {
  let pending = loader.configs.get(dir);
  if (!pending) {
    pending = readModule(loader, dir, displayDir, pathModule, stack);
    loader.configs.set(dir, pending);
  }
  return pending;
}

export interface LoadedConfiguration {
  root: ModuleConfig;
  /** Strings (from every module) that need the expression parser. */
  strings: Set<string>;
}

/** Reads the root module directory and, through `module` blocks, every local module it calls. */
export async function loadConfiguration(dir: string): Promise<LoadedConfiguration> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError('no such directory', dir);
  }
  if (!isDir) throw new InputError('not a directory', dir);
  if (terraformFiles(dir).length === 0) throw new InputError('no Terraform files', dir);
  const loader: Loader = { configs: new Map(), strings: new Set() };
  const root = await loadModule(loader, resolve(dir), dir, '.', []);
  return { root, strings: loader.strings };
}
