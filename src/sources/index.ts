import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { emptyInventory, type Inventory, mergeInventories } from '../model/resource.js';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';
import { readInputFile } from '../util/read-input.js';
import { looksLikeCloudFormation } from './cloudformation/detect.js';
import { parseJson } from './json.js';
import { looksLikeSnapshot, snapshotInventory } from './snapshot/index.js';
import {
  decodeJsonText,
  PlanBytesMismatch,
  parsePlanBytes,
  planBytesVerified,
} from './terraform/plan-bytes.js';

// Adapters load on first use: a plan scan should not pay for the HCL parser's WebAssembly or the
// CloudFormation reader at start-up.
const terraform = () => import('./terraform/index.js');
const hcl = () => import('./terraform/hcl/index.js');
const cloudformation = () => import('./cloudformation/index.js');

/**
 * Turns the paths a user names into one inventory. The kind of each file is recognised from its
 * content, not its name: a plan is JSON with `resource_changes`/`planned_values`, a state has
 * `values.root_module` and no changes, a template has `Resources` of `AWS::` types; a directory is
 * searched for Terraform roots and for those files.
 */
export type InputKind = 'terraform-plan' | 'terraform-state' | 'cloudformation';

export { parseJson } from './json.js';

const SKIP_DIRS = new Set(['.terraform', 'node_modules', '.git', '.warden', '.venv']);

function readBytes(file: string): Buffer {
  return readInputFile(file, displayPath(file));
}

export function detectJsonKind(doc: unknown): InputKind | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  if ('resource_changes' in d || ('planned_values' in d && 'format_version' in d)) return 'terraform-plan';
  const values = d.values as Record<string, unknown> | undefined;
  if (values && typeof values === 'object' && 'root_module' in values) return 'terraform-state';
  if ('format_version' in d && 'terraform_version' in d && !('values' in d)) return 'terraform-state';
  const res = d.Resources as Record<string, unknown> | undefined;
  if ('AWSTemplateFormatVersion' in d) return 'cloudformation';
  if (
    res &&
    typeof res === 'object' &&
    Object.values(res).some(
      (r) =>
        typeof (r as { Type?: unknown })?.Type === 'string' &&
        String((r as { Type: string }).Type).startsWith('AWS::'),
    )
  ) {
    return 'cloudformation';
  }
  return undefined;
}

/**
 * IaC addresses are unique only within one input (two roots may both have `aws_vpc.main`), so ids
 * are qualified with the input: `infra/prod#aws_vpc.main`, as CloudFormation ids are `file#LogicalId`.
 */
function qualifyIds(inventory: Inventory, input: string): Inventory {
  for (const r of inventory.resources) {
    if (r.source.address && r.id === r.source.address) r.id = `${input}#${r.source.address}`;
  }
  return inventory;
}

/** Adds line numbers and inline skips from the .tf files that sit beside a plan. */
async function enrichPlanFromHcl(inventory: Inventory, dir: string): Promise<void> {
  let locations: Awaited<ReturnType<Awaited<ReturnType<typeof hcl>>['readHclLocations']>>;
  try {
    locations = await (await hcl()).readHclLocations(dir);
  } catch {
    // The plan is the source of truth; unreadable .tf files only cost us line numbers.
    return;
  }
  for (const r of inventory.resources) {
    const address = r.source.address;
    if (!address) continue;
    const loc = locations.get(address) ?? locations.get(address.replace(/\[[^\]]*\]$/, ''));
    if (!loc) continue;
    r.source = { ...r.source, file: loc.file, line: loc.line };
    if (loc.skips.length > 0) r.skips = [...(r.skips ?? []), ...loc.skips];
  }
}

function hasTfFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith('.tf'));
  } catch {
    return false;
  }
}

async function readPlan(doc: unknown, file: string, shown: string): Promise<Inventory> {
  const inv = qualifyIds((await terraform()).readTerraformPlan(doc, shown), shown);
  if (hasTfFiles(dirname(file))) await enrichPlanFromHcl(inv, dirname(file));
  return inv;
}

