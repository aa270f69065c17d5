import { fromGuardDutyEvents } from '../detectors/guardduty.js';
import type { ObjectFetcher } from './aws-intake.js';
import { readTrailObject } from './aws-intake.js';
import { type DetectorChange, GuardDutyDedup, type GuardDutyDiff } from './guardduty-dedup.js';
import { parseEventText } from './intake.js';
import { type ChangeEvent, type EventOutcome, type EventStats, emptyStats, tally } from './types.js';

const key = (e: ChangeEvent) => `${e.provider}:${e.rawId}`;

/**
 * Remembers the raw ids of recent events so a redelivered message (SQS at-least-once, the same
 * event via EventBridge and a trail file) is processed once. Bounded: the oldest ids are forgotten
 * first, which is safe because redeliveries come within the queue's retention, not days later.
 */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

export interface IntakeResult {
  /** Changes not processed before, in message order; pass them to `commit` once fully processed. */
  changes: ChangeEvent[];
  /** Malformed events of this message, with where they were. */
  malformed: Extract<EventOutcome, { kind: 'malformed' }>[];
  /** Repeated events and GuardDuty findings with nothing new. */
  duplicates: number;
  /** GuardDuty findings in the message that are news (new, changed, archived → resolved), as results on the resources they name. */
  findings: DetectorChange[];
  /** What to remember of those findings once processed: pass to `commit`. */
  findingMemory: GuardDutyDiff['memory'];
}

/**
 * The event side of a watch loop: one queue message body in, the new changes out. Trail files named
 * by S3 notifications are read through `fetch`; a failed fetch throws, so the caller leaves the
 * message on the queue. Counters accumulate over the session (`stats` counts every parsed change,
 * `duplicates` the ones skipped as already processed).
 *
 * An event counts as processed only after `commit`: if processing fails and the message comes back,
 * its events are handed out again instead of being dropped as duplicates.
 */
export class EventIntake {
  readonly stats: EventStats = emptyStats();
  duplicates = 0;
  private readonly seen: RecentIds;
  /** GuardDuty revisions already handled; seed it from the store with `guardDuty.load`. */
  readonly guardDuty = new GuardDutyDedup();

  constructor(
    private readonly fetch?: ObjectFetcher,
    options: { rememberIds?: number } = {},
  ) {
    this.seen = new RecentIds(options.rememberIds ?? 100_000);
  }

  async handle(body: string, where: string): Promise<IntakeResult> {
    const parsed = parseEventText(body, where);
    const outcomes = [...parsed.outcomes];
    for (const ref of parsed.trailObjects) {
      if (!this.fetch) throw new Error(`a trail file needs an S3 reader: s3://${ref.bucket}/${ref.key}`);
      outcomes.push(...(await readTrailObject(ref, this.fetch)));
    }
    tally(outcomes, this.stats);
    const gd = this.guardDuty.diff(fromGuardDutyEvents(parsed.findingEvents, where).findings);
    const result: IntakeResult = {
      changes: [],
      malformed: [],
      duplicates: gd.duplicates,
      findings: gd.changes,
      findingMemory: gd.memory,
    };
    const inMessage = new Set<string>();
    for (const o of outcomes) {
      if (o.kind === 'malformed') result.malformed.push(o);
      else if (o.kind === 'change') {
        const k = key(o.event);
        if (this.seen.has(k) || inMessage.has(k)) result.duplicates++;
        else {
          inMessage.add(k);
          result.changes.push(o.event);
        }
      }
    }
    this.duplicates += result.duplicates;
    return result;
  }

  /** Marks events (and GuardDuty revisions) as fully processed (re-read, evaluated, emitted, stored): later copies are duplicates. */
  commit(events: readonly ChangeEvent[], findingMemory: GuardDutyDiff['memory'] = []): void {
    for (const e of events) this.seen.add(key(e));
    this.guardDuty.commit(findingMemory);
  }
}
