import {
  channelsFrom,
  enqueueRun,
  type NotifyConfig,
  noteFromResult,
  OutboxWorker,
} from '../notify/index.js';
import type { OutboxStore } from '../notify/outbox.js';
import type { PolicyDefinition } from '../policy/definition.js';
import type { FindingChange } from './diff.js';

/**
 * Watch-mode notifications: every new or resolved finding is written to the outbox (persistent when
 * the store is on) and a background worker delivers it. An episode starts when a finding is first
 * seen open in this process, so a resolve and a later re-open are each announced once.
 */
export class WatchNotifier {
  private readonly worker: OutboxWorker;
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;
  private readonly episodes = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly config: NotifyConfig,
    private readonly outbox: OutboxStore,
    private readonly policies: ReadonlyMap<string, PolicyDefinition>,
    private readonly runId: string,
    log: (line: string) => void,
  ) {
    this.worker = new OutboxWorker({
      store: outbox,
      channels: channelsFrom(config),
      onAttempt: (e) => {
        if (!e.ok) log(`warden: notify ${e.channel}: ${e.error ?? 'failed'} (will retry)`);
      },
    });
  }

  start(): void {
    this.running = this.worker.runUntil(this.stop.signal, 200);
  }

  /**
   * Queues the notes of these changes, in `outbox` when given (the store transaction of the message).
   * `stored` episodes (fingerprint → when the store's finding opened) win over this process's own,
   * so a restart does not announce still-open findings again.
   */
  async enqueue(
    changes: readonly FindingChange[],
    tagsOf: (resourceId: string) => Record<string, string>,
    outbox: OutboxStore = this.outbox,
    stored: ReadonlyMap<string, string> = new Map(),
  ) {
    const notes = [];
    for (const c of changes) {
      if (c.change === 'changed') continue;
      const r = c.result;
      const open = c.change === 'new';
      const known = stored.get(r.fingerprint);
      if (known) this.episodes.set(r.fingerprint, known);
      else if (open && !this.episodes.has(r.fingerprint))
        this.episodes.set(r.fingerprint, new Date().toISOString());
      notes.push(
        noteFromResult(r, this.policies.get(r.policy), {
          tags: tagsOf(r.resource.id),
          state: open ? 'open' : 'resolved',
          episode: this.episodes.get(r.fingerprint) ?? r.resource.id,
        }),
      );
      if (!open) this.episodes.delete(r.fingerprint);
    }
    if (notes.length === 0) return;
    await enqueueRun(
      outbox,
      this.config,
      { id: `${this.runId}-${++this.seq}`, kind: 'watch' },
      notes,
      Date.now(),
    );
  }

  /** Stops the background worker after its round, then makes one last round for what is due. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.running;
    await this.worker.runOnce();
  }
}
