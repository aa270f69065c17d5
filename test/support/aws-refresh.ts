import assert from 'node:assert/strict';
import { parseCloudTrailRecord } from '../../src/events/aws.js';
import type { TouchedResource } from '../../src/events/types.js';
import type { Resource } from '../../src/model/resource.js';
import { collectAws, resolveAwsTargets } from '../../src/sources/aws/collect.js';
import { COLLECTORS } from '../../src/sources/aws/collectors/index.js';
import { ALL, type Demand } from '../../src/sources/aws/demand.js';
import { type RefreshOutcome, refreshAws } from '../../src/sources/aws/refresh.js';
import type { Collector } from '../../src/sources/aws/types.js';
import { FAKE_CREDENTIALS } from './moto.js';

/**
 * Targeted re-read tests: the touched entries of a real CloudTrail record (through the real event
 * map), the re-read, and the same resources from a full collection at the same instant to compare.
 */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
const NOW = new Date('2026-11-23T12:00:00.000Z');

export interface RefreshEnv {
  endpoint: string;
  collectors?: readonly Collector[];
  demand?: Demand;
}

/** What `refreshAws`/`collectAws` take for this env (endpoint, credentials, region, demand, clock). */
export function access(env: RefreshEnv) {
  return {
    endpoint: env.endpoint,
    credentials: FAKE_CREDENTIALS,
    regions: [REGION],
    homeRegion: REGION,
    demand: env.demand ?? ALL,
    collectors: env.collectors ?? COLLECTORS,
    now: NOW,
  };
}

/** The resources a CloudTrail management event touches, as `warden watch` derives them. */
export function touchedBy(
  source: string,
  eventName: string,
  parts: { requestParameters?: unknown; responseElements?: unknown; userName?: string },
): TouchedResource[] {
  const outcome = parseCloudTrailRecord(
    {
      eventVersion: '1.08',
      eventSource: source,
      eventName,
      eventTime: NOW.toISOString(),
      eventID: `test-${eventName}`,
      awsRegion: REGION,
      recipientAccountId: ACCOUNT,
      readOnly: false,
      userIdentity: {
        type: 'IAMUser',
        accountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/${parts.userName ?? 'admin'}`,
        userName: parts.userName ?? 'admin',
      },
      requestParameters: parts.requestParameters ?? null,
      responseElements: parts.responseElements ?? null,
    },
    'test',
  );
  assert.equal(outcome.kind, 'change', JSON.stringify(outcome));
  return outcome.kind === 'change' ? outcome.event.touched : [];
}

/** Re-reads the touched resources; with `held` (the watch's state), events naming fields re-read only those. */
export async function reread(
  env: RefreshEnv,
  touched: readonly TouchedResource[],
  held?: readonly Resource[],
): Promise<RefreshOutcome> {
  const a = access(env);
  const resolved = await resolveAwsTargets(a);
  const previous = held ? (t: TouchedResource) => held.find((r) => r.id === t.id) : undefined;
  return refreshAws({ ...a, resolved }, ACCOUNT, touched, previous);
}

/** A full collection with the same collectors, demand and clock as `reread`. */
export function collectEnv(env: RefreshEnv) {
  return collectAws(access(env));
}

/** A full collection (same collectors, demand and clock) narrowed to these ids, sorted by id. */
export async function fullFor(env: RefreshEnv, ids: readonly string[]): Promise<Resource[]> {
  const run = await collectEnv(env);
  return run.inventory.resources.filter((r) => ids.includes(r.id)).sort((a, b) => a.id.localeCompare(b.id));
}

export const byId = (rs: readonly Resource[]) => [...rs].sort((a, b) => a.id.localeCompare(b.id));

/** `service:Operation=calls`, sorted: the exact API cost of a re-read. */
export const calls = (out: RefreshOutcome) =>
  out.stats.operations.map((o) => `${o.service}:${o.operation}=${o.calls}`).sort();

export const totalCalls = (out: RefreshOutcome) => out.stats.totals.calls;

/** Re-reads, then checks the result deep-equals the full collection's resources with these ids. */
export async function assertSameAsFull(
  env: RefreshEnv,
  touched: readonly TouchedResource[],
  ids: readonly string[],
  /** Removes what moto answers differently in the bulk and the targeted call (each use says why). */
  adjust: (r: Resource) => Resource = (r) => r,
): Promise<RefreshOutcome> {
  const out = await reread(env, touched);
  assert.deepEqual(out.failed, []);
  const full = await fullFor(env, ids);
  assert.deepEqual(
    full.map((r) => r.id),
    [...ids].sort(),
    'the full collection has the resources',
  );
  const fresh = byId(out.resources).map((r) => adjust(r));
  const whole = full.map((r) => adjust(r));
  assert.deepEqual(fresh, whole);
  // Byte-identical, key order included: fingerprints and stored snapshots hash the JSON.
  assert.equal(JSON.stringify(fresh), JSON.stringify(whole));
  return out;
}
