import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InlineSkip } from '../../../model/resource.js';
import type { TfResource } from '../ir.js';
import { loadConfiguration, terraformFiles } from './config.js';
import { ExpressionCache } from './expressions.js';
import { ModuleInstance, type SkippedModule } from './module-instance.js';
import { readTfvars } from './tfvars.js';

export type { SkippedModule } from './module-instance.js';

export interface HclReadResult {
  resources: TfResource[];
  /** Module calls with a remote source (registry, git, …): not downloaded, so not scanned. */
  skippedModules: SkippedModule[];
}

/**
 * Evaluation is synchronous over expressions compiled beforehand. A template file is only known once
 * its path is evaluated, so a pass that meets one queues it, and the pass is run again once it is
 * compiled. Three passes cover templates named through locals; a fourth would mean a cycle.
 */
const MAX_PASSES = 4;

export async function readHclDirectoryWithStats(dir: string): Promise<HclReadResult> {
  const { root, strings } = await loadConfiguration(dir);
  const tfvars = await readTfvars(root.dir, root.displayDir, strings);
  const expressions = new ExpressionCache();
  await expressions.compile(strings);
  for (let pass = 1; ; pass++) {
    const context = { expressions, rootDir: root.dir, tfvars };
    const resources: TfResource[] = [];
    const skippedModules: SkippedModule[] = [];
    new ModuleInstance(context, root, '').collect(resources, skippedModules);
    if (pass >= MAX_PASSES || !(await expressions.flushPending())) return { resources, skippedModules };
  }
}

/** Every resource instance declared in a Terraform directory and the local modules it calls. */
export async function readHclDirectory(dir: string): Promise<TfResource[]> {
  return (await readHclDirectoryWithStats(dir)).resources;
}

export interface HclLocation {
  file: string;
  line: number;
  skips: InlineSkip[];
}

/**
 * Where each resource is declared, for findings that come from a plan whose .tf files sit beside it.
 * Keyed by instance address (`module.net[0].aws_subnet.edge[1]`), by the block address of that module
 * instance (`module.net[0].aws_subnet.edge`) and by the address with every index removed
 * (`module.net.aws_subnet.edge`), so a plan address that the HCL cannot expand still finds its block.
 * An empty map when the directory holds no .tf files; syntax errors still raise InputError.
 */
export async function readHclLocations(dir: string): Promise<Map<string, HclLocation>> {
  const locations = new Map<string, HclLocation>();
  if (!existsSync(dir) || !statSync(dir).isDirectory() || terraformFiles(resolve(dir)).length === 0) {
    return locations;
  }
  for (const r of await readHclDirectory(dir)) {
    if (r.file === undefined || r.line === undefined) continue;
    const location = { file: r.file, line: r.line, skips: r.skips };
    const block = `${r.module === '' ? '' : `${r.module}.`}${r.type}.${r.name}`;
    for (const key of [r.address, block, r.address.replace(/\[[^\]]*\]/g, '')]) {
      if (!locations.has(key)) locations.set(key, location);
    }
  }
  return locations;
}
