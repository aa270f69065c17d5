import type { RemediationReport } from './run.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The human form: each resource, its action, and the exact calls (input as one JSON line). */
export function renderRemediationTable(report: RemediationReport): string {
  const lines = [
    `remediate ${report.policy}: ${report.mode === 'dry-run' ? 'dry run, no call made (--apply makes them)' : 'applied'}`,
  ];
  for (const s of report.steps) {
    const state =
      s.status === 'planned'
        ? ''
        : s.status === 'awaiting-approval'
          ? ` [awaiting approval #${s.approval}]`
          : ` [${s.status}${s.reason ? `: ${s.reason}` : ''}]`;
    const verified = s.verified ? ` re-read: ${s.verified}` : '';
    lines.push(`${s.resource}  ${s.action}${state}${verified}`);
    for (const c of s.calls) lines.push(`  ${c.service} ${c.command} ${c.region} ${JSON.stringify(c.input)}`);
    if (s.pipeline) lines.push(`  pipeline ${s.pipeline}: ${s.request} ${JSON.stringify(s.inputs)}`);
    if (s.url) lines.push(`  → ${s.url}`);
  }
  for (const id of report.skipped) lines.push(`${id}  [skipped: --max-resources]`);
  const count = (st: string) => report.steps.filter((s) => s.status === st).length;
  const resources = new Set(report.steps.map((s) => s.resource)).size;
  const tail =
    report.mode === 'dry-run'
      ? `${count('planned')} planned`
      : `${count('applied')} applied, ${count('triggered')} triggered, ${count('awaiting-approval')} awaiting approval, ${count('failed')} failed, ${count('not-run')} not run, ${report.resolved} resolved`;
  lines.push(
    `${plural(resources, 'resource')}: ${tail}, ${count('refused')} refused, ${report.skipped.length} skipped`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderRemediationJson(report: RemediationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
