import type { Inventory, ResourceRef } from '../../model/resource.js';
import { InputError } from '../../util/errors.js';
import { translateTerraform } from './inventory.js';
import type { TfResource } from './ir.js';
import { referencedResource } from './translate/address.js';
import { withoutSensitive } from './translate/masks.js';
import {
  checkFormatVersion,
  describe,
  expectObject,
  expectString,
  optionalArray,
} from './translate/shape.js';
import { isObject } from './translate/values.js';

function readResource(
  entry: unknown,
  moduleAddress: string,
  where: string,
  file: string,
): TfResource | undefined {
  const r = expectObject(entry, where, file);
  const address = expectString(r.address, `${where}.address`, file);
  const at = `resource ${address}`;
  if (r.mode !== 'managed' && r.mode !== 'data')
    throw new InputError(`${at}: mode must be "managed" or "data"`, file);
  if (r.mode === 'data' || r.deposed_key !== undefined) return undefined;
  const type = expectString(r.type, `${at}: type`, file);
  const name = expectString(r.name, `${at}: name`, file);
  if (!isObject(r.values))
    throw new InputError(`${at}: values must be an object, not ${describe(r.values)}`, file);
  const mask = r.sensitive_values;
  if (mask !== undefined && mask !== null && typeof mask !== 'boolean' && !isObject(mask)) {
    throw new InputError(`${at}: sensitive_values must be an object, not ${describe(mask)}`, file);
  }
  const index = r.index;
  if (index !== undefined && typeof index !== 'number' && typeof index !== 'string') {
    throw new InputError(`${at}: index must be a number or a string`, file);
  }
  const sensitive = withoutSensitive(r.values, [mask]);
  // State keeps no references; `depends_on` still helps to place a sub-resource whose value is ambiguous.
  const refs: ResourceRef[] = [];
  for (const dep of optionalArray(r.depends_on, `${at}: depends_on`, file)) {
    const parsed = typeof dep === 'string' ? referencedResource(dep) : undefined;
    if (parsed) refs.push({ attribute: 'depends_on', target: parsed.target });
  }
  const tf: TfResource = {
    kind: 'terraform-state',
    address,
    module: moduleAddress,
    type,
    name,
    values: sensitive.values,
    sensitive: sensitive.paths,
    refs,
    region: '',
    file,
    skips: [],
  };
  if (index !== undefined) tf.index = index;
  return tf;
}

function readModule(
  module: unknown,
  moduleAddress: string,
  where: string,
  file: string,
  out: TfResource[],
): void {
  const m = expectObject(module, where, file);
  optionalArray(m.resources, `${where}.resources`, file).forEach((r, i) => {
    const tf = readResource(r, moduleAddress, `${where}.resources[${i}]`, file);
    if (tf) out.push(tf);
  });
  optionalArray(m.child_modules, `${where}.child_modules`, file).forEach((child, i) => {
    const at = `${where}.child_modules[${i}]`;
    const c = expectObject(child, at, file);
    readModule(c, expectString(c.address, `${at}.address`, file), at, file, out);
  });
}

/** The resources of a `terraform show -json` state, in Warden's Terraform IR. */
export function stateResources(doc: unknown, file: string): TfResource[] {
  const state = expectObject(doc, 'a Terraform state (`terraform show -json`)', file);
  if (Array.isArray(state.resources) && typeof state.version === 'number') {
    throw new InputError(
      'this is a raw terraform.tfstate; give the output of `terraform show -json` instead',
      file,
    );
  }
  checkFormatVersion(state, 'state', file);
  // An empty state is written as `{"format_version": "1.0"}` with no values at all.
  if (state.values === undefined || state.values === null) return [];
  const values = expectObject(state.values, 'values', file);
  const out: TfResource[] = [];
  if (values.root_module !== undefined) readModule(values.root_module, '', 'values.root_module', file, out);
  return out;
}

export function readTerraformState(doc: unknown, file: string): Inventory {
  const inventory = translateTerraform(stateResources(doc, file), 'terraform-state');
  inventory.inputs = [file];
  return inventory;
}
