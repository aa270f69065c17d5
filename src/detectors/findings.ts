import type { Provider, SourceRef } from '../model/resource.js';
import type { Evidence, ResourceSummary, Result, Severity } from '../model/result.js';
import type { PolicyDefinition } from '../policy/definition.js';
import { fingerprint } from '../policy/evaluate.js';

/** What a detector says about one detection, before it becomes a Result. */
export interface Detection {
  policy: string;
  resource: ResourceSummary;
  severity: Severity;
  message: string;
  evidence: Evidence[];
  source: SourceRef;
  /**
   * What makes this detection distinct on the same resource (the attacking source, the GuardDuty
   * finding id): detections keep one identity across runs, and two attackers on one load balancer
   * stay two findings.
   */
  subject: string;
  frameworks?: Record<string, string[]>;
}

export function toResult(d: Detection): Result {
  return {
    policy: d.policy,
    resource: d.resource,
    status: 'fail',
    severity: d.severity,
    message: d.message,
    evidence: d.evidence,
    source: d.source,
    fingerprint: fingerprint(d.policy, `${d.resource.id}#${d.subject}`),
    frameworks: d.frameworks ?? {},
  };
}

export function resource(
  type: string,
  id: string,
  name: string,
  account = '',
  region = '',
  provider: Provider = 'aws',
): ResourceSummary {
  return { id, type, provider, account, region, name };
}

/** A detector's description in the policy shape, so every output format lists it like a policy. */
export function detectorDefinition(
  d: Pick<PolicyDefinition, 'id' | 'severity' | 'title' | 'description' | 'remediation'> & {
    resourceTypes: string[];
    frameworks?: Record<string, string[]>;
  },
): PolicyDefinition {
  return {
    ...d,
    frameworks: d.frameworks ?? {},
    filters: [],
    exceptions: [],
    parameters: {},
    actions: [],
    mode: 'report',
    tags: ['detector'],
    enabled: true,
    origin: { file: `<detector ${d.id}>`, line: 0, column: 0, builtIn: true },
  };
}
