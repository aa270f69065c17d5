import type { Kysely, Transaction } from 'kysely';
import type { Resource } from '../model/resource.js';
import type { Result, StatusCounts } from '../model/result.js';
import { chunks } from './batch.js';
import { pathText, resultRow } from './findings.js';
import { findingIdentity } from './identity.js';
import type { VersionedResource } from './resource-versions.js';
import { storeVersions } from './resource-versions.js';
import { scopeOf } from './scans.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Findings that come from events rather than from evaluating an inventory (GuardDuty): no scan
 * re-evaluates them, so they live in a scope of their own that a full scan never resolves.
 */
export const EVENT_SCOPE = scopeOf(['events']);

/** A finding change as the watch loop emits it (src/watch/diff.ts). */
export interface FindingChangeRecord {
  change: 'new' | 'changed' | 'resolved';
  result: Result;
}

/** What one processed queue message changed, written in the caller's transaction. */
export interface WatchBatch {
  /** The watch scan row (status `watch`) this session writes to. */
  scanId: number;
  at: string;
  /** Resources re-read by this message, hashed as collected (before the link stage). */
  versions: readonly VersionedResource[];
  /** Ids of resources the message's re-reads found gone. */
  gone: readonly string[];
  /** Results of the re-evaluated policies that differ from the scan's stored ones, and the fingerprints that disappeared. */
  results: { upsert: readonly Result[]; removed: readonly string[] };
  changes: readonly FindingChangeRecord[];
  /** The resources of `changes` by id (current, or just gone): a finding's identity and tags come from it. */
  resources: ReadonlyMap<string, Resource>;
  summary: StatusCounts;
  resourceCount: number;
  /** Detector memory to keep (`detector_state`), e.g. GuardDuty finding revisions. */
  detectorState?: readonly { key: string; value: unknown }[];
}

/**
 * Writes one message's effect on a watch scan: new resource versions (content-addressed) and the
 * change log, the scan's results and counts, the finding lifecycle and detector memory. Idempotent:
 * the same batch written twice leaves the same rows (a message redelivered after a crash).
 */
export async function recordWatchBatch(tx: Transaction<Database>, b: WatchBatch): Promise<void> {
  const scan = await tx
    .selectFrom('scans')
    .select(['scope', 'status'])
    .where('id', '=', b.scanId)
    .executeTakeFirst();
  if (scan?.status !== 'watch') throw new Error(`scan ${b.scanId} is not a watch scan`);
  await recordResourceChanges(tx, b);
  await recordResults(tx, b);
  await applyFindingChanges(tx, b.scanId, scan.scope, b.changes, b.resources, b.at);
  for (const s of b.detectorState ?? []) {
    const value = JSON.stringify(s.value);
    await tx
      .insertInto('detector_state')
      .values({ key: s.key, value, updated_at: b.at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: b.at }))
      .execute();
  }
  await tx
    .updateTable('scans')
    .set({ finished_at: b.at, summary: JSON.stringify(b.summary), resource_count: b.resourceCount })
    .where('id', '=', b.scanId)
    .execute();
}

/** The version each resource has in a watch scan's current view (NULL: gone). */
async function currentHashes(
  db: Db,
  scanId: number,
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const part of chunks([...new Set(ids)], 1000)) {
    const base = await db
      .selectFrom('scan_resources')
      .select(['resource_id', 'hash'])
      .where('scan_id', '=', scanId)
      .where('resource_id', 'in', part)
      .execute();
    for (const r of base) out.set(r.resource_id, r.hash);
    const later = await db
      .selectFrom('resource_changes')
      .select(['resource_id', 'hash'])
      .where('scan_id', '=', scanId)
      .where('resource_id', 'in', part)
      .orderBy('id')
      .execute();
    for (const r of later) out.set(r.resource_id, r.hash);
  }
  return out;
}

async function recordResourceChanges(tx: Transaction<Database>, b: WatchBatch): Promise<void> {
  await storeVersions(tx, b.versions, b.at);
  const current = await currentHashes(tx, b.scanId, [...b.versions.map((v) => v.resource.id), ...b.gone]);
  const rows: { scan_id: number; resource_id: string; hash: string | null; at: string }[] = [];
  for (const v of b.versions)
    if (current.get(v.resource.id) !== v.hash)
      rows.push({ scan_id: b.scanId, resource_id: v.resource.id, hash: v.hash, at: b.at });
  for (const id of b.gone)
    if (typeof current.get(id) === 'string')
      rows.push({ scan_id: b.scanId, resource_id: id, hash: null, at: b.at });
  for (const part of chunks(rows)) await tx.insertInto('resource_changes').values(part).execute();
}

