import type { TfResource } from '../ir.js';
import { blockAddress } from './address.js';
import { typeEntry } from './registry.js';

/**
 * The value an attribute of a resource will have when it equals a configured one: an S3 bucket's
 * `id` is its `bucket`, a role's `id` is its `name`. Undefined when not known before apply.
 */
export function identityValue(target: TfResource, attribute: string): string | undefined {
  const source = typeEntry(target.type)?.resource?.identity?.[attribute];
  const value = source ? target.values[source] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Resolves reference targets to one resource: the exact instance, or the only instance of a block. */
export class AddressIndex {
  private readonly byAddress = new Map<string, TfResource>();
  private readonly byBlock = new Map<string, TfResource[]>();

  constructor(resources: readonly TfResource[]) {
    for (const r of resources) {
      this.byAddress.set(r.address, r);
      const block = blockAddress(r.address);
      const list = this.byBlock.get(block);
      if (list) list.push(r);
      else this.byBlock.set(block, [r]);
    }
  }

  resolve(target: string): TfResource | undefined {
    const exact = this.byAddress.get(target);
    if (exact) return exact;
    const instances = this.byBlock.get(target) ?? [];
    return instances.length === 1 ? instances[0] : undefined;
  }
}
