import type { ScanReport } from '../engine/scan.js';
import type { SourceRef } from '../model/resource.js';
import type { Evidence, ResourceSummary, Result, Severity } from '../model/result.js';
import { SEVERITIES, SEVERITY_RANK } from '../model/result.js';
import type { PolicyDefinition } from '../policy/definition.js';
import { LIVE_ONLY } from '../policy/evaluate.js';
import { didYouMean } from '../policy/spec-error.js';
import type { Framework, Requirement } from './framework.js';

export type RequirementStatus = 'pass' | 'fail' | 'manual' | 'error' | 'not-applicable';
export const REQUIREMENT_STATUSES: readonly RequirementStatus[] = [
  'pass',
  'fail',
  'error',
  'manual',
  'not-applicable',
];

export interface StatusTally {
  pass: number;
  fail: number;
  error: number;
  manual: number;
  'not-applicable': number;
  /** pass + fail + error: requirements a check decided (or tried to). */
  assessed: number;
  /** pass / assessed, 0–100 with one decimal; null when nothing was assessed. */
  score: number | null;
}

export interface ResourceFinding {
  policy: string;
  severity: Severity;
  resource: ResourceSummary;
  status: 'fail' | 'error' | 'exempt' | 'unknown';
  message: string;
  evidence: Evidence[];
  remediation: string;
  source: SourceRef;
  /** Why the result is exempt, unknown or error. */
  reason?: string;
}

export interface RequirementResult {
  id: string;
  title: string;
  section: string;
  level?: string;
  assessment?: 'automated' | 'manual';
  status: RequirementStatus;
  /** One line saying why the status is what it is. */
  reason: string;
  /** Loaded policies that evidence the requirement. */
  policies: { id: string; title: string; severity: Severity }[];
  /** Mapped policy ids that are not loaded (not implemented in this build, or a typo). */
  missingPolicies: string[];
  counts: { fail: number; pass: number; error: number; unknown: number; exempt: number };
  failing: ResourceFinding[];
  errors: ResourceFinding[];
  undecided: ResourceFinding[];
  exempt: ResourceFinding[];
  /** What a person checks when the requirement is manual. */
  manual?: string;
}

export interface ScopeResult extends StatusTally {
  account: string;
  region: string;
}

export interface SectionResult extends StatusTally {
  id: string;
  title: string;
}

export interface ComplianceReport {
  framework: { id: string; title: string; version: string; description: string; builtIn: boolean };
  generatedAt: string;
  inputs: string[];
  resources: number;
  summary: StatusTally & { requirements: number; severity: Record<Severity, number> };
  sections: SectionResult[];
  scopes: ScopeResult[];
  requirements: RequirementResult[];
  /** Failing or unreadable requirements to fix first: worst severity, then most resources (at most 10). */
  priorities: string[];
  warnings: string[];
}

function tally(statuses: readonly RequirementStatus[]): StatusTally {
  const t: StatusTally = {
    pass: 0,
    fail: 0,
    error: 0,
    manual: 0,
    'not-applicable': 0,
    assessed: 0,
    score: null,
  };
  for (const s of statuses) t[s]++;
  t.assessed = t.pass + t.fail + t.error;
  t.score = t.assessed === 0 ? null : Math.round((t.pass / t.assessed) * 1000) / 10;
  return t;
}

/**
 * The status of a requirement from its policies' results, strictest first: any `error` → error (an
 * unreadable resource never passes), any `fail` → fail, any `unknown` → manual (a person must decide),
 * any `pass` → pass; only exempt results → pass (accepted risks, listed); no results → not applicable.
 */
export function requirementStatus(
  results: readonly Result[],
  policyCount: number,
): { status: RequirementStatus; reason: string } {
  if (policyCount === 0) return { status: 'manual', reason: 'no automated check: review by hand' };
  const c = { fail: 0, pass: 0, error: 0, unknown: 0, exempt: 0 };
  for (const r of results) c[r.status]++;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (c.error > 0) return { status: 'error', reason: `${plural(c.error, 'resource')} could not be read` };
  if (c.fail > 0) return { status: 'fail', reason: `${plural(c.fail, 'resource')} failed` };
  if (c.unknown > 0)
    return { status: 'manual', reason: `${plural(c.unknown, 'result')} could not be decided automatically` };
  if (c.pass > 0)
    return {
      status: 'pass',
      reason: `${plural(c.pass, 'resource')} passed${c.exempt ? `, ${c.exempt} exempt` : ''}`,
    };
  if (c.exempt > 0) return { status: 'pass', reason: `all ${plural(c.exempt, 'resource')} exempt` };
  return { status: 'not-applicable', reason: 'no resources in scope' };
}

function finding(r: Result, def: PolicyDefinition | undefined): ResourceFinding {
  const f: ResourceFinding = {
    policy: r.policy,
    severity: r.severity,
    resource: r.resource,
    status: r.status as ResourceFinding['status'],
    message: r.message,
    evidence: r.evidence,
    remediation: def?.remediation ?? '',
    source: r.source,
  };
  if (r.reason !== undefined) f.reason = r.reason;
  return f;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Policies evidencing each requirement: the framework's list plus policies that name the requirement. */
function policyMap(framework: Framework, definitions: readonly PolicyDefinition[]): Map<string, string[]> {
  const map = new Map<string, string[]>(framework.requirements.map((r) => [r.id, [...r.policies]]));
  for (const def of definitions) {
    for (const reqId of def.frameworks[framework.id] ?? []) {
      const list = map.get(reqId);
      if (list && !list.includes(def.id)) list.push(def.id);
    }
  }
  return map;
}

function priorities(requirements: readonly RequirementResult[]): string[] {
  const worst = (r: RequirementResult) =>
    Math.max(-1, ...[...r.failing, ...r.errors].map((f) => SEVERITY_RANK[f.severity]));
  return requirements
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r, i) => ({ r, i, rank: worst(r), count: r.failing.length + r.errors.length }))
    .sort((a, b) => b.rank - a.rank || b.count - a.count || a.i - b.i)
    .slice(0, 10)
    .map(({ r }) => r.id);
}

