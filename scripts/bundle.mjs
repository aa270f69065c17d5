// Bundles the CLI into a few ES modules (dist/bundle/) so start-up does not resolve and compile
// hundreds of small files from node_modules: a scan is often a CI step on a small input, where
// start-up dominates. The tsc output in dist/ stays for tests and library use.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// The built-in packs, validated now by the same loader (from the tsc output, built just before) and
// embedded, so the CLI does not parse their YAML on every start (src/policy/precompiled.ts).
const { precompileBuiltinPacks } = await import('../dist/policy/load.js');
const packs = JSON.stringify(precompileBuiltinPacks());

// Chunk names change with their content: start empty so stale chunks do not pile up.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { warden: 'src/cli/main.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // The HCL parser loads its WebAssembly from its own package folder; keep it a real dependency.
  // The SQL drivers: better-sqlite3 is a native addon and pg optionally requires pg-native;
  // playwright-core locates its own files at run time.
  external: ['@cdktf/hcl2json', 'better-sqlite3', 'pg', 'playwright-core'],
  // CommonJS dependencies (commander) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __wardenCreateRequire } from 'node:module'; const require = __wardenCreateRequire(import.meta.url);",
  },
  define: { __WARDEN_PRECOMPILED_PACKS__: JSON.stringify(packs) },
  logLevel: 'warning',
});

// `npx warden` runs the bin file directly, so it must be executable in a fresh clone.
chmodSync('dist/bundle/warden.js', 0o755);
