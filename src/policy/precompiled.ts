import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { PolicyDefinition, PolicyOrigin } from './definition.js';

/**
 * The built-in packs, read and validated at build time (YAML syntax, schema) and embedded in the CLI
 * bundle, so a scan does not parse YAML or run the schema on every start. Each file is keyed by its
 * path under the packs folder and its SHA-256: a pack file that differs from the one validated at build
 * time (edited in place, another version) is read from disk the ordinary way. Filters are still
 * compiled at run time, where parameters apply.
 */
export interface PrecompiledPack {
  sha256: string;
  /** The definitions without their origin, plus where each starts in the file. */
  definitions: (Omit<PolicyDefinition, 'origin'> & { line: number; column: number })[];
}

/** Pack file path (relative to the packs folder, `/`-separated) → its precompiled definitions. */
export type PrecompiledPacks = Record<string, PrecompiledPack>;

// Replaced by the bundler (scripts/bundle.mjs) with the JSON text of PrecompiledPacks; absent under
// tsc/tsx, where the packs are always read from disk.
declare const __WARDEN_PRECOMPILED_PACKS__: string | undefined;

let packs: PrecompiledPacks | undefined | null;

function embedded(): PrecompiledPacks | undefined {
  if (packs === undefined) {
    packs =
      typeof __WARDEN_PRECOMPILED_PACKS__ === 'string'
        ? (JSON.parse(__WARDEN_PRECOMPILED_PACKS__) as PrecompiledPacks)
        : null;
  }
  return packs ?? undefined;
}

export function sha256(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

/**
 * The embedded definitions of a built-in pack file when the file on disk is byte for byte the one
 * validated at build time; undefined otherwise (then the caller parses it).
 */
export function precompiledDefinitions(
  file: string,
  relativePath: string,
  origin: Omit<PolicyOrigin, 'line' | 'column'>,
  packs: PrecompiledPacks | undefined = embedded(),
): PolicyDefinition[] | undefined {
  const pack = packs?.[relativePath];
  if (!pack) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (sha256(bytes) !== pack.sha256) return undefined;
  // Fresh objects per call: the caller owns what it gets, as it would after parsing.
  const copies = JSON.parse(JSON.stringify(pack.definitions)) as PrecompiledPack['definitions'];
  return copies.map(({ line, column, ...def }) => ({ ...def, origin: { ...origin, line, column } }));
}

/**
 * A pack file's entry for the bundle, or undefined when its definitions do not survive a JSON round
 * trip unchanged (say, a YAML `.inf`): such a file is left to be read at run time.
 */
export function precompilePack(
  bytes: Uint8Array,
  definitions: PolicyDefinition[],
): PrecompiledPack | undefined {
  const stripped = definitions.map(({ origin, ...def }) => ({
    ...def,
    line: origin.line,
    column: origin.column,
  }));
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(stripped)), stripped)) return undefined;
  return { sha256: sha256(bytes), definitions: stripped };
}
