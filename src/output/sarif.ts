import type { ScanReport } from '../engine/scan.js';
import type { Result, Severity } from '../model/result.js';
import { VERSION } from '../version.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning ranks security alerts by this 0-10 score. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

function physicalLocation(r: Result) {
  if (!r.source.file) return undefined;
  return {
    physicalLocation: {
      artifactLocation: { uri: r.source.file.split('\\').join('/') },
      ...(r.source.line ? { region: { startLine: r.source.line } } : {}),
    },
    logicalLocations: [{ fullyQualifiedName: r.source.address ?? r.resource.id, kind: 'resource' }],
  };
}

/**
 * SARIF 2.1.0 for code scanning: one rule per policy, one result per failing resource; exempt results
 * are included with a suppression (so they stay visible as exempt, not as open alerts).
 */
export function toSarif(report: ScanReport) {
  const rules = report.policies.map((p) => ({
    id: p.id,
    name: p.id
      .split(/[-.]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: p.title },
    fullDescription: { text: p.description },
    help: {
      text: p.remediation || p.description,
      markdown: `**${p.title}**\n\n${p.description}\n\n**Remediation:** ${p.remediation}`,
    },
    defaultConfiguration: { level: LEVEL[p.severity] },
    properties: {
      tags: [
        'security',
        ...Object.entries(p.frameworks).flatMap(([fw, ids]) => ids.map((id) => `${fw}:${id}`)),
      ],
      'security-severity': SECURITY_SEVERITY[p.severity],
      precision: 'high',
    },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.results
    .filter((r) => r.status === 'fail' || r.status === 'exempt')
    .map((r) => {
      const loc = physicalLocation(r);
      return {
        ruleId: r.policy,
        ruleIndex: ruleIndex.get(r.policy) ?? -1,
        level: LEVEL[r.severity],
        message: { text: `${r.message} [${r.resource.name}]` },
        ...(loc ? { locations: [loc] } : {}),
        partialFingerprints: { 'wardenFingerprint/v1': r.fingerprint },
        ...(r.status === 'exempt'
          ? { suppressions: [{ kind: 'inSource', justification: r.reason ?? 'exempt' }] }
          : {}),
        properties: { resource: r.resource, evidence: r.evidence },
      };
    });
  const artifacts = [
    ...new Set(report.results.map((r) => r.source.file).filter((f): f is string => !!f)),
  ].map((uri) => ({
    location: { uri: uri.split('\\').join('/') },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'warden',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://github.com/warden-security/warden',
            rules,
          },
        },
        artifacts,
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function formatSarif(report: ScanReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
