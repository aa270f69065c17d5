import { readFileSync } from 'node:fs';
import type { Inventory, Resource } from '../../../src/model/resource.js';
import type { TfResource } from '../../../src/sources/terraform/ir.js';

/** A Terraform IR resource as the HCL reader would hand it over (no unknowns, no sensitivity). */
export function tf(
  address: string,
  values: Record<string, unknown>,
  extra: Partial<TfResource> = {},
): TfResource {
  const m = /^(?:(.*)\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(\d+|"[^"]*")\])?$/.exec(address);
  if (!m) throw new Error(`bad address ${address}`);
  const rawIndex = m[4];
  const out: TfResource = {
    kind: 'terraform-hcl',
    address,
    module: m[1] ?? '',
    type: m[2]!,
    name: m[3]!,
    values,
    sensitive: [],
    refs: [],
    region: 'eu-west-1',
    file: 'main.tf',
    skips: [],
    ...extra,
  };
  if (rawIndex !== undefined) out.index = rawIndex.startsWith('"') ? rawIndex.slice(1, -1) : Number(rawIndex);
  return out;
}

export function byId(inventory: Inventory, id: string): Resource {
  const r = inventory.resources.find((x) => x.id === id);
  if (!r) throw new Error(`no resource ${id} in ${inventory.resources.map((x) => x.id).join(', ')}`);
  return r;
}

export function readJson(url: URL): unknown {
  return JSON.parse(readFileSync(url, 'utf8'));
}

export const WEBAPP = new URL('../../../../shared/fixtures/terraform/webapp/', import.meta.url);
