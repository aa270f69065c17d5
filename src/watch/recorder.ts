import { GUARDDUTY_STATE_PREFIX } from '../events/guardduty-dedup.js';
import type { Inventory, Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import { countStatuses } from '../model/result.js';
import type { OutboxStore } from '../notify/outbox.js';
import { KyselyOutbox } from '../store/kysely-outbox.js';
import type { Store } from '../store/open.js';
import type { VersionedResource } from '../store/resource-versions.js';
import { recordScan } from '../store/scans.js';
import { findingEpisodes, loadDetectorState, recordWatchBatch } from '../store/watch-scans.js';
import type { LiveState } from './state.js';
import type { MessageEffect } from './watcher.js';

/**
 * The watch loop's store side. A session writes one scan row with status `watch`: the full scan's
 * snapshot when it starts (or after a `--full-every` rescan, which begins a new row), then each
 * processed message's effect in one transaction with its outbox rows, committed before the message
 * is deleted. `warden findings` is current while watch runs, and a crash loses nothing committed.
 */
export class WatchRecorder {
  private scanId: number | undefined;

  constructor(private readonly store: Store) {}

  get currentScan(): number | undefined {
    return this.scanId;
  }

  /** Records a full scan's state as the start of a new watch scan row. */
  async snapshot(
    inventory: Inventory,
    versions: VersionedResource[],
    results: readonly Result[],
    startedAt: Date,
    finishedAt = new Date(),
  ): Promise<number> {
    this.scanId = await recordScan(this.store.db, {
      inventory,
      versions,
      results,
      summary: countStatuses(results),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      status: 'watch',
    });
    return this.scanId;
  }

  /** GuardDuty revisions remembered by earlier sessions. */
  guardDutyMemory(): Promise<Map<string, unknown>> {
    return loadDetectorState(this.store.db, GUARDDUTY_STATE_PREFIX);
  }

  /** When the stored findings with these fingerprints opened (notification episodes). */
  episodes(fingerprints: readonly string[]): Promise<Map<string, string>> {
    return findingEpisodes(this.store.db, fingerprints);
  }

  /**
   * One message's effect, in one transaction; `inTransaction` gets an outbox over that transaction
   * so the notifications commit (or not) with the findings, and the changed findings' episodes.
   */
  async write(
    effect: MessageEffect,
    state: LiveState,
    at: Date,
    inTransaction?: (outbox: OutboxStore, episodes: Map<string, string>) => Promise<void>,
  ): Promise<void> {
    const scanId = this.scanId;
    if (scanId === undefined) throw new Error('watch store: no snapshot recorded yet');
    const empty =
      effect.changes.length === 0 &&
      effect.versions.length === 0 &&
      effect.gone.length === 0 &&
      effect.results.upsert.length === 0 &&
      effect.results.removed.length === 0 &&
      effect.guardDuty.length === 0;
    if (empty) return;
    // The resources whose findings changed (their names and tags go into the findings), not the
    // whole inventory: this runs for every message.
    const wanted = new Set(effect.changes.map((c) => c.result.resource.id));
    const resources = new Map<string, Resource>();
    for (const r of effect.gone) if (wanted.has(r.id)) resources.set(r.id, r);
    for (const r of state.currentInventory().resources) if (wanted.has(r.id)) resources.set(r.id, r);
    const results = state.allResults();
    await this.store.db.transaction().execute(async (tx) => {
      await recordWatchBatch(tx, {
        scanId,
        at: at.toISOString(),
        versions: effect.versions,
        gone: effect.gone.map((r) => r.id),
        results: effect.results,
        changes: effect.changes,
        resources,
        summary: countStatuses(results),
        resourceCount: state.size,
        detectorState: effect.guardDuty.map((g) => ({
          key: `${GUARDDUTY_STATE_PREFIX}${g.id}`,
          value: g.memory,
        })),
      });
      if (!inTransaction) return;
      const episodes = await findingEpisodes(
        tx,
        effect.changes.map((c) => c.result.fingerprint),
      );
      await inTransaction(new KyselyOutbox(tx, this.store.dialect), episodes);
    });
  }
}
