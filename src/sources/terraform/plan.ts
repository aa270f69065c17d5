import type { Inventory, ResourceRef } from '../../model/resource.js';
import { isUnknown } from '../../model/unknown.js';
import { InputError } from '../../util/errors.js';
import { translateTerraform } from './inventory.js';
import type { TfResource } from './ir.js';
import { changeRuns } from './plan-bytes.js';
import { blockAddress, inModule, referencedResource, targetsOf } from './translate/address.js';
import { type ConfiguredResource, PlanConfiguration, withEachValue } from './translate/configuration.js';
import { identityValue } from './translate/identity.js';
import { withoutSensitive, withUnknown } from './translate/masks.js';
import { typeEntry } from './translate/registry.js';
import {
  checkFormatVersion,
  describe,
  expectObject,
  expectString,
  optionalArray,
} from './translate/shape.js';
import { isObject } from './translate/values.js';

/** Actions after which the resource exists; a plain delete (or forget) leaves nothing to check. */
function willExist(actions: readonly string[]): boolean {
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a === 'create' || a === 'update' || a === 'no-op' || a === 'read') return true;
  }
  return false;
}

const MASKS = ['after_unknown', 'after_sensitive', 'before_sensitive'] as const;

interface Planned {
  tf: TfResource;
  configured?: ConfiguredResource;
  /** The resource instance `each.value` stands for (module-relative), when the plan has it. */
  eachValue?: string;
}

/** The references of a configured resource instance: its expressions', then its `depends_on`. */
function planRefs(
  config: PlanConfiguration,
  configured: ConfiguredResource,
  moduleAddress: string,
  eachValue?: string,
): ResourceRef[] {
  const refs =
    eachValue === undefined
      ? config.referencesIn(configured, moduleAddress).slice()
      : config.referencesWithEachValue(configured, moduleAddress, eachValue);
  const dependsOn = configured.dependsOn;
  for (let k = 0; k < dependsOn.length; k++) {
    const parsed = referencedResource(dependsOn[k]!);
    if (parsed) refs.push({ attribute: 'depends_on', target: inModule(moduleAddress, parsed.target) });
  }
  return refs;
}

/**
 * Read-back attributes (see TypeEntry.readBack) that the plan only marks unknown because they are
 * computed: not configured, they are absent, so defaults and joined sub-resources decide.
 */
function dropUnconfiguredReadBack(
  values: Record<string, unknown>,
  type: string,
  configured?: ConfiguredResource,
): void {
  const readBack = typeEntry(type)?.readBack;
  if (!readBack) return;
  for (let i = 0; i < readBack.length; i++) {
    const attr = readBack[i]!;
    if (isUnknown(values[attr]) && !(configured && attr in configured.expressions)) delete values[attr];
  }
}

/** A non-empty string; anything else goes to `expectString` for its error. */
function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** A mask may be absent, a boolean or an object. */
function isMask(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'boolean' || isObject(value);
}

