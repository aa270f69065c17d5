import { createHash } from 'node:crypto';
import type { FindingNote } from '../notify/types.js';
import type { DriftReport } from './report.js';

/** How many changed resources the one drift message names before it summarises the rest. */
const LISTED = 20;

/**
 * One notification for a whole drift run, not one per resource: a drift run after a deploy can
 * touch hundreds of resources and a channel must still get a single readable message. Its identity
 * is the baseline version plus the exact set of drifted resources, so an unchanged drift seen again
 * on the next run is deduplicated by the outbox instead of paging twice.
 */
export function driftNote(report: DriftReport): FindingNote {
  const { summary, baseline } = report;
  const lines = [
    ...report.changed.map((r) => ({
      path: `${r.type} ${r.name}`,
      note: r.changes
        .slice(0, 3)
        .map((c) => c.text)
        .join('; '),
    })),
    ...report.added.map((r) => ({ path: `${r.type} ${r.name}`, note: 'added since the baseline' })),
    ...report.removed.map((r) => ({ path: `${r.type} ${r.name}`, note: 'removed since the baseline' })),
  ];
  const evidence = lines.slice(0, LISTED);
  if (lines.length > LISTED) evidence.push({ path: '…', note: `${lines.length - LISTED} more resources` });
  const identity = [
    `${baseline.name}@${baseline.version}`,
    ...report.changed.map((r) => `~${r.id}`),
    ...report.added.map((r) => `+${r.id}`),
    ...report.removed.map((r) => `-${r.id}`),
  ]
    .sort()
    .join('\n');
  const accounts = [
    ...new Set([...report.changed, ...report.added, ...report.removed].map((r) => r.account)),
  ];
  return {
    fingerprint: createHash('sha256').update(identity).digest('hex').slice(0, 32),
    policy: 'warden-drift',
    title: `Drift from baseline ${baseline.name} v${baseline.version}`,
    severity: 'medium',
    state: 'open',
    resource: {
      id: `baseline:${baseline.name}`,
      type: 'warden.baseline',
      provider: 'aws',
      account: accounts.length === 1 ? accounts[0]! : '',
      region: '',
      name: baseline.name,
    },
    tags: {},
    message: `${summary.changed} changed, ${summary.added} added, ${summary.removed} removed since baseline ${baseline.name} v${baseline.version}`,
    evidence,
    remediation:
      'Review the changes. Revert with `warden drift --enforce --apply` where supported, or approve them with `warden baseline create`.',
    frameworks: {},
  };
}
