import { z } from 'zod';

/**
 * The one schema of an inventory snapshot (`warden collect` writes it; `scan`, `report`, `graph`,
 * `drift` and the tests read it): the collected resources in the shapes of docs/resource-types.md plus
 * how they were collected. `collectedAt`, `accounts`, `stats`, `unsupported` and `inputs` are
 * optional so hand-written scenario files with only `resources` load too.
 */
import { SNAPSHOT_KIND, SNAPSHOT_VERSION } from './kind.js';

export { SNAPSHOT_KIND, SNAPSHOT_VERSION };

const resourceSchema = z
  .object({
    id: z.string().min(1),
    provider: z.enum(['aws', 'azure', 'gcp', 'openstack']),
    type: z.string().min(1),
    account: z.string(),
    region: z.string(),
    name: z.string(),
    tags: z.record(z.string(), z.string()).default({}),
    config: z.record(z.string(), z.unknown()),
    source: z
      .object({
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
      })
      .strict()
      .optional(),
    unknown: z.array(z.string()).optional(),
    errors: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }).strict())
      .optional(),
  })
  .strict();

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

export const snapshotSchema = z.object({
  kind: z.literal(SNAPSHOT_KIND),
  version: z.literal(SNAPSHOT_VERSION),
  // Free text for people (scenario files say what they model).
  description: z.string().optional(),
  collectedAt: z.string().optional(),
  accounts: z.array(accountSchema).optional(),
  resources: z.array(resourceSchema),
  unsupported: z.record(z.string(), z.number()).optional(),
  inputs: z.array(z.string()).optional(),
  stats: z
    .object({
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
    })
    .optional(),
});

export type InventorySnapshot = z.infer<typeof snapshotSchema>;
