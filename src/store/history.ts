import type { Kysely } from 'kysely';
import type { Resource } from '../model/resource.js';
import { loadVersions } from './resource-versions.js';
import type { Database } from './schema.js';

/** One configuration of a resource and the scans that saw it, oldest first. */
export interface ResourceVersion {
  hash: string;
  resource: Resource;
  firstScan: { id: number; at: string };
  lastScan: { id: number; at: string };
  scans: number;
}

interface Sighting {
  scan: number;
  at: string;
  /** null: a watch re-read found the resource gone. */
  hash: string | null;
  /** Within a scan: the snapshot (0) comes before the watch's later re-reads (their ids). */
  order: number;
}

/**
 * The versions of a resource over the stored scans, including the re-reads of a watch session
 * between its snapshot and the next scan. A version that comes back after a change (or after the
 * resource was gone) is a new entry, so the list reads as a timeline.
 */
export async function resourceHistory(db: Kysely<Database>, resourceId: string): Promise<ResourceVersion[]> {
  const snapshots = await db
    .selectFrom('scan_resources')
    .innerJoin('scans', 'scans.id', 'scan_resources.scan_id')
    .select([
      'scans.id as scan_id',
      'scans.status',
      'scans.started_at',
      'scans.finished_at',
      'scan_resources.hash',
    ])
    .where('scan_resources.resource_id', '=', resourceId)
    .execute();
  const changes = await db
    .selectFrom('resource_changes')
    .select(['id', 'scan_id', 'hash', 'at'])
    .where('resource_id', '=', resourceId)
    .execute();
  const sightings: Sighting[] = [
    // A watch scan's finished_at moves with every event; its snapshot was taken when it started.
    ...snapshots.map((r) => ({
      scan: Number(r.scan_id),
      at: r.status === 'watch' ? r.started_at : r.finished_at,
      hash: r.hash,
      order: 0,
    })),
    ...changes.map((r) => ({ scan: Number(r.scan_id), at: r.at, hash: r.hash, order: Number(r.id) })),
  ].sort((a, b) => a.scan - b.scan || a.order - b.order);
  const bodies = await loadVersions(
    db,
    sightings.flatMap((s) => s.hash ?? []),
  );
  const out: ResourceVersion[] = [];
  let last: ResourceVersion | undefined;
  for (const s of sightings) {
    const body = s.hash === null ? undefined : bodies.get(s.hash);
    if (s.hash === null || !body) {
      last = undefined;
      continue;
    }
    const scan = { id: s.scan, at: s.at };
    if (last && last.hash === s.hash) {
      if (last.lastScan.id !== s.scan) last.scans++;
      last.lastScan = scan;
    } else {
      last = { hash: s.hash, resource: body, firstScan: scan, lastScan: scan, scans: 1 };
      out.push(last);
    }
  }
  return out;
}
