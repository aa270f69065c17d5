import type {
  ComplianceReport,
  RequirementResult,
  RequirementStatus,
  ResourceFinding,
} from '../compliance/evaluate.js';
import { SEVERITIES } from '../model/result.js';
import { VERSION } from '../version.js';

const STATUS_LABEL: Record<RequirementStatus, string> = {
  pass: 'Passed',
  fail: 'Failed',
  error: 'Error',
  manual: 'Manual',
  'not-applicable': 'Not applicable',
};

const COLORS: Record<string, string> = {
  pass: '#1a7f37',
  fail: '#c62828',
  error: '#b35c00',
  manual: '#4a5d7e',
  'not-applicable': '#8a8f98',
  critical: '#7b1fa2',
  high: '#c62828',
  medium: '#e07b00',
  low: '#b8a000',
  info: '#5c7080',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const pct = (score: number | null) => (score === null ? '—' : `${score.toFixed(1)}%`);

function truncate(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Horizontal bars, one per row, drawn as inline SVG so the page needs nothing from outside. */
function barChart(
  id: string,
  title: string,
  rows: { label: string; value: number; max: number; text: string; color: string }[],
): string {
  const rowH = 26;
  const labelW = 230;
  const barW = 300;
  const height = rows.length * rowH + 8;
  const bars = rows
    .map((r, i) => {
      const y = i * rowH + 4;
      const w = r.max > 0 ? Math.max(0, Math.min(1, r.value / r.max)) * barW : 0;
      return [
        `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(truncate(r.label, 34))}</text>`,
        `<rect x="${labelW}" y="${y + 3}" width="${barW}" height="18" fill="#eef0f3"/>`,
        `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="18" fill="${r.color}"/>`,
        `<text x="${labelW + barW + 8}" y="${y + 16}">${escapeHtml(r.text)}</text>`,
      ].join('');
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg id="${id}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${labelW + barW + 90} ${height}" width="100%" font-size="12" font-family="system-ui, sans-serif">${bars}</svg></figure>`;
}

function badge(status: string): string {
  const label = STATUS_LABEL[status as RequirementStatus] ?? status;
  return `<span class="badge ${escapeHtml(status)}">${escapeHtml(label)}</span>`;
}

function where(f: ResourceFinding): string {
  const scope = [f.resource.account, f.resource.region].filter(Boolean).join(' / ');
  const src = f.source.file ? `${f.source.file}${f.source.line ? `:${f.source.line}` : ''}` : '';
  return [scope, src].filter(Boolean).map(escapeHtml).join(' · ');
}

function evidenceList(f: ResourceFinding): string {
  if (f.evidence.length === 0) return '';
  const items = f.evidence.slice(0, 8).map((e) => {
    const value =
      e.value === undefined ? '' : ` = <code>${escapeHtml(truncate(JSON.stringify(e.value) ?? ''))}</code>`;
    return `<li><code>${escapeHtml(e.path)}</code>${value}${e.note ? ` — ${escapeHtml(e.note)}` : ''}</li>`;
  });
  const more = f.evidence.length > 8 ? `<li>… ${f.evidence.length - 8} more</li>` : '';
  return `<ul class="evidence">${items.join('')}${more}</ul>`;
}

function findingRows(list: ResourceFinding[], kind: string): string {
  return list
    .map(
      (
        f,
      ) => `<tr class="${kind}"><td>${badge(f.status === 'unknown' ? 'manual' : f.status === 'exempt' ? 'not-applicable' : f.status)} <span class="sev ${f.severity}">${f.severity}</span></td>
<td><strong>${escapeHtml(f.resource.name)}</strong><br><small>${escapeHtml(f.resource.type)} · ${where(f)}</small><br><small class="id">${escapeHtml(f.resource.id)}</small></td>
<td>${escapeHtml(f.status === 'fail' ? f.message : (f.reason ?? f.message))}${evidenceList(f)}</td></tr>`,
    )
    .join('\n');
}

function requirementDetail(r: RequirementResult): string {
  const policies = r.policies.length
    ? `<p class="policies">Checked by: ${r.policies.map((p) => `<code>${escapeHtml(p.id)}</code>`).join(', ')}</p>`
    : '';
  const missing = r.missingPolicies.length
    ? `<p class="warn">Mapped but not available in this build: ${r.missingPolicies.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}</p>`
    : '';
  const manual =
    r.status === 'manual' && r.manual
      ? `<p class="check"><strong>What to check:</strong> ${escapeHtml(r.manual)}</p>`
      : '';
  const remediations = [...new Set([...r.failing, ...r.errors].map((f) => f.remediation).filter(Boolean))];
  const fix = remediations.length
    ? `<div class="fix"><strong>How to fix:</strong>${remediations.map((t) => `<p>${escapeHtml(t)}</p>`).join('')}</div>`
    : '';
  const rows = [
    findingRows(r.failing, 'failing'),
    findingRows(r.errors, 'errors'),
    findingRows(r.undecided, 'undecided'),
    findingRows(r.exempt, 'exempt'),
  ].join('');
  const table = rows.trim()
    ? `<table class="findings"><thead><tr><th>Result</th><th>Resource</th><th>Evidence</th></tr></thead><tbody>${rows}</tbody></table>`
    : '';
  return `<article class="req" id="req-${escapeHtml(r.id)}" data-status="${r.status}">
<h3>${badge(r.status)} ${escapeHtml(r.id)} ${escapeHtml(r.title)}</h3>
<p class="reason">${escapeHtml(r.reason)}</p>${policies}${missing}${manual}${fix}${table}
</article>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1080px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 4px; } .muted, small { color: #57606a; }
.summary { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; margin-top: 16px; }
.score { font-size: 44px; font-weight: 700; } .score-note { color: #57606a; }
.tiles { display: flex; gap: 10px; flex-wrap: wrap; }
.tile { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; min-width: 92px; }
.tile .n { font-size: 22px; font-weight: 700; display: block; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #eaeef2; }
th { background: #f6f8fa; font-weight: 600; }
.badge { display: inline-block; border-radius: 10px; padding: 1px 8px; font-size: 12px; color: #fff; white-space: nowrap; }
${Object.entries(COLORS)
  .map(
    ([k, c]) =>
      `.badge.${k} { background: ${c}; } .sev.${k} { color: ${c}; font-weight: 600; font-size: 12px; }`,
  )
  .join('\n')}
.req { border: 1px solid #d0d7de; border-radius: 6px; padding: 12px; margin: 10px 0; }
.fix { background: #f6f8fa; border-left: 3px solid #1a7f37; padding: 4px 10px; margin: 8px 0; } .fix p { margin: 4px 0; }
.check { background: #f3f5fa; border-left: 3px solid #4a5d7e; padding: 6px 10px; }
.warn { color: #b35c00; } .evidence { margin: 4px 0 0 16px; padding: 0; } code { font-size: 12px; background: #f6f8fa; padding: 0 3px; border-radius: 3px; }
.id { word-break: break-all; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .charts { grid-template-columns: 1fr 1fr; }
  .req, tr, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 14mm; }
`;

/**
 * The compliance report as one self-contained HTML page: summary and charts first (for a manager),
 * then the requirement table and the details (for the engineer). No scripts, fonts or images from
 * outside; a Content-Security-Policy forbids any request, so the file opens offline and prints as is.
 */
export function complianceHtml(report: ComplianceReport): string {
  const s = report.summary;
  const fw = report.framework;
  const tiles = (['pass', 'fail', 'error', 'manual', 'not-applicable'] as const)
    .map(
      (k) =>
        `<div class="tile" id="count-${k}"><span class="n" style="color:${COLORS[k]}">${s[k]}</span>${STATUS_LABEL[k]}</div>`,
    )
    .join('');
  const sectionChart = barChart(
    'chart-sections',
    'Score per section',
    report.sections.map((sec) => ({
      label: `${sec.id} ${sec.title}`,
      value: sec.score ?? 0,
      max: 100,
      text: sec.score === null ? 'not assessed' : `${pct(sec.score)} (${sec.pass}/${sec.assessed})`,
      color:
        sec.score === null
          ? COLORS['not-applicable']!
          : sec.score >= 80
            ? COLORS.pass!
            : sec.score >= 50
              ? COLORS.medium!
              : COLORS.fail!,
    })),
  );
  const maxSev = Math.max(1, ...SEVERITIES.map((k) => s.severity[k]));
  const severityChart = barChart(
    'chart-severity',
    'Failing resources by severity',
    SEVERITIES.map((k) => ({
      label: k,
      value: s.severity[k],
      max: maxSev,
      text: String(s.severity[k]),
      color: COLORS[k]!,
    })),
  );
  const scopes = report.scopes.length
    ? `<h2>By account and region</h2><table id="scopes"><thead><tr><th>Account</th><th>Region</th><th>Score</th><th>Passed</th><th>Failed</th><th>Error</th><th>Manual</th></tr></thead><tbody>${report.scopes
        .map(
          (sc) =>
            `<tr><td>${escapeHtml(sc.account || '(infrastructure code)')}</td><td>${escapeHtml(sc.region || 'global')}</td><td>${pct(sc.score)}</td><td>${sc.pass}</td><td>${sc.fail}</td><td>${sc.error}</td><td>${sc.manual}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const overview = report.sections
    .map((sec) => {
      const reqs = report.requirements.filter((r) => r.section === sec.id);
      if (reqs.length === 0) return '';
      return `<tr class="section"><th colspan="3">${escapeHtml(sec.id)} ${escapeHtml(sec.title)} — ${pct(sec.score)}</th></tr>${reqs
        .map(
          (r) =>
            `<tr data-requirement="${escapeHtml(r.id)}"><td><a href="#req-${escapeHtml(r.id)}">${escapeHtml(r.id)}</a></td><td>${escapeHtml(r.title)}</td><td>${badge(r.status)} <small>${escapeHtml(r.reason)}</small></td></tr>`,
        )
        .join('')}`;
    })
    .join('');
  const order: RequirementStatus[] = ['fail', 'error', 'manual', 'pass', 'not-applicable'];
  const details = order
    .map((status) => {
      const list = report.requirements.filter((r) => r.status === status);
      return list.length
        ? `<h2>${STATUS_LABEL[status]} (${list.length})</h2>${list.map(requirementDetail).join('\n')}`
        : '';
    })
    .join('\n');
  const byId = new Map(report.requirements.map((r) => [r.id, r]));
  const fixFirst = report.priorities.length
    ? `<h2>Fix first</h2><table id="priorities"><thead><tr><th>Requirement</th><th>Worst severity</th><th>Resources</th></tr></thead><tbody>${report.priorities
        .map((id) => {
          const r = byId.get(id)!;
          const list = [...r.failing, ...r.errors];
          const sev = SEVERITIES.find((s) => list.some((f) => f.severity === s)) ?? 'info';
          return `<tr><td><a href="#req-${escapeHtml(r.id)}">${escapeHtml(r.id)}</a> ${escapeHtml(r.title)}</td><td><span class="sev ${sev}">${sev}</span></td><td>${list.length}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : '';
  const warnings = report.warnings.length
    ? `<details class="warn"><summary>${report.warnings.length} warning(s)</summary><ul>${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></details>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(fw.title)} — compliance report</title>
<style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(fw.title)}${fw.version ? ` ${escapeHtml(fw.version)}` : ''}</h1>
<div class="muted">Compliance report · ${escapeHtml(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC · ${report.resources} resources from ${escapeHtml(report.inputs.join(', ') || 'no inputs')} · Warden ${escapeHtml(VERSION)}</div></header>
<section class="summary" aria-label="Summary">
<div><div class="score" id="score">${pct(s.score)}</div><div class="score-note">of assessed requirements pass (<span id="passed">${s.pass}</span> of <span id="assessed">${s.assessed}</span>; ${s.requirements} requirements in total)</div></div>
<div class="tiles">${tiles}</div></section>
${warnings}
<h2>Overview</h2>
<section class="charts">${sectionChart}${severityChart}</section>
${fixFirst}
${scopes}
<h2>Requirements</h2>
<table id="requirements"><thead><tr><th>Id</th><th>Requirement</th><th>Status</th></tr></thead><tbody>${overview}</tbody></table>
${details}
</body></html>
`;
}