// The checks below build their error messages only when they fail: a plan has many thousand entries.
function readChange(entry: unknown, i: number, file: string, config: PlanConfiguration): Planned | undefined {
  const rc = isObject(entry) ? entry : expectObject(entry, `resource_changes[${i}]`, file);
  const address = isText(rc.address)
    ? rc.address
    : expectString(rc.address, `resource_changes[${i}].address`, file);
  if (rc.mode !== 'managed' && rc.mode !== 'data')
    throw new InputError(`resource ${address}: mode must be "managed" or "data"`, file);
  if (rc.mode === 'data' || rc.deposed !== undefined) return undefined;
  const type = isText(rc.type) ? rc.type : expectString(rc.type, `resource ${address}: type`, file);
  const name = isText(rc.name) ? rc.name : expectString(rc.name, `resource ${address}: name`, file);
  const change = isObject(rc.change)
    ? rc.change
    : expectObject(rc.change, `resource ${address}: change`, file);
  const actions = Array.isArray(change.actions)
    ? change.actions
    : optionalArray(change.actions, `resource ${address}: change.actions`, file);
  let strings = actions.length > 0;
  for (let k = 0; strings && k < actions.length; k++) strings = typeof actions[k] === 'string';
  if (!strings) {
    throw new InputError(`resource ${address}: change.actions must be a non-empty list of strings`, file);
  }
  if (!willExist(actions as string[])) return undefined;
  if (!isObject(change.after)) {
    throw new InputError(
      `resource ${address}: change.after must be an object for actions ${JSON.stringify(actions)}, not ${describe(change.after)}`,
      file,
    );
  }
  for (let k = 0; k < MASKS.length; k++) {
    const mask = MASKS[k]!;
    const m = change[mask];
    if (!isMask(m)) {
      throw new InputError(
        `resource ${address}: change.${mask} must be an object or a boolean, not ${describe(m)}`,
        file,
      );
    }
  }
  const moduleAddress =
    rc.module_address === undefined
      ? ''
      : isText(rc.module_address)
        ? rc.module_address
        : expectString(rc.module_address, `resource ${address}: module_address`, file);
  const index = rc.index;
  if (index !== undefined && typeof index !== 'number' && typeof index !== 'string') {
    throw new InputError(`resource ${address}: index must be a number or a string`, file);
  }
  const configured = config.resource(moduleAddress, type, name);
  const sensitive = withoutSensitive(change.after, [change.after_sensitive, change.before_sensitive]);
  // Unconfigured read-back attributes the plan adds as unknown are left out as it goes (deleting them
  // afterwards would turn the values into a slow dictionary); any it could not leave out go here.
  const readBack = typeEntry(type)?.readBack;
  const omit = readBack
    ? (attr: string) => readBack.includes(attr) && !(configured && attr in configured.expressions)
    : undefined;
  const values = withUnknown(sensitive.values, change.after_unknown, omit);
  dropUnconfiguredReadBack(values, type, configured);
  const refs: ResourceRef[] = configured ? planRefs(config, configured, moduleAddress) : [];
  const tf: TfResource = {
    kind: 'terraform-plan',
    address,
    module: moduleAddress,
    type,
    name,
    values,
    sensitive: sensitive.paths,
    refs,
    region: config.region(
      configured?.providerKey,
      typeof rc.provider_name === 'string' ? rc.provider_name : undefined,
    ),
    file,
    skips: [],
  };
  if (index !== undefined) tf.index = index;
  return configured ? { tf, configured } : { tf };
}

/** True when an attribute that names another resource is unknown: `fillKnownIdentities` may fill it. */
function hasUnknownName(tf: TfResource): boolean {
  const names = typeEntry(tf.type)?.names;
  if (!names) return false;
  for (let i = 0; i < names.length; i++) if (isUnknown(tf.values[names[i]!])) return true;
  return false;
}

/**
 * Before apply, `aws_s3_bucket.trail.id` is unknown although it will equal the configured bucket
 * name. For attributes that name another resource (TypeEntry.names) and reference exactly one
 * attribute of exactly one resource, that known equivalent (ResourceSpec.identity) fills the value.
 * `candidates` are the configured resources with such an unknown attribute, in plan order.
 */
function fillKnownIdentities(
  candidates: readonly Planned[],
  addresses: () => Map<string, TfResource>,
  config: PlanConfiguration,
): void {
  for (let c = 0; c < candidates.length; c++) fillKnownIdentity(candidates[c]!, addresses, config);
}

