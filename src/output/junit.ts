import type { ScanReport } from '../engine/scan.js';
import type { Result } from '../model/result.js';
import { xmlEscape } from './xml.js';

function location(r: Result): string {
  return r.source.file ? `${r.source.file}${r.source.line ? `:${r.source.line}` : ''}` : r.resource.id;
}

function evidenceText(r: Result): string {
  return r.evidence.map((e) => `${e.path}${e.note ? `: ${e.note}` : ''}`).join('\n');
}

/**
 * JUnit XML: one suite per policy, one test case per evaluated resource. Fail → <failure>,
 * error → <error>, exempt and unknown → <skipped> with the reason, so CI dashboards count them right.
 */
export function formatJunit(report: ScanReport): string {
  const byPolicy = new Map<string, Result[]>();
  for (const r of report.results) {
    const list = byPolicy.get(r.policy) ?? [];
    list.push(r);
    byPolicy.set(r.policy, list);
  }
  const titles = new Map(report.policies.map((p) => [p.id, p]));
  const totals = report.summary;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="warden" tests="${report.results.length}" failures="${totals.fail}" errors="${totals.error}" skipped="${totals.exempt + totals.unknown}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  );
  for (const [policy, results] of byPolicy) {
    const def = titles.get(policy);
    const count = (s: Result['status']) => results.filter((r) => r.status === s).length;
    out.push(
      `  <testsuite name="${xmlEscape(policy)}" tests="${results.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('exempt') + count('unknown')}">`,
    );
    if (def)
      out.push(
        `    <properties><property name="severity" value="${xmlEscape(def.severity)}"/><property name="title" value="${xmlEscape(def.title)}"/></properties>`,
      );
    for (const r of results) {
      const name = `${r.resource.name} (${location(r)})`;
      out.push(
        `    <testcase classname="${xmlEscape(policy)}" name="${xmlEscape(name)}" file="${xmlEscape(r.source.file ?? '')}">`,
      );
      if (r.status === 'fail') {
        out.push(
          `      <failure message="${xmlEscape(r.message)}" type="${xmlEscape(r.severity)}">${xmlEscape(`${r.message}\n${evidenceText(r)}\nRemediation: ${def?.remediation ?? ''}`)}</failure>`,
        );
      } else if (r.status === 'error') {
        out.push(`      <error message="${xmlEscape(r.message)}">${xmlEscape(r.reason ?? '')}</error>`);
      } else if (r.status === 'exempt' || r.status === 'unknown') {
        out.push(`      <skipped message="${xmlEscape(r.message)}"/>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
