import type { Kysely } from 'kysely';
import type { Resource } from '../model/resource.js';
import { chunks, nowIso } from './batch.js';
import { loadVersions, storeVersions, versionOf } from './resource-versions.js';
import type { Database } from './schema.js';

export interface BaselineInfo {
  id: number;
  name: string;
  version: number;
  createdAt: string;
  createdBy: string;
  fromScanId: number | null;
  resourceCount: number;
}

export interface Baseline extends BaselineInfo {
  resources: Resource[];
}

export const DEFAULT_BASELINE = 'default';

/**
 * Makes the given resources the approved state under `name`, as a new version. Earlier versions
 * are kept forever; resource bodies are shared with scans through the content-addressed versions.
 */
export async function createBaseline(
  db: Kysely<Database>,
  input: { name: string; resources: readonly Resource[]; createdBy: string; fromScanId?: number },
): Promise<BaselineInfo> {
  const at = nowIso();
  const byId = new Map<string, Resource>();
  for (const r of input.resources) byId.set(r.id, r);
  const versions = [...byId.values()].map(versionOf);
  return db.transaction().execute(async (tx) => {
    const prev = await tx
      .selectFrom('baselines')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('name', '=', input.name)
      .executeTakeFirst();
    const version = Number(prev?.v ?? 0) + 1;
    const row = await tx
      .insertInto('baselines')
      .values({
        name: input.name,
        version,
        created_at: at,
        created_by: input.createdBy,
        from_scan_id: input.fromScanId ?? null,
        resource_count: versions.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await storeVersions(tx, versions, at);
    for (const part of chunks(versions)) {
      await tx
        .insertInto('baseline_resources')
        .values(part.map((v) => ({ baseline_id: id, resource_id: v.resource.id, hash: v.hash })))
        .execute();
    }
    return {
      id,
      name: input.name,
      version,
      createdAt: at,
      createdBy: input.createdBy,
      fromScanId: input.fromScanId ?? null,
      resourceCount: versions.length,
    };
  });
}

export async function listBaselines(db: Kysely<Database>): Promise<BaselineInfo[]> {
  const rows = await db.selectFrom('baselines').selectAll().orderBy('name').orderBy('version').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    version: Number(r.version),
    createdAt: r.created_at,
    createdBy: r.created_by,
    fromScanId: r.from_scan_id === null ? null : Number(r.from_scan_id),
    resourceCount: Number(r.resource_count),
  }));
}

/** The latest version of a baseline (or the given version), with its resources. */
export async function loadBaseline(
  db: Kysely<Database>,
  name: string,
  version?: number,
): Promise<Baseline | undefined> {
  const all = (await listBaselines(db)).filter((b) => b.name === name);
  const info = version === undefined ? all.at(-1) : all.find((b) => b.version === version);
  if (!info) return undefined;
  const links = await db
    .selectFrom('baseline_resources')
    .select(['resource_id', 'hash'])
    .where('baseline_id', '=', info.id)
    .orderBy('resource_id')
    .execute();
  const bodies = await loadVersions(
    db,
    links.map((l) => l.hash),
  );
  return { ...info, resources: links.map((l) => bodies.get(l.hash)!).filter(Boolean) };
}
