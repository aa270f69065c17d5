import type { Kysely, Transaction } from 'kysely';
import type { Resource } from '../model/resource.js';
import { canonicalJson, sha256Hex } from '../util/canonical-json.js';
import { chunks } from './batch.js';
import type { Database } from './schema.js';

export interface VersionedResource {
  resource: Resource;
  hash: string;
  body: string;
}

/**
 * The stored form of a resource: everything but the collection time, which changes on every read
 * and would make an unchanged resource look new.
 */
export function versionOf(resource: Resource): VersionedResource {
  const { collectedAt: _ignored, ...source } = resource.source;
  const body = canonicalJson({ ...resource, source });
  return { resource, hash: sha256Hex(body), body };
}

/**
 * Content-addressed insert: a version already stored (same hash) costs no new row. Known hashes are
 * looked up first so an unchanged resource's body is not even sent to the database.
 */
export async function storeVersions(
  db: Kysely<Database> | Transaction<Database>,
  versions: readonly VersionedResource[],
  at: string,
): Promise<void> {
  const unique = new Map<string, VersionedResource>();
  for (const v of versions) unique.set(v.hash, v);
  const known = new Set<string>();
  for (const part of chunks([...unique.keys()], 1000)) {
    const rows = await db.selectFrom('resource_versions').select('hash').where('hash', 'in', part).execute();
    for (const row of rows) known.add(row.hash);
  }
  const rows = [];
  for (const v of unique.values()) {
    if (known.has(v.hash)) continue;
    const r = v.resource;
    rows.push({
      hash: v.hash,
      resource_id: r.id,
      type: r.type,
      account: r.account,
      region: r.region,
      name: r.name,
      body: v.body,
      created_at: at,
    });
  }
  for (const part of chunks(rows)) {
    await db
      .insertInto('resource_versions')
      .values(part)
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  }
}

/** Resource bodies by hash, parsed back. */
export async function loadVersions(
  db: Kysely<Database> | Transaction<Database>,
  hashes: readonly string[],
): Promise<Map<string, Resource>> {
  const out = new Map<string, Resource>();
  for (const part of chunks([...new Set(hashes)], 1000)) {
    const rows = await db
      .selectFrom('resource_versions')
      .select(['hash', 'body'])
      .where('hash', 'in', part)
      .execute();
    for (const row of rows) out.set(row.hash, JSON.parse(row.body) as Resource);
  }
  return out;
}
