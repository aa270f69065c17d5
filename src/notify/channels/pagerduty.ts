import type { Severity } from '../../model/result.js';
import { headline } from '../render.js';
import type { Channel, FindingNote } from '../types.js';
import { post } from './http.js';

export interface PagerDutyConfig {
  name: string;
  /** Events API v2 integration (routing) key: a secret. */
  routingKey: string;
  /** Defaults to the public Events API; overridable for tests and EU accounts. */
  endpoint?: string;
}

export const PAGERDUTY_ENDPOINT = 'https://events.pagerduty.com/v2/enqueue';

const PD_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

/** Events API v2 body: trigger for an open finding, resolve for a resolved one; dedup_key = fingerprint. */
export function pagerDutyEvent(routingKey: string, f: FindingNote) {
  if (f.state === 'resolved')
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: f.fingerprint };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: f.fingerprint,
    payload: {
      summary: headline(f).slice(0, 1024),
      source: f.resource.id,
      severity: PD_SEVERITY[f.severity],
      component: f.resource.type,
      group: f.resource.account || undefined,
      class: f.policy,
      custom_details: {
        policy: f.policy,
        resource: f.resource,
        why: f.message,
        evidence: f.evidence.slice(0, 10),
        remediation: f.remediation,
        frameworks: f.frameworks,
      },
    },
  };
}

export function pagerDutyChannel(config: PagerDutyConfig): Channel {
  const endpoint = config.endpoint ?? PAGERDUTY_ENDPOINT;
  return {
    name: config.name,
    type: 'pagerduty',
    aggregates: false,
    async send(m) {
      // One event per finding: PagerDuty's incident identity is the dedup key.
      for (const f of m.findings)
        await post(config.name, endpoint, JSON.stringify(pagerDutyEvent(config.routingKey, f)), {
          'content-type': 'application/json',
        });
    },
  };
}
