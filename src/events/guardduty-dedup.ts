import { toResult } from '../detectors/findings.js';
import type { GuardDutyFinding } from '../detectors/guardduty.js';
import type { Result } from '../model/result.js';
import { isObj } from '../util/narrow.js';

/** What is remembered of a GuardDuty finding: its last revision and whether it was archived. */
export interface GuardDutyMemory {
  revision: string;
  archived: boolean;
}

/** The key under which a finding's memory is stored (`detector_state`). */
export const GUARDDUTY_STATE_PREFIX = 'guardduty:';

/** A change in the shape of src/watch/diff.ts `FindingChange`. */
export interface DetectorChange {
  change: 'new' | 'changed' | 'resolved';
  result: Result;
}

export interface GuardDutyDiff {
  changes: DetectorChange[];
  /** Repeats with nothing new (re-publications, redeliveries). */
  duplicates: number;
  /** Memory to keep once the changes are processed (see `commit`). */
  memory: { id: string; memory: GuardDutyMemory }[];
}

function isMemory(v: unknown): v is GuardDutyMemory {
  return isObj(v) && typeof v.revision === 'string' && typeof v.archived === 'boolean';
}

/**
 * Tells GuardDuty news from repeats by finding id: a finding not seen before (or seen archived) is
 * `new`, a later revision (severity, count, updatedAt) is `changed`, an archived one that was open is
 * `resolved`, and anything else is a duplicate. Like event ids, a revision counts as known only after
 * `commit`, so a message that failed half-way yields the same changes when it comes back. Bounded:
 * the oldest ids are forgotten first (a forgotten finding that recurs reads as new once).
 */
export class GuardDutyDedup {
  private readonly known = new Map<string, GuardDutyMemory>();

  constructor(private readonly capacity = 100_000) {}

  /** Seeds the memory from the store (`detector_state` entries under GUARDDUTY_STATE_PREFIX). */
  load(entries: ReadonlyMap<string, unknown>): void {
    for (const [key, value] of entries)
      if (key.startsWith(GUARDDUTY_STATE_PREFIX) && isMemory(value))
        this.remember(key.slice(GUARDDUTY_STATE_PREFIX.length), value);
  }

  diff(findings: readonly GuardDutyFinding[]): GuardDutyDiff {
    const out: GuardDutyDiff = { changes: [], duplicates: 0, memory: [] };
    const inMessage = new Map<string, GuardDutyMemory>();
    for (const f of findings) {
      const prev = inMessage.get(f.id) ?? this.known.get(f.id);
      const next = { revision: f.revision, archived: f.archived };
      const open = prev !== undefined && !prev.archived;
      let change: DetectorChange['change'] | undefined;
      if (f.archived) change = open ? 'resolved' : undefined;
      else if (!open) change = 'new';
      else if (prev.revision !== f.revision) change = 'changed';
      if (!change) {
        out.duplicates++;
        continue;
      }
      for (const d of f.detections) {
        const result = toResult(d);
        out.changes.push({
          change,
          result:
            change === 'resolved'
              ? { ...result, status: 'pass', reason: `GuardDuty finding ${f.id} was archived` }
              : result,
        });
      }
      inMessage.set(f.id, next);
      out.memory.push({ id: f.id, memory: next });
    }
    return out;
  }

  /** The changes of a diff were processed (emitted and stored): remember them. */
  commit(memory: GuardDutyDiff['memory']): void {
    for (const m of memory) this.remember(m.id, m.memory);
  }

  private remember(id: string, memory: GuardDutyMemory): void {
    this.known.delete(id);
    this.known.set(id, memory);
    if (this.known.size > this.capacity) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }
}
