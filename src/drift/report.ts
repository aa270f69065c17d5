import type { DriftResult, ResourceDrift, ResourceRef } from './diff.js';

/** What enforcement did with a drift run (filled in by src/enforce). */
export interface EnforcementSummary {
  mode: 'dry-run' | 'apply' | 'paused';
  paused?: { reason: string | null; until: string | null; by: string | null };
  reverts: {
    resource: string;
    type: string;
    calls: { service: string; command: string; input: Record<string, unknown>; region: string }[];
    status: 'planned' | 'applied' | 'failed' | 'skipped';
    error?: string;
  }[];
  notEnforceable: { resource: string; type: string; paths: string[]; reason: string }[];
}

/**
 * The one aggregated drift report of a run (docs/DESIGN.md §8: one message per drift batch, not one
 * per resource). JSON is the contract for notifications and the API.
 */
export interface DriftReport {
  kind: 'warden-drift';
  version: 1;
  generatedAt: string;
  baseline: { name: string; version: number; createdAt: string; resources: number };
  current: { inputs: string[]; resources: number };
  summary: { added: number; removed: number; changed: number; unchanged: number; changes: number };
  added: ResourceRef[];
  removed: ResourceRef[];
  changed: ResourceDrift[];
  enforcement?: EnforcementSummary;
}

export function buildReport(
  result: DriftResult,
  meta: { baseline: DriftReport['baseline']; current: DriftReport['current']; at?: Date },
): DriftReport {
  return {
    kind: 'warden-drift',
    version: 1,
    generatedAt: (meta.at ?? new Date()).toISOString(),
    baseline: meta.baseline,
    current: meta.current,
    summary: {
      added: result.added.length,
      removed: result.removed.length,
      changed: result.changed.length,
      unchanged: result.unchanged,
      changes: result.changed.reduce((n, c) => n + c.changes.length, 0),
    },
    added: result.added,
    removed: result.removed,
    changed: result.changed,
  };
}

export function hasDrift(report: DriftReport): boolean {
  const s = report.summary;
  return s.added + s.removed + s.changed > 0;
}

const mdEscape = (s: string) => s.replace(/([|`*_[\]<>])/g, '\\$1');

function headline(r: DriftReport): string {
  const s = r.summary;
  return `${s.changed} changed, ${s.added} added, ${s.removed} removed (${s.unchanged} unchanged) against baseline ${r.baseline.name} v${r.baseline.version}`;
}

function enforcementLines(e: EnforcementSummary | undefined, md: boolean): string[] {
  if (!e) return [];
  const out: string[] = [];
  const item = md ? '- ' : '  ';
  if (e.mode === 'paused') {
    out.push(
      `Enforcement paused${e.paused?.reason ? `: ${e.paused.reason}` : ''}${e.paused?.until ? ` (until ${e.paused.until})` : ''}; drift recorded, nothing reverted.`,
    );
  } else {
    out.push(e.mode === 'apply' ? 'Reverts applied:' : 'Reverts planned (dry run; --apply to make them):');
    for (const rv of e.reverts) {
      for (const c of rv.calls) {
        const line = `${c.service}:${c.command} ${JSON.stringify(c.input)}`;
        out.push(
          `${item}${rv.resource} ${md ? `\`${line}\`` : line}${rv.status === 'planned' ? '' : ` → ${rv.status}`}${rv.error ? ` (${rv.error})` : ''}`,
        );
      }
    }
    if (e.reverts.length === 0) out.push(`${item}(none)`);
  }
  if (e.notEnforceable.length > 0) {
    out.push('Not enforceable:');
    for (const n of e.notEnforceable)
      out.push(`${item}${n.resource} (${n.type}): ${n.paths.join(', ')} — ${n.reason}`);
  }
  return out;
}

export function renderDriftMarkdown(r: DriftReport): string {
  const lines = [`# Drift report`, '', `${headline(r)}. Generated ${r.generatedAt}.`, ''];
  if (r.changed.length > 0) {
    lines.push('## Changed', '');
    for (const c of r.changed) {
      lines.push(`### ${mdEscape(c.name)} (${c.type})`, '', `\`${c.id}\``, '');
      for (const ch of c.changes) lines.push(`- \`${ch.text.replace(/`/g, "'")}\``);
      lines.push('');
    }
  }
  for (const [title, list] of [
    ['Added', r.added],
    ['Removed', r.removed],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(`## ${title}`, '', '| resource | type | account | region |', '|---|---|---|---|');
    for (const a of list) lines.push(`| ${mdEscape(a.id)} | ${a.type} | ${a.account} | ${a.region} |`);
    lines.push('');
  }
  const enf = enforcementLines(r.enforcement, true);
  if (enf.length > 0) lines.push('## Enforcement', '', ...enf, '');
  if (!hasDrift(r)) lines.push('No drift.', '');
  return `${lines.join('\n')}`;
}

export function renderDriftTable(r: DriftReport): string {
  const lines: string[] = [];
  for (const c of r.changed) {
    lines.push(`~ ${c.id} (${c.type})`);
    for (const ch of c.changes) lines.push(`    ${ch.text}`);
  }
  for (const a of r.added) lines.push(`+ ${a.id} (${a.type})`);
  for (const a of r.removed) lines.push(`- ${a.id} (${a.type})`);
  lines.push(...enforcementLines(r.enforcement, false));
  lines.push(`drift: ${headline(r)}`);
  return `${lines.join('\n')}\n`;
}

export function renderDriftJson(r: DriftReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
