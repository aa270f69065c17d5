import { z } from 'zod';
import type { Inventory } from '../../model/resource.js';
import { displayPath } from '../../util/display-path.js';
import { InputError } from '../../util/errors.js';
import type { AwsCollection } from '../aws/collect.js';

/**
 * The inventory snapshot `warden collect` writes and `warden scan --snapshot` reads: the collected
 * resources plus how they were collected (accounts, regions, API calls, what could not be read), so a
 * scan of a snapshot reports the same gaps as the live scan did.
 */
export const SNAPSHOT_KIND = 'warden-inventory';
export const SNAPSHOT_VERSION = 1;

const resourceSchema = z.object({
  id: z.string().min(1),
  provider: z.enum(['aws', 'azure', 'gcp', 'openstack']),
  type: z.string().min(1),
  account: z.string(),
  region: z.string(),
  name: z.string(),
  tags: z.record(z.string(), z.string()),
  config: z.record(z.string(), z.unknown()),
  source: z.object({
    kind: z.enum([
      'live',
      'terraform-plan',
      'terraform-state',
      'terraform-hcl',
      'cloudformation',
      'snapshot',
      'event',
    ]),
    file: z.string().optional(),
    line: z.number().optional(),
    address: z.string().optional(),
    collectedAt: z.string().optional(),
  }),
  unknown: z.array(z.string()).optional(),
  errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
});

const failureSchema = z.object({
  account: z.string(),
  region: z.string(),
  service: z.string(),
  operation: z.string(),
  code: z.string(),
  message: z.string(),
  iamAction: z.string().optional(),
  resourceType: z.string().optional(),
});

const unreachableSchema = z.object({
  via: z.string(),
  account: z.string().optional(),
  code: z.string(),
  message: z.string(),
  iamAction: z.string().optional(),
});

const accountSchema = z.object({
  accountId: z.string(),
  via: z.string(),
  regions: z.array(z.object({ region: z.string(), durationMs: z.number(), resources: z.number() })),
  skippedRegions: z.array(z.string()),
  durationMs: z.number(),
});

const opSchema = z.object({
  service: z.string(),
  operation: z.string(),
  calls: z.number(),
  attempts: z.number(),
  throttles: z.number(),
  errors: z.number(),
});

const snapshotSchema = z.object({
  kind: z.literal(SNAPSHOT_KIND),
  version: z.literal(SNAPSHOT_VERSION),
  collectedAt: z.string(),
  accounts: z.array(accountSchema),
  resources: z.array(resourceSchema),
  unsupported: z.record(z.string(), z.number()),
  inputs: z.array(z.string()),
  stats: z.object({
    api: z.object({
      operations: z.array(opSchema),
      totals: z.object({
        calls: z.number(),
        attempts: z.number(),
        retries: z.number(),
        throttles: z.number(),
        errors: z.number(),
      }),
    }),
    failures: z.array(failureSchema),
    unreachable: z.array(unreachableSchema),
  }),
});

export type InventorySnapshot = z.infer<typeof snapshotSchema>;

export function toSnapshot(collection: AwsCollection, collectedAt: Date): InventorySnapshot {
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt: collectedAt.toISOString(),
    accounts: collection.accounts,
    resources: collection.inventory.resources as InventorySnapshot['resources'],
    unsupported: collection.inventory.unsupported,
    inputs: collection.inventory.inputs,
    stats: { api: collection.stats, failures: collection.failures, unreachable: collection.unreachable },
  };
}

/** True when a parsed JSON document claims to be a snapshot (then it must validate as one). */
export function looksLikeSnapshot(doc: unknown): boolean {
  return !!doc && typeof doc === 'object' && (doc as { kind?: unknown }).kind === SNAPSHOT_KIND;
}

function where(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

/** Validates a snapshot document; the first problem becomes one line with the JSON path. */
export function parseSnapshot(doc: unknown, file: string): InventorySnapshot {
  const r = snapshotSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    const at = issue ? where(issue.path) : '';
    throw new InputError(
      `not a valid Warden inventory snapshot: ${at ? `${at}: ` : ''}${issue?.message ?? 'invalid'}`,
      displayPath(file),
    );
  }
  return r.data;
}

/** The snapshot's resources as an inventory, each marked as read from the snapshot file. */
export function snapshotInventory(snapshot: InventorySnapshot, file: string): Inventory {
  const shown = displayPath(file);
  return {
    resources: snapshot.resources.map((r) => ({
      ...r,
      source: { ...r.source, kind: 'snapshot' as const, file: shown },
    })) as Inventory['resources'],
    unsupported: { ...snapshot.unsupported },
    inputs: [shown],
  };
}