function fillKnownIdentity(
  { tf, configured, eachValue }: Planned,
  addresses: () => Map<string, TfResource>,
  config: PlanConfiguration,
): void {
  if (!configured) return;
  const names = typeEntry(tf.type)?.names ?? [];
  for (let n = 0; n < names.length; n++) {
    const attr = names[n]!;
    if (!isUnknown(tf.values[attr])) continue;
    const expr = configured.expressions[attr];
    if (!isObject(expr) || !Array.isArray(expr.references)) continue;
    let refs: unknown[] = [];
    for (let i = 0; i < expr.references.length; i++) {
      const ref: unknown = expr.references[i];
      if (typeof ref === 'string') refs.push(ref);
    }
    if (eachValue !== undefined) refs = withEachValue(refs, eachValue);
    // Every reference a resource, and one attribute of them all.
    if (refs.length === 0) continue;
    let attribute: string | undefined;
    let attributes = 0;
    let resources = true;
    for (let i = 0; i < refs.length && resources; i++) {
      const parsed = config.parse(refs[i] as string);
      if (!parsed) resources = false;
      else if (parsed.attribute !== undefined && parsed.attribute !== attribute) {
        attribute = parsed.attribute;
        attributes++;
      }
    }
    if (!resources || attributes !== 1 || !attribute) continue;
    const targets = targetsOf(refs, config.parse);
    const [target] = targets;
    if (targets.length !== 1 || !target) continue;
    const other = addresses().get(inModule(tf.module, target));
    const value = other ? identityValue(other, attribute) : undefined;
    if (value !== undefined) tf.values[attr] = value;
  }
}

/**
 * `for_each = aws_s3_bucket.b` makes `each.value` the bucket instance with the instance's own key, so
 * `bucket = each.value.id` names `aws_s3_bucket.b["logs"]`. When the plan has that instance, the
 * references of `each.value` are read as references to it (and its refs are taken again).
 * `candidates` are the configured instances of blocks whose `for_each` iterates a resource block.
 */
function resolveEachValues(
  candidates: readonly Planned[],
  addresses: () => Map<string, TfResource>,
  config: PlanConfiguration,
): void {
  for (let i = 0; i < candidates.length; i++) {
    const p = candidates[i]!;
    const forEach = p.configured?.forEach;
    if (forEach === undefined || typeof p.tf.index !== 'string') continue;
    const { address, module } = p.tf;
    const key = address.slice(blockAddress(address).length);
    if (key === '') continue;
    const eachValue = `${forEach}${key}`;
    if (!addresses().has(inModule(module, eachValue))) continue;
    p.eachValue = eachValue;
    p.tf.refs = planRefs(config, p.configured!, module, eachValue);
  }
}

/** The resources a `terraform show -json` plan will leave in place, in Warden's Terraform IR. */
export function planResources(doc: unknown, file: string): TfResource[] {
  const plan = expectObject(doc, 'a Terraform plan (`terraform show -json <planfile>`)', file);
  checkFormatVersion(plan, 'plan', file);
  if (!('resource_changes' in plan) && !('planned_values' in plan)) {
    throw new InputError('not a Terraform plan: it has neither resource_changes nor planned_values', file);
  }
  // A plan read from bytes (plan-bytes.ts) hands its changes over a run at a time, each translated
  // before the next is parsed; any other document has them in one list.
  const runs = changeRuns(plan);
  const all = runs ? undefined : optionalArray(plan.resource_changes, 'resource_changes', file);
  const config = new PlanConfiguration(plan.configuration, plan.variables);
  const planned: Planned[] = [];
  const candidates: Planned[] = [];
  const forEachChildren: Planned[] = [];
  const out: TfResource[] = [];
  let i = 0;
  for (let changes = all ?? runs?.take(); changes; changes = runs?.take()) {
    for (let k = 0; k < changes.length; k++, i++) {
      const p = readChange(changes[k], i, file, config);
      if (!p) continue;
      planned.push(p);
      out.push(p.tf);
      // Filling only ever changes the resource being filled, so the candidates are known up front.
      if (p.configured && hasUnknownName(p.tf)) candidates.push(p);
      if (p.configured?.forEach !== undefined) forEachChildren.push(p);
    }
  }
  let byAddress: Map<string, TfResource> | undefined;
  const addresses = () => {
    if (!byAddress) {
      byAddress = new Map();
      for (const p of planned) byAddress.set(p.tf.address, p.tf);
    }
    return byAddress;
  };
  resolveEachValues(forEachChildren, addresses, config);
  fillKnownIdentities(candidates, addresses, config);
  return out;
}

export function readTerraformPlan(doc: unknown, file: string): Inventory {
  const inventory = translateTerraform(planResources(doc, file), 'terraform-plan');
  inventory.inputs = [file];
  return inventory;
}