async function readFileInput(file: string, explicit: boolean): Promise<Inventory | undefined> {
  const bytes = readBytes(file);
  const shown = displayPath(file);
  // Plans are the large inputs: read them without their unread members when that is provably safe.
  const plan = parsePlanBytes(bytes);
  if (plan && detectJsonKind(plan) === 'terraform-plan') {
    // Its changes are proved as they are parsed: use the result (or the error it raised about the
    // plan) only once all of them are; otherwise read the file the ordinary way below.
    try {
      const inv = await readPlan(plan, file, shown);
      if (planBytesVerified(plan)) return inv;
    } catch (err) {
      if (!(err instanceof PlanBytesMismatch) && planBytesVerified(plan)) throw err;
    }
  }
  const text = decodeJsonText(bytes);
  const isJson = /\.json$/i.test(file) || /^\s*[{[]/.test(text);
  if (isJson) {
    let doc: unknown;
    try {
      doc = parseJson(text, file);
    } catch (err) {
      // Inside a directory, a broken unrelated JSON file is not the user's input; named, it is.
      if (explicit) throw err;
      return undefined;
    }
    // A Warden inventory snapshot (`warden collect -o`), named or found in a directory.
    if (looksLikeSnapshot(doc)) {
      const { parseSnapshot } = await import('./snapshot/read.js');
      return snapshotInventory(parseSnapshot(doc, file), file);
    }
    const kind = detectJsonKind(doc);
    if (kind === 'terraform-plan') return readPlan(doc, file, shown);
    if (kind === 'terraform-state')
      return qualifyIds((await terraform()).readTerraformState(doc, shown), shown);
    if (kind === 'cloudformation') return (await cloudformation()).readCloudFormation(text, shown);
    if (explicit) {
      throw new InputError(
        'not a Terraform plan or state (`terraform show -json`), a CloudFormation template or a Warden inventory snapshot',
        shown,
        1,
        1,
      );
    }
    return undefined;
  }
  if (/\.(ya?ml|template)$/i.test(file) || explicit) {
    if (looksLikeCloudFormation(text)) return (await cloudformation()).readCloudFormation(text, shown);
    if (explicit) {
      if (text.trim() === '') throw new InputError('file is empty', shown, 1, 1);
      throw new InputError('not a CloudFormation template (no Resources of AWS:: types)', shown, 1, 1);
    }
  }
  return undefined;
}

async function readHclRoot(dir: string): Promise<Inventory> {
  const shown = displayPath(dir);
  const [{ translateTerraform }, { readHclDirectory }] = await Promise.all([terraform(), hcl()]);
  const inv = qualifyIds(translateTerraform(await readHclDirectory(dir), 'terraform-hcl'), shown);
  inv.inputs = [shown];
  return inv;
}

/** Local module directories referenced from a root: scanned through the root, not on their own. */
function localModuleDirs(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.tf')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/source\s*=\s*"(\.{1,2}\/[^"]*)"/g)) out.push(resolve(dir, m[1]!));
  }
  return out;
}

async function readDirectory(dir: string): Promise<Inventory> {
  const tfRoots: string[] = [];
  const files: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) tfRoots.push(d);
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(join(d, e.name));
      } else if (e.isFile() && /\.(json|ya?ml|template)$/i.test(e.name)) files.push(join(d, e.name));
    }
  };
  walk(dir);
  const modules = new Set(tfRoots.flatMap(localModuleDirs));
  const parts: Inventory[] = [];
  for (const root of tfRoots) {
    if (modules.has(resolve(root))) continue;
    // A directory that holds a plan is scanned through the plan (which knows more), not as HCL too.
    const hasPlan = files.some((f) => dirname(f) === root && /plan.*\.json$/i.test(f));
    if (hasPlan) continue;
    parts.push(await readHclRoot(root));
  }
  for (const f of files) {
    const inv = await readFileInput(f, false);
    if (inv) parts.push(inv);
  }
  return mergeInventories(parts);
}

export async function loadInputs(paths: readonly string[]): Promise<Inventory> {
  if (paths.length === 0)
    throw new InputError('no input: name a Terraform directory, plan/state JSON or CloudFormation template');
  const parts: Inventory[] = [];
  for (const p of paths) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new InputError('no such file or directory', displayPath(p));
    }
    if (st.isDirectory()) {
      const inv = await readDirectory(p);
      if (inv.inputs.length === 0 && inv.resources.length === 0) {
        throw new InputError(
          'no Terraform files, plans, states or CloudFormation templates found',
          displayPath(p),
        );
      }
      parts.push(inv);
    } else if (p.endsWith('.tf')) {
      parts.push(await readHclRoot(dirname(p)));
    } else {
      const inv = (await readFileInput(p, true)) ?? emptyInventory();
      if (inv.inputs.length === 0) inv.inputs = [displayPath(p)];
      parts.push(inv);
    }
  }
  return mergeInventories(parts);
}
