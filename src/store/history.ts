import type { Kysely } from 'kysely';
import type { Resource } from '../model/resource.js';
import type { Database } from './schema.js';

/** One configuration of a resource and the scans that saw it, oldest first. */
export interface ResourceVersion {
  hash: string;
  resource: Resource;
  firstScan: { id: number; at: string };
  lastScan: { id: number; at: string };
  scans: number;
}

/**
 * The versions of a resource over the stored scans. A version that comes back after a change is a
 * new entry, so the list reads as a timeline.
 */
export async function resourceHistory(db: Kysely<Database>, resourceId: string): Promise<ResourceVersion[]> {
  const rows = await db
    .selectFrom('scan_resources')
    .innerJoin('scans', 'scans.id', 'scan_resources.scan_id')
    .innerJoin('resource_versions', 'resource_versions.hash', 'scan_resources.hash')
    .select([
      'scans.id as scan_id',
      'scans.finished_at as at',
      'scan_resources.hash as hash',
      'resource_versions.body as body',
    ])
    .where('scan_resources.resource_id', '=', resourceId)
    .orderBy('scans.id')
    .execute();
  const out: ResourceVersion[] = [];
  for (const row of rows) {
    const scan = { id: Number(row.scan_id), at: row.at };
    const last = out.at(-1);
    if (last && last.hash === row.hash) {
      last.lastScan = scan;
      last.scans++;
    } else {
      out.push({
        hash: row.hash,
        resource: JSON.parse(row.body) as Resource,
        firstScan: scan,
        lastScan: scan,
        scans: 1,
      });
    }
  }
  return out;
}
