import type { Inventory, ResourceRef } from '../../model/resource.js';
import { isUnknown } from '../../model/unknown.js';
import { InputError } from '../../util/errors.js';
import { translateTerraform } from './inventory.js';
import type { TfResource } from './ir.js';
import { expressionTargets, inModule, referencedResource } from './translate/address.js';
import { type ConfiguredResource, PlanConfiguration, referencesOf } from './translate/configuration.js';
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
  return actions.some((a) => a === 'create' || a === 'update' || a === 'no-op' || a === 'read');
}

interface Planned {
  tf: TfResource;
  configured?: ConfiguredResource;
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
  for (const attr of typeEntry(type)?.readBack ?? []) {
    if (isUnknown(values[attr]) && !(configured && attr in configured.expressions)) delete values[attr];
  }
}

function readChange(entry: unknown, i: number, file: string, config: PlanConfiguration): Planned | undefined {
  const rc = expectObject(entry, `resource_changes[${i}]`, file);
  const address = expectString(rc.address, `resource_changes[${i}].address`, file);
  const where = `resource ${address}`;
  if (rc.mode !== 'managed' && rc.mode !== 'data')
    throw new InputError(`${where}: mode must be "managed" or "data"`, file);
  if (rc.mode === 'data' || rc.deposed !== undefined) return undefined;
  const type = expectString(rc.type, `${where}: type`, file);
  const name = expectString(rc.name, `${where}: name`, file);
  const change = expectObject(rc.change, `${where}: change`, file);
  const actions = optionalArray(change.actions, `${where}: change.actions`, file);
  if (actions.length === 0 || actions.some((a) => typeof a !== 'string')) {
    throw new InputError(`${where}: change.actions must be a non-empty list of strings`, file);
  }
  if (!willExist(actions as string[])) return undefined;
  if (!isObject(change.after)) {
    throw new InputError(
      `${where}: change.after must be an object for actions ${JSON.stringify(actions)}, not ${describe(change.after)}`,
      file,
    );
  }
  for (const mask of ['after_unknown', 'after_sensitive', 'before_sensitive'] as const) {
    const m = change[mask];
    if (m !== undefined && m !== null && typeof m !== 'boolean' && !isObject(m)) {
      throw new InputError(
        `${where}: change.${mask} must be an object or a boolean, not ${describe(m)}`,
        file,
      );
    }
  }
  const moduleAddress =
    rc.module_address === undefined ? '' : expectString(rc.module_address, `${where}: module_address`, file);
  const index = rc.index;
  if (index !== undefined && typeof index !== 'number' && typeof index !== 'string') {
    throw new InputError(`${where}: index must be a number or a string`, file);
  }
  const configured = config.resource(moduleAddress, type, name);
  const sensitive = withoutSensitive(change.after, [change.after_sensitive, change.before_sensitive]);
  const values = withUnknown(sensitive.values, change.after_unknown);
  dropUnconfiguredReadBack(values, type, configured);
  const refs: ResourceRef[] = configured ? referencesOf(configured.expressions, moduleAddress) : [];
  for (const dep of configured?.dependsOn ?? []) {
    const parsed = referencedResource(dep);
    if (parsed) refs.push({ attribute: 'depends_on', target: inModule(moduleAddress, parsed.target) });
  }
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

/**
 * Before apply, `aws_s3_bucket.trail.id` is unknown although it will equal the configured bucket
 * name. For attributes that name another resource (TypeEntry.names) and reference exactly one
 * attribute of exactly one resource, that known equivalent (ResourceSpec.identity) fills the value.
 */
function fillKnownIdentities(planned: readonly Planned[]): void {
  const byAddress = new Map(planned.map((p) => [p.tf.address, p.tf]));
  for (const { tf, configured } of planned) {
    for (const attr of typeEntry(tf.type)?.names ?? []) {
      if (!isUnknown(tf.values[attr]) || !configured) continue;
      const expr = configured.expressions[attr];
      const refs =
        isObject(expr) && Array.isArray(expr.references)
          ? expr.references.filter((r) => typeof r === 'string')
          : [];
      const parsed = refs.map(referencedResource);
      if (parsed.length === 0 || parsed.some((p) => p === undefined)) continue;
      const targets = expressionTargets(refs);
      const attributes = new Set(parsed.map((p) => p?.attribute).filter((a) => a !== undefined));
      const [target] = targets;
      const [attribute] = [...attributes];
      if (targets.length !== 1 || attributes.size !== 1 || !target || !attribute) continue;
      const other = byAddress.get(inModule(tf.module, target));
      const value = other ? identityValue(other, attribute) : undefined;
      if (value !== undefined) tf.values[attr] = value;
    }
  }
}

/** The resources a `terraform show -json` plan will leave in place, in Warden's Terraform IR. */
export function planResources(doc: unknown, file: string): TfResource[] {
  const plan = expectObject(doc, 'a Terraform plan (`terraform show -json <planfile>`)', file);
  checkFormatVersion(plan, 'plan', file);
  if (!('resource_changes' in plan) && !('planned_values' in plan)) {
    throw new InputError('not a Terraform plan: it has neither resource_changes nor planned_values', file);
  }
  const changes = optionalArray(plan.resource_changes, 'resource_changes', file);
  const config = new PlanConfiguration(plan.configuration, plan.variables);
  const planned = changes
    .map((c, i) => readChange(c, i, file, config))
    .filter((p): p is Planned => p !== undefined);
  fillKnownIdentities(planned);
  return planned.map((p) => p.tf);
}

export function readTerraformPlan(doc: unknown, file: string): Inventory {
  const inventory = translateTerraform(planResources(doc, file), 'terraform-plan');
  inventory.inputs = [file];
  return inventory;
}
