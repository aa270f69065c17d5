import type { Resource } from '../model/resource.js';
import type { Result } from '../model/result.js';
import type { Store } from '../store/open.js';
import { applySuppressions } from '../suppress/apply.js';
import type { Suppression } from '../suppress/types.js';

/**
 * The store's suppressions (`warden suppress`) for a watch loop: results they match become `exempt`
 * before they are diffed, printed and stored, as in `scan`. The list is re-read between batches, so
 * a suppression added while watching applies from the next re-evaluation of its policy on.
 */
export class WatchSuppressions {
  private list: Suppression[] = [];

  constructor(
    private readonly store: Store | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Notes expired suppressions (their notice is queued, as `scan` does) and reloads the active ones. */
  async refresh(): Promise<void> {
    if (!this.store) return;
    const { expireSuppressions, listSuppressions } = await import('../store/suppressions.js');
    await expireSuppressions(this.store.db, this.now());
    this.list = await listSuppressions(this.store.db);
  }

  readonly apply = (results: Result[], resources: readonly Resource[]): Result[] => {
    if (this.list.length === 0) return results;
    const byId = new Map(resources.map((r) => [r.id, r]));
    return applySuppressions(results, byId, this.list, this.now()).results;
  };
}