export interface EvaluateFrameworkOptions {
  now?: Date;
  /** Resource types live collection could not list (denied, failed): their requirements never pass. */
  notInventoried?: readonly string[];
}

/** Evaluates a framework over a scan: per requirement, per section, per account/region, overall. */
export function evaluateFramework(
  framework: Framework,
  report: ScanReport,
  options: EvaluateFrameworkOptions = {},
): ComplianceReport {
  const defs = new Map(report.policies.map((d) => [d.id, d]));
  const mapped = policyMap(framework, report.policies);
  const byPolicy = new Map<string, Result[]>();
  for (const r of report.results) push(byPolicy, r.policy, r);
  const warnings: string[] = [];
  const scopes = new Map<string, { account: string; region: string }>();
  const perScope = new Map<string, RequirementStatus[]>();
  const failingSeen = new Map<string, Severity>();
  const unlisted = new Set(options.notInventoried ?? []);

  const requirements = framework.requirements.map((req: Requirement): RequirementResult => {
    const ids = mapped.get(req.id) ?? [];
    const loaded = ids.filter((id) => defs.get(id)?.enabled);
    const missing = ids.filter((id) => !defs.has(id));
    for (const id of missing) {
      warnings.push(
        `${framework.file}:${req.line}: requirement ${req.id} maps policy "${id}", which is not loaded${didYouMean(id, defs.keys())}; the requirement is reported as manual unless another policy decides it`,
      );
    }
    const results = loaded.flatMap((id) => byPolicy.get(id) ?? []);
    let { status, reason } = requirementStatus(results, loaded.length);
    // Live-only evidence (credential report, account summary) does not exist in IaC: on a scan without
    // live data "no result" means "not looked at", which a reader must not take for "does not apply".
    if (
      status === 'not-applicable' &&
      !(report.liveResources && report.liveResources > 0) &&
      loaded.every((id) => defs.get(id)?.tags.includes(LIVE_ONLY))
    ) {
      status = 'manual';
      reason =
        'checked only on live account data, and this scan read none: report on --aws or a collected snapshot, or review by hand';
    }
    // A type that could not be listed hides resources that might fail: like an unreadable resource,
    // that is an error, never a pass or "not applicable".
    const gaps = [
      ...new Set(loaded.flatMap((id) => defs.get(id)?.resourceTypes ?? []).filter((t) => unlisted.has(t))),
    ];
    if (gaps.length > 0) {
      status = 'error';
      reason = `${gaps.join(', ')} could not be inventoried (see the collection summary)${results.length > 0 ? `; ${reason}` : ''}`;
    }
    const counts = { fail: 0, pass: 0, error: 0, unknown: 0, exempt: 0 };
    for (const r of results) counts[r.status]++;
    const pick = (s: Result['status']) =>
      results.filter((r) => r.status === s).map((r) => finding(r, defs.get(r.policy)));
    for (const r of results) {
      if (r.status === 'fail') failingSeen.set(r.fingerprint, r.severity);
    }
    // Per account/region: the same rule over the results of that scope only.
    if (loaded.length > 0) {
      const local = new Map<string, Result[]>();
      for (const r of results) {
        const key = `${r.resource.account}\n${r.resource.region}`;
        scopes.set(key, { account: r.resource.account, region: r.resource.region });
        push(local, key, r);
      }
      for (const [key, list] of local) push(perScope, key, requirementStatus(list, loaded.length).status);
    }
    const out: RequirementResult = {
      id: req.id,
      title: req.title,
      section: req.section,
      status,
      reason:
        status === 'manual' && loaded.length === 0 && missing.length > 0
          ? `not implemented in this build (policy ${missing.join(', ')} not loaded): review by hand`
          : reason,
      policies: loaded.map((id) => {
        const d = defs.get(id)!;
        return { id, title: d.title, severity: d.severity };
      }),
      missingPolicies: missing,
      counts,
      failing: pick('fail'),
      errors: pick('error'),
      undecided: pick('unknown'),
      exempt: pick('exempt'),
    };
    if (req.level !== undefined) out.level = req.level;
    if (req.assessment !== undefined) out.assessment = req.assessment;
    if (req.manual !== undefined) out.manual = req.manual;
    return out;
  });

  const sections = framework.sections.map((s) => ({
    id: s.id,
    title: s.title,
    ...tally(requirements.filter((r) => r.section === s.id).map((r) => r.status)),
  }));
  const severity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const s of failingSeen.values()) severity[s]++;
  const scopeList = [...scopes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, scope]) => ({ ...scope, ...tally(perScope.get(key) ?? []) }));
  return {
    framework: {
      id: framework.id,
      title: framework.title,
      version: framework.version,
      description: framework.description,
      builtIn: framework.builtIn,
    },
    generatedAt: (options.now ?? new Date()).toISOString(),
    inputs: report.inputs,
    resources: report.resources,
    summary: { ...tally(requirements.map((r) => r.status)), requirements: requirements.length, severity },
    sections,
    scopes: scopeList,
    requirements,
    priorities: priorities(requirements),
    warnings,
  };
}
