import { scanInventory } from '../../src/engine/scan.js';
import type { Inventory, Resource } from '../../src/model/resource.js';
import { availablePacks, loadPolicies } from '../../src/policy/load.js';
import { snapshotInventory } from '../../src/sources/snapshot/index.js';
import { readSnapshotFile } from '../../src/sources/snapshot/read.js';

export const ACCOUNT = '111122223333';
export const NOW = new Date('2026-11-23T00:00:00Z');

/** A live-shaped resource (docs/resource-types.md) in the test account; ids are ARN-like. */
export function live(
  type: string,
  name: string,
  config: Record<string, unknown>,
  extra: Partial<Resource> = {},
): Resource {
  return {
    id: `arn:aws:${type}:${extra.region ?? 'us-east-1'}:${extra.account ?? ACCOUNT}:${name}`,
    provider: 'aws',
    type,
    account: ACCOUNT,
    region: 'us-east-1',
    name,
    tags: {},
    config,
    source: { kind: 'live' },
    ...extra,
  };
}

export function inventoryOf(resources: Resource[]): Inventory {
  return { resources, unsupported: {}, inputs: ['test'] };
}

/**
 * Reads a `warden-inventory` snapshot fixture. The one place tests read scenario files, so the lead
 * can swap in a moto-collected inventory with the same resources.
 */
export function scenario(file: string): Inventory {
  return snapshotInventory(readSnapshotFile(file), file);
}

/** Runs one policy (from any pack) over resources; returns `name status` lines in result order. */
export function runPolicy(id: string, resources: Resource[]): string[] {
  const policies = loadPolicies({ packs: availablePacks(), only: [id] });
  const report = scanInventory(inventoryOf(resources), policies, NOW);
  return report.results.map((r) => `${r.resource.name} ${r.status}`);
}
