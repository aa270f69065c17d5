import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';
import type { PolicyDefinition } from './definition.js';
import { precompiledDefinitions } from './precompiled.js';

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

/** The embedded definitions of a built-in pack file, or undefined when the file is not the embedded one. */
export function embeddedPackDefinitions(file: string): PolicyDefinition[] | undefined {
  return precompiledDefinitions(file, packPath(file), { file: displayPath(file), builtIn: true });
}

/** A built-in pack file's path under PACKS_DIR, `/`-separated. */
export function packPath(file: string): string {
  return relative(PACKS_DIR, file).split(sep).join('/');
}
