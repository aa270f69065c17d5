import assert from 'node:assert/strict';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import { type CloudFormationOptions, readCloudFormation } from '../../../src/sources/cloudformation/index.js';
import { InputError } from '../../../src/util/errors.js';

export const FILE = 'stack.yaml';

export function read(text: string, options?: CloudFormationOptions): Inventory {
  return readCloudFormation(text, FILE, options);
}

export function byAddress(inventory: Inventory, address: string): Resource {
  const found = inventory.resources.find((r) => r.source.address === address);
  assert.ok(
    found,
    `no resource ${address} in ${inventory.resources.map((r) => r.source.address).join(', ')}`,
  );
  return found;
}

/** Reads one-resource-of-interest templates: `resources` is the YAML under `Resources:`. */
export function readResources(resources: string, options?: CloudFormationOptions, header = ''): Inventory {
  return read(`${header}Resources:\n${resources}`, options);
}

/** Runs `fn`, asserts it throws an InputError and returns it for exact checks. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an InputError, nothing was thrown');
}
