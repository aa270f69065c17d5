import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Inventory, Resource } from '../../model/resource.js';
import { RESOURCE_TYPES } from '../../policy/registry.js';
import { displayPath } from '../../util/display-path.js';
import { InputError } from '../../util/errors.js';
import { isObj } from '../../util/narrow.js';
import { parseJson } from '../index.js';

/**
 * A Warden inventory snapshot: `{"kind": "warden-inventory", "version": 1, "resources": [Resource…]}`,
 * resources in the shape of docs/resource-types.md. Used for test scenarios and for handing a
 * collected inventory from one run to another; the live collector's own snapshot option replaces
 * how such files are found, not this format.
 */
export const SNAPSHOT_KIND = 'warden-inventory';

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
      .object({ kind: z.string(), file: z.string().optional(), collectedAt: z.string().optional() })
      .passthrough()
      .optional(),
    unknown: z.array(z.string()).optional(),
    errors: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }).strict())
      .optional(),
  })
  .strict();

export function isInventorySnapshot(doc: unknown): boolean {
  return isObj(doc) && doc.kind === SNAPSHOT_KIND;
}

/** Validates a parsed snapshot document; every mistake names the file and the resource. */
export function snapshotInventory(doc: unknown, file: string): Inventory {
  const where = displayPath(file);
  if (!isObj(doc) || doc.kind !== SNAPSHOT_KIND)
    throw new InputError(`not a ${SNAPSHOT_KIND} snapshot`, where);
  if (doc.version !== 1)
    throw new InputError(`unsupported snapshot version ${JSON.stringify(doc.version)} (expected 1)`, where);
  if (!Array.isArray(doc.resources)) throw new InputError('"resources" must be a list', where);
  const resources: Resource[] = [];
  const unsupported: Record<string, number> = {};
  const ids = new Set<string>();
  doc.resources.forEach((raw, i) => {
    const r = resourceSchema.safeParse(raw);
    const label =
      isObj(raw) && typeof raw.id === 'string' ? `resources[${i}] (${raw.id})` : `resources[${i}]`;
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const path = issue.path.map(String).join('.');
      throw new InputError(`${label}: ${path ? `${path}: ` : ''}${issue.message}`, where);
    }
    const res = r.data;
    if (ids.has(res.id)) throw new InputError(`${label}: duplicate resource id`, where);
    ids.add(res.id);
    if (!RESOURCE_TYPES.includes(res.type)) {
      unsupported[res.type] = (unsupported[res.type] ?? 0) + 1;
      return;
    }
    resources.push({
      ...res,
      source: { ...(res.source ?? {}), kind: 'snapshot', file: where } as Resource['source'],
    } as Resource);
  });
  return { resources, unsupported, inputs: [where] };
}

export function readInventorySnapshot(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      displayPath(file),
    );
  }
  return snapshotInventory(parseJson(text, file), file);
}
