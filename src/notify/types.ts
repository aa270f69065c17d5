import type { SourceRef } from '../model/resource.js';
import type { Evidence, ResourceSummary, Severity } from '../model/result.js';

/**
 * One finding as a notification carries it: self-contained (title and remediation copied from the
 * policy) so a message can be rendered long after the policy set that produced it has changed.
 */
export interface FindingNote {
  fingerprint: string;
  policy: string;
  title: string;
  severity: Severity;
  /** `open` raises, `resolved` clears (PagerDuty resolve, "resolved" in chat). */
  state: 'open' | 'resolved';
  resource: ResourceSummary;
  tags: Record<string, string>;
  /** Owning team when the caller knows it; otherwise routing derives it from account/tags. */
  team?: string;
  message: string;
  evidence: Evidence[];
  remediation: string;
  frameworks: Record<string, string[]>;
  source?: SourceRef;
  /**
   * When this open episode began (the finding's firstSeen). Part of the dedup key, so a finding
   * that resolves and later re-opens is announced again, while redeliveries of one episode are not.
   */
  episode?: string;
}

/** The scan, drift run or watch batch that produced findings; channels that aggregate send one message per run. */
export interface RunRef {
  id: string;
  kind: 'scan' | 'drift' | 'watch' | 'detect';
}

/** What a channel sends: one or more findings of one run. */
export interface Message {
  run: RunRef;
  findings: FindingNote[];
}

/** Why a send failed, and whether trying again can help. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False for answers that will not change (400 bad payload, 401/403 wrong credentials, 404). */
    readonly retryable: boolean,
    /** The receiver's Retry-After, when it said one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface Channel {
  /** Configured name (`secops-slack`), used in routes and in the outbox. */
  readonly name: string;
  readonly type: string;
  /**
   * True: the findings of one run go out as one message (chat, mail, webhook, queues). False: one
   * message per finding (PagerDuty incidents and Jira issues have an identity per finding).
   */
  readonly aggregates: boolean;
  /** Delivers or throws DeliveryError. Must not log or echo credentials. */
  send(message: Message, deliveryId: string): Promise<void>;
}
