import type { Evidence } from '../model/result.js';
import type { FindingNote, Message } from './types.js';

const MAX_VALUE = 200;

function short(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  if (s === undefined) return 'undefined';
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/** `path = value (note)` lines: the config paths and values that made the policy fail. */
export function evidenceLines(evidence: readonly Evidence[], limit = 5): string[] {
  const lines = evidence.slice(0, limit).map((e) => {
    const value = e.value === undefined ? '' : ` = ${short(e.value)}`;
    return `${e.path}${value}${e.note ? ` (${e.note})` : ''}`;
  });
  if (evidence.length > limit) lines.push(`… ${evidence.length - limit} more`);
  return lines;
}

export function resourceLabel(f: FindingNote): string {
  const where = [f.resource.account, f.resource.region].filter(Boolean).join('/');
  return `${f.resource.name} (${f.resource.type}${where ? `, ${where}` : ''})`;
}

/**
 * One line: `[HIGH] Security group allows SSH… - web-sg (aws.ec2.security-group, 1111/eu-west-1)`.
 * ASCII separators: it becomes a mail subject and an SNS subject (printable ASCII only).
 */
export function headline(f: FindingNote): string {
  const state = f.state === 'resolved' ? 'RESOLVED ' : '';
  return `${state}[${f.severity.toUpperCase()}] ${f.title} - ${resourceLabel(f)}`;
}

/** The plain-text body of one finding: resource, policy, why, how to fix. */
export function findingText(f: FindingNote): string {
  return [
    headline(f),
    `Resource: ${f.resource.id}`,
    `Policy: ${f.policy}`,
    `Why: ${f.message}`,
    ...evidenceLines(f.evidence).map((l) => `  - ${l}`),
    `Fix: ${f.remediation || 'see the policy documentation'}`,
  ].join('\n');
}

export function subject(m: Message): string {
  if (m.findings.length === 1) return headline(m.findings[0]!);
  const open = m.findings.filter((f) => f.state === 'open').length;
  const resolved = m.findings.length - open;
  const parts = [open ? `${open} new` : '', resolved ? `${resolved} resolved` : '']
    .filter(Boolean)
    .join(', ');
  return `Warden ${m.run.kind} ${m.run.id}: ${parts} finding${m.findings.length === 1 ? '' : 's'}`;
}

export function messageText(m: Message): string {
  return [subject(m), '', ...m.findings.map(findingText).join('\n\n').split('\n')].join('\n');
}
