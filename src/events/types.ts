import type { Provider } from '../model/resource.js';

/**
 * One resource an event changed. `id` is the ARN / ARM id / self link when the event names it; a
 * touched entry with neither `id` nor `name` means "every resource of this type in the account and
 * region" (account-wide settings such as S3 account Block Public Access, or a deleted flow log whose
 * VPC the event does not name).
 */
export interface TouchedResource {
  type: string;
  id?: string;
  name?: string;
  /** '' or 'global' for global services (IAM, S3 account settings). */
  region: string;
  /** The native config fields the event changed, when it changed only those (a field-scoped re-read). */
  fields?: readonly string[];
}

/** A change the cloud reported, normalised across AWS, Azure and GCP. */
export interface ChangeEvent {
  provider: Provider;
  /** Service: `ec2.amazonaws.com`, `Microsoft.Network`, `compute.googleapis.com`. */
  source: string;
  /** Operation: `AuthorizeSecurityGroupIngress`, `Microsoft.Network/networkSecurityGroups/write`, … */
  name: string;
  account: string;
  region: string;
  /** ISO 8601. */
  time: string;
  /** Who did it: an ARN, a UPN / object id, a principal e-mail. */
  actor: string;
  touched: TouchedResource[];
  /** The cloud's own event id (CloudTrail `eventID`, Azure `eventDataId`, GCP `insertId`): redeliveries repeat it. */
  rawId: string;
}

export type IgnoredReason = 'read-only' | 'failed-call' | 'unknown-event' | 'not-a-change';

/**
 * What parsing one event gives. Malformed input is a value, never a throw: the intake counts it,
 * reports `where` and moves on, so one bad message cannot stop a watch loop.
 */
export type EventOutcome =
  | { kind: 'change'; event: ChangeEvent }
  | { kind: 'ignored'; reason: IgnoredReason; key: string }
  | { kind: 'malformed'; error: string; where: string };

export interface EventStats {
  changes: number;
  malformed: number;
  ignored: Record<IgnoredReason, number>;
  /** Unknown operations by `source:name`, so a missing mapping shows up in the summary. */
  unknown: Record<string, number>;
}

export function emptyStats(): EventStats {
  return {
    changes: 0,
    malformed: 0,
    ignored: { 'read-only': 0, 'failed-call': 0, 'unknown-event': 0, 'not-a-change': 0 },
    unknown: {},
  };
}

/** Adds outcomes to running counters (mutates and returns `stats`). */
export function tally(outcomes: readonly EventOutcome[], stats: EventStats = emptyStats()): EventStats {
  for (const o of outcomes) {
    if (o.kind === 'change') stats.changes++;
    else if (o.kind === 'malformed') stats.malformed++;
    else {
      stats.ignored[o.reason]++;
      if (o.reason === 'unknown-event') stats.unknown[o.key] = (stats.unknown[o.key] ?? 0) + 1;
    }
  }
  return stats;
}

export function malformed(error: string, where: string): EventOutcome {
  return { kind: 'malformed', error, where };
}
