import { writeFileSync } from 'node:fs';
import type { Kysely, Selectable } from 'kysely';
import type { Inventory, Resource } from '../model/resource.js';
import type { Result, StatusCounts } from '../model/result.js';
import { sha256Hex } from '../util/canonical-json.js';
import { chunks } from './batch.js';
import { resultRow, updateFindings } from './findings.js';
import { loadVersions, storeVersions, type VersionedResource, versionOf } from './resource-versions.js';
import type { Database, ScanStatus, ScansTable } from './schema.js';

export interface ScanRecord {
  inventory: Inventory;
  results: readonly Result[];
  summary: StatusCounts;
  startedAt: string;
  finishedAt: string;
  /** Live sources: API calls by operation. */
  apiCalls?: Record<string, number>;
  /**
   * The resources as collected, hashed before the engine's link stage enriches them in place (see
   * `versionsOf`). Without it, the inventory's resources are stored as they are now.
   */
  versions?: VersionedResource[];
  /** `watch`: the snapshot a watch session then keeps current per event (src/store/watch-scans.ts). */
  status?: ScanStatus;
}

/**
 * Hashes resources as the source produced them. Call before `scanInventory`: the link stage copies
 * related resources' data into each resource, and that derived data is not the resource's own
 * configuration (a role's change would otherwise show as a change of every instance using it).
 */
export function versionsOf(resources: readonly Resource[]): VersionedResource[] {
  const byId = new Map<string, Resource>();
  for (const r of resources) byId.set(r.id, r);
  return [...byId.values()].map(versionOf);
}

export interface StoredScan {
  id: number;
  startedAt: string;
  finishedAt: string;
  status: string;
  inputs: string[];
  apiCalls: Record<string, number>;
  resourceCount: number;
  summary: StatusCounts;
}

export function scopeOf(inputs: readonly string[]): string {
  return sha256Hex([...new Set(inputs)].sort().join('\n')).slice(0, 32);
}

/**
 * Test hook for the crash test: with WARDEN_TEST_HOLD_SCAN=<file>, the writer creates <file> inside
 * the open transaction and waits (bounded) so a test can kill it at a known point.
 */
async function holdForCrashTest(): Promise<void> {
  const marker = process.env.WARDEN_TEST_HOLD_SCAN;
  if (!marker) return;
  writeFileSync(marker, String(process.pid));
  await new Promise((r) => setTimeout(r, 30_000));
}

/**
 * Writes one scan — its resources (content-addressed), results and the finding lifecycle — in one
 * transaction: a crash leaves the previous scans exactly as they were.
 */
export async function recordScan(db: Kysely<Database>, scan: ScanRecord): Promise<number> {
  // A resource id appears once per scan; the last reading wins, as it would in a live re-read.
  const byId = new Map<string, Resource>();
  for (const r of scan.inventory.resources) byId.set(r.id, r);
  const versions = scan.versions ?? versionsOf(scan.inventory.resources);
  const inputs = scan.inventory.inputs;
  const scope = scopeOf(inputs);
  const at = scan.finishedAt;
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('scans')
      .values({
        started_at: scan.startedAt,
        finished_at: scan.finishedAt,
        status: scan.status ?? 'complete',
        inputs: JSON.stringify(inputs),
        scope,
        api_calls: JSON.stringify(scan.apiCalls ?? {}),
        resource_count: byId.size,
        summary: JSON.stringify(scan.summary),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const scanId = Number(inserted.id);
    await storeVersions(tx, versions, at);
    for (const part of chunks(versions)) {
      await tx
        .insertInto('scan_resources')
        .values(part.map((v) => ({ scan_id: scanId, resource_id: v.resource.id, hash: v.hash })))
        .execute();
    }
    await holdForCrashTest();
    for (const part of chunks(scan.results as Result[])) {
      await tx
        .insertInto('results')
        .values(part.map((r) => resultRow(scanId, r)))
        .execute();
    }
    await updateFindings(tx, scanId, scope, scan.results, byId, at);
    const accounts = new Map<string, string>();
    for (const r of byId.values()) if (r.account) accounts.set(r.account, r.provider);
    for (const [id, provider] of accounts) {
      await tx
        .insertInto('accounts')
        .values({ id, provider, first_seen: at, last_seen: at })
        .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen: at }))
        .execute();
    }
    return scanId;
  });
}

type ScanRow = Selectable<ScansTable>;

function toScan(row: ScanRow): StoredScan {
  return {
    id: Number(row.id),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    inputs: JSON.parse(row.inputs) as string[],
    apiCalls: JSON.parse(row.api_calls) as Record<string, number>,
    resourceCount: Number(row.resource_count),
    summary: JSON.parse(row.summary) as StatusCounts,
  };
}

export async function listScans(db: Kysely<Database>, limit = 50): Promise<StoredScan[]> {
  const rows = await db.selectFrom('scans').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => toScan(r));
}

export async function getScan(db: Kysely<Database>, id: number): Promise<StoredScan | undefined> {
  const row = await db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toScan(row) : undefined;
}

export async function latestScanId(db: Kysely<Database>): Promise<number | undefined> {
  const row = await db.selectFrom('scans').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/**
 * The resource versions a scan saw, as resources. A watch scan's view is its snapshot with the
 * later re-reads (`resource_changes`, in order) laid over it.
 */
export async function scanResources(db: Kysely<Database>, scanId: number): Promise<Resource[]> {
  const hashes = new Map<string, string | null>();
  const base = await db
    .selectFrom('scan_resources')
    .select(['resource_id', 'hash'])
    .where('scan_id', '=', scanId)
    .execute();
  for (const r of base) hashes.set(r.resource_id, r.hash);
  const later = await db
    .selectFrom('resource_changes')
    .select(['resource_id', 'hash'])
    .where('scan_id', '=', scanId)
    .orderBy('id')
    .execute();
  for (const r of later) hashes.set(r.resource_id, r.hash);
  const live = [...hashes]
    .filter((e): e is [string, string] => e[1] !== null)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const bodies = await loadVersions(
    db,
    live.map(([, h]) => h),
  );
  return live.flatMap(([, h]) => bodies.get(h) ?? []);
}

/** A stored result: what the scan decided, with the resource reduced to its id. */
export interface StoredResult {
  fingerprint: string;
  policy: string;
  resourceId: string;
  status: Result['status'];
  severity: Result['severity'];
  message: string;
  evidence: Result['evidence'];
  reason?: string;
  path?: string[];
}

/** The results a scan recorded, in a stable order. */
export async function scanResults(db: Kysely<Database>, scanId: number): Promise<StoredResult[]> {
  const rows = await db
    .selectFrom('results')
    .selectAll()
    .where('scan_id', '=', scanId)
    .orderBy('policy')
    .orderBy('resource_id')
    .orderBy('fingerprint')
    .execute();
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    policy: r.policy,
    resourceId: r.resource_id,
    status: r.status as Result['status'],
    severity: r.severity as Result['severity'],
    message: r.message,
    evidence: JSON.parse(r.evidence) as Result['evidence'],
    ...(r.reason !== null ? { reason: r.reason } : {}),
    ...(r.path !== null ? { path: JSON.parse(r.path) as string[] } : {}),
  }));
}
