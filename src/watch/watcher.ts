import type { ChangeEvent, EventIntake } from '../events/index.js';
import type { PreviousState, RefreshOutcome } from '../sources/aws/refresh.js';
import type { FindingChange } from './diff.js';
import { heldState } from './held.js';
import type { QueueMessage } from './sqs-queue.js';
import type { Applied, LiveState, Replacement } from './state.js';

/**
 * Re-reads what one change event touched (live AWS in production; anything with the same answer in
 * tests). `previous` gives the held state of a touched resource, for field-scoped re-reads.
 */
export type Reread = (event: ChangeEvent, previous: PreviousState) => Promise<RefreshOutcome>;

/** What happened to one message, for the log, the metrics and the tests. */
export interface MessageReport {
  id: string;
  outcome: 'processed' | 'malformed' | 'retry' | 'moved-aside' | 'dropped';
  events: number;
  duplicates: number;
  /** API calls made to re-read the touched resources. */
  calls: number;
  changes: FindingChange[];
  error?: string;
}

/** Everything one message changed: the findings for output and notifications, the rest for the store. */
export interface MessageEffect extends Omit<Applied, 'policies'> {
  /** GuardDuty revisions to remember (the store's `detector_state`). */
  guardDuty: { id: string; memory: { revision: string; archived: boolean } }[];
}

export interface WatcherOptions {
  intake: EventIntake;
  state: LiveState;
  reread: Reread;
  /** Deliveries after which a failing message is moved aside (default 5). */
  maxReceives: number;
  deadLetter?: (m: QueueMessage) => Promise<void>;
  remove: (m: QueueMessage) => Promise<void>;
  /**
   * A processed message's effect (findings new/changed/resolved, re-read resources, results), before
   * the message is deleted: output, store and outbox are written here, so a crash before the delete
   * means a redelivery, never a loss.
   */
  emit: (effect: MessageEffect, message: QueueMessage) => Promise<void>;
  log: (line: string) => void;
}

/**
 * One queue message through the pipeline: intake → re-read → re-evaluate → emit → delete. The
 * message is deleted only after its findings are emitted (and queued for notification); a failure
 * leaves it on the queue for redelivery, and after `maxReceives` deliveries it is moved aside.
 */
export class Watcher {
  constructor(private readonly o: WatcherOptions) {}

  async handle(m: QueueMessage): Promise<MessageReport> {
    const report: MessageReport = {
      id: m.id,
      outcome: 'processed',
      events: 0,
      duplicates: 0,
      calls: 0,
      changes: [],
    };
    try {
      const got = await this.o.intake.handle(m.body, `sqs message ${m.id}`);
      report.events = got.changes.length;
      report.duplicates = got.duplicates;
      for (const bad of got.malformed) this.o.log(`warden: malformed event in ${bad.where}: ${bad.error}`);
      if (got.malformed.length > 0 && got.changes.length === 0 && got.findings.length === 0) {
        // Bad content never becomes good: move it aside now instead of retrying it N times.
        report.outcome = 'malformed';
        await this.setAside(m, 'malformed message');
        return report;
      }
      const replacements: Replacement[] = [];
      for (const event of got.changes) {
        const out = await this.o.reread(event, heldState(this.o.state, replacements, event.account));
        report.calls += out.stats.totals.calls;
        if (out.failed.length > 0) {
          const f = out.failed[0]!;
          throw new Error(
            `cannot re-read ${f.touched.id ?? f.touched.name ?? f.touched.type} for ${event.name}: ${f.code}: ${f.message}`,
          );
        }
        for (const t of out.unsupported)
          this.o.log(
            `warden: ${event.name}: no live collector for ${t.type}; its policies keep their last verdict`,
          );
        const known = event.touched.filter((t) => !out.unsupported.includes(t));
        replacements.push({ account: event.account, touched: known, fresh: out.resources });
      }
      const { policies: _count, ...applied } = this.o.state.apply(replacements);
      report.changes = [...applied.changes, ...got.findings];
      try {
        await this.o.emit({ ...applied, changes: report.changes, guardDuty: got.findingMemory }, m);
      } catch (err) {
        this.o.state.rollback();
        throw err;
      }
      this.o.intake.commit(got.changes, got.findingMemory);
      await this.o.remove(m);
      return report;
    } catch (err) {
      report.error = (err as Error).message;
      if (m.receiveCount >= this.o.maxReceives) {
        report.outcome = 'moved-aside';
        await this.setAside(m, `failed ${m.receiveCount} times: ${report.error}`);
      } else {
        report.outcome = 'retry';
        this.o.log(
          `warden: message ${m.id} failed (delivery ${m.receiveCount} of ${this.o.maxReceives}), left for redelivery: ${report.error}`,
        );
      }
      return report;
    }
  }

  private async setAside(m: QueueMessage, why: string): Promise<void> {
    if (this.o.deadLetter) {
      await this.o.deadLetter(m);
      this.o.log(`warden: message ${m.id} moved to the dead-letter queue: ${why}`);
    } else {
      await this.o.remove(m);
      this.o.log(`warden: message ${m.id} dropped (no --dead-letter-queue): ${why}`);
    }
  }
}