async function recordResults(tx: Transaction<Database>, b: WatchBatch): Promise<void> {
  const replaced = [...b.results.upsert.map((r) => r.fingerprint), ...b.results.removed];
  for (const part of chunks(replaced, 1000))
    await tx.deleteFrom('results').where('scan_id', '=', b.scanId).where('fingerprint', 'in', part).execute();
  for (const part of chunks(b.results.upsert as Result[]))
    await tx
      .insertInto('results')
      .values(part.map((r) => resultRow(b.scanId, r)))
      .execute();
}

/**
 * The finding lifecycle for a watch message, with the same rules as a scan (src/store/findings.ts)
 * applied to what changed only: a failing result opens, reopens (first_seen kept) or refreshes its
 * finding; a passing or exempt one resolves it; an error decides nothing. Unlike a scan, nothing
 * else is resolved: the rest of the inventory was not looked at.
 */
export async function applyFindingChanges(
  tx: Transaction<Database>,
  scanId: number,
  scope: string,
  changes: readonly FindingChangeRecord[],
  resources: ReadonlyMap<string, Resource>,
  at: string,
): Promise<void> {
  for (const { result: r } of changes) {
    const resource = resources.get(r.resource.id);
    const identity = findingIdentity(r.policy, r.fingerprint, resource);
    const ownScope = r.source?.kind === 'event' ? EVENT_SCOPE : scope;
    if (r.status === 'error' || r.status === 'unknown') {
      await tx
        .updateTable('findings')
        .set({ last_scan_id: scanId })
        .where('identity', '=', identity)
        .execute();
      continue;
    }
    if (r.status !== 'fail') {
      await tx
        .updateTable('findings')
        .set({ status: 'resolved', resolved_at: at, last_scan_id: scanId })
        .where('identity', '=', identity)
        .where('status', '!=', 'resolved')
        .execute();
      continue;
    }
    const prev = await tx
      .selectFrom('findings')
      .select('status')
      .where('identity', '=', identity)
      .executeTakeFirst();
    const current = {
      fingerprint: r.fingerprint,
      resource_id: r.resource.id,
      resource_name: r.resource.name,
      account: r.resource.account,
      region: r.resource.region,
      severity: r.severity,
      message: r.message,
      tags: JSON.stringify(resource?.tags ?? {}),
      scope: ownScope,
      last_seen: at,
      last_scan_id: scanId,
      path: pathText(r),
    };
    if (!prev) {
      await tx
        .insertInto('findings')
        .values({
          identity,
          policy: r.policy,
          resource_type: r.resource.type,
          status: 'open',
          first_seen: at,
          opened_at: at,
          resolved_at: null,
          ...current,
        })
        .execute();
    } else {
      await tx
        .updateTable('findings')
        .set({
          ...current,
          ...(prev.status === 'resolved'
            ? { status: 'reopened' as const, resolved_at: null, opened_at: at }
            : {}),
        })
        .where('identity', '=', identity)
        .execute();
    }
  }
}

/**
 * When the current open episode of the findings with these fingerprints began (`opened_at`, else
 * `first_seen`): the notification episode, the same before and after a restart.
 */
export async function findingEpisodes(db: Db, fingerprints: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(fingerprints)], 1000)) {
    const rows = await db
      .selectFrom('findings')
      .select(['fingerprint', 'opened_at', 'first_seen'])
      .where('fingerprint', 'in', part)
      .execute();
    for (const r of rows) out.set(r.fingerprint, r.opened_at ?? r.first_seen);
  }
  return out;
}

/** Every `detector_state` entry whose key starts with `prefix`, parsed. */
export async function loadDetectorState(db: Db, prefix: string): Promise<Map<string, unknown>> {
  const rows = await db
    .selectFrom('detector_state')
    .select(['key', 'value'])
    .where('key', 'like', `${prefix}%`)
    .execute();
  const out = new Map<string, unknown>();
  for (const r of rows) {
    // LIKE's `_` and `%` match more than themselves: the exact prefix is checked here.
    if (!r.key.startsWith(prefix)) continue;
    try {
      out.set(r.key, JSON.parse(r.value));
    } catch {
      // A damaged entry is forgotten: the finding then reads as new once, never lost.
    }
  }
  return out;
}
