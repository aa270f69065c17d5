import type { Result } from '../model/result.js';
import type { PolicyDefinition } from '../policy/definition.js';
import type { NotifyConfig } from './config.js';
import { dedupKey, type NewOutboxItem, type OutboxStore } from './outbox.js';
import { routeFinding } from './routing.js';
import type { FindingNote, RunRef } from './types.js';

/** A Result (plus what the policy says and the resource's tags) as a notification carries it. */
export function noteFromResult(
  r: Result,
  policy: Pick<PolicyDefinition, 'title' | 'remediation'> | undefined,
  extra: {
    tags?: Record<string, string>;
    state?: FindingNote['state'];
    episode?: string;
    team?: string;
  } = {},
): FindingNote {
  return {
    fingerprint: r.fingerprint,
    policy: r.policy,
    title: policy?.title ?? r.policy,
    severity: r.severity,
    state: extra.state ?? 'open',
    resource: r.resource,
    tags: extra.tags ?? {},
    ...(extra.team ? { team: extra.team } : {}),
    message: r.message,
    evidence: r.evidence,
    remediation: policy?.remediation ?? '',
    frameworks: r.frameworks,
    source: r.source,
    ...(extra.episode ? { episode: extra.episode } : {}),
  };
}

/**
 * Writes the notifications of one run to the outbox: one item per (finding, routed channel), keyed
 * for dedup. Sending is the worker's job, so this never waits on a receiver.
 */
export async function enqueueRun(
  store: OutboxStore,
  config: Pick<NotifyConfig, 'routes' | 'teams'>,
  run: RunRef,
  findings: readonly FindingNote[],
  now: number,
): Promise<{ enqueued: number; duplicates: number; unrouted: number }> {
  const items: NewOutboxItem[] = [];
  let unrouted = 0;
  for (const f of findings) {
    const channels = routeFinding(f, config);
    if (channels.length === 0) unrouted++;
    for (const channel of channels)
      items.push({ channel, dedupKey: dedupKey(f), payload: { run, finding: f } });
  }
  const r = await store.enqueue(items, now);
  return { ...r, unrouted };
}
