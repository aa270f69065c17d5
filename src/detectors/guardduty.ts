import type { ResourceSummary, Severity } from '../model/result.js';
import type { PolicyDefinition } from '../policy/definition.js';
import { isObj, type Obj, objectItems } from '../util/narrow.js';
import { type Detection, detectorDefinition, resource } from './findings.js';

export const GUARDDUTY_DETAIL_TYPE = 'GuardDuty Finding';

/** GuardDuty's documented bands: 1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical. */
export function guardDutySeverity(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** `UnauthorizedAccess:EC2/SSHBruteForce` → `guardduty-unauthorizedaccess-ec2-sshbruteforce`. */
export function guardDutyPolicyId(type: string): string {
  const slug = type
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `guardduty-${slug || 'unknown'}`.slice(0, 128);
}

function str(o: Obj, k: string): string {
  const v = o[k];
  return typeof v === 'string' ? v : '';
}

/** The resources a finding names, in Warden's types and ids. */
function resourcesOf(f: Obj, account: string, region: string, partition: string): ResourceSummary[] {
  const r = isObj(f.resource) ? f.resource : {};
  const kind = str(r, 'resourceType');
  const out: ResourceSummary[] = [];
  if (isObj(r.instanceDetails) && str(r.instanceDetails, 'instanceId')) {
    const id = str(r.instanceDetails, 'instanceId');
    out.push(
      resource(
        'aws.ec2.instance',
        `arn:${partition}:ec2:${region}:${account}:instance/${id}`,
        id,
        account,
        region,
      ),
    );
  }
  if (isObj(r.accessKeyDetails)) {
    const user = str(r.accessKeyDetails, 'userName');
    const type = str(r.accessKeyDetails, 'userType');
    if (user && type === 'IAMUser')
      out.push(resource('aws.iam.user', `arn:${partition}:iam::${account}:user/${user}`, user, account, ''));
    else if (user && type === 'Root')
      out.push(resource('aws.iam.account', `arn:${partition}:iam::${account}:root`, account, account, ''));
    else if (user && type === 'AssumedRole')
      out.push(resource('aws.iam.role', `arn:${partition}:iam::${account}:role/${user}`, user, account, ''));
  }
  for (const b of objectItems(r.s3BucketDetails)) {
    const name = str(b, 'name');
    if (name)
      out.push(
        resource('aws.s3.bucket', str(b, 'arn') || `arn:${partition}:s3:::${name}`, name, account, ''),
      );
  }
  if (isObj(r.rdsDbInstanceDetails) && str(r.rdsDbInstanceDetails, 'dbInstanceIdentifier')) {
    const id = str(r.rdsDbInstanceDetails, 'dbInstanceIdentifier');
    out.push(
      resource(
        'aws.rds.instance',
        str(r.rdsDbInstanceDetails, 'dbInstanceArn') || `arn:${partition}:rds:${region}:${account}:db:${id}`,
        id,
        account,
        region,
      ),
    );
  }
  if (isObj(r.lambdaDetails) && str(r.lambdaDetails, 'functionArn')) {
    const arn = str(r.lambdaDetails, 'functionArn');
    out.push(
      resource('aws.lambda.function', arn, str(r.lambdaDetails, 'functionName') || arn, account, region),
    );
  }
  if (isObj(r.eksClusterDetails) && str(r.eksClusterDetails, 'name')) {
    const name = str(r.eksClusterDetails, 'name');
    out.push(resource('aws.eks.cluster', str(r.eksClusterDetails, 'arn') || name, name, account, region));
  }
  if (out.length === 0) {
    // A finding about something Warden does not model still shows, on the finding itself.
    const arn = str(f, 'arn') || str(f, 'id');
    out.push(
      resource(
        `aws.guardduty.${kind ? kind.toLowerCase() : 'finding'}`,
        arn,
        kind || 'finding',
        account,
        region,
      ),
    );
  }
  return out;
}

/** One GuardDuty finding as received, for a watch loop that must tell news from repeats. */
export interface GuardDutyFinding {
  id: string;
  /**
   * What a repeat must differ in to be news: severity, occurrence count and `updatedAt`. GuardDuty
   * re-publishes a finding as it recurs, and SQS redelivers; neither is a new finding.
   */
  revision: string;
  archived: boolean;
  /** Its detections (one per resource it names), archived or not. */
  detections: Detection[];
}

export interface GuardDutyOutcome {
  /** Detections of the findings that are not archived. */
  detections: Detection[];
  /** Every well-formed finding, archived ones included, in arrival order. */
  findings: GuardDutyFinding[];
  definitions: PolicyDefinition[];
  /** Envelopes that were not GuardDuty findings or lacked required fields, with why. */
  skipped: { where: string; reason: string }[];
}

/**
 * GuardDuty findings as EventBridge delivers them (`detail-type: GuardDuty Finding`) → detections on
 * the resources they name, one per resource. Archived findings are left out of `detections` (someone
 * closed them) but listed in `findings`, where a watch loop turns them into resolutions.
 */
export function fromGuardDutyEvents(events: readonly unknown[], file: string): GuardDutyOutcome {
  const out: GuardDutyOutcome = { detections: [], findings: [], definitions: [], skipped: [] };
  const defs = new Map<string, PolicyDefinition>();
  events.forEach((e, i) => {
    const where = `${file}[${i}]`;
    if (!isObj(e) || e['detail-type'] !== GUARDDUTY_DETAIL_TYPE || !isObj(e.detail)) {
      out.skipped.push({ where, reason: 'not a GuardDuty Finding event' });
      return;
    }
    const f = e.detail;
    const type = str(f, 'type');
    const id = str(f, 'id');
    const score = typeof f.severity === 'number' ? f.severity : Number.NaN;
    if (!type || !id || Number.isNaN(score)) {
      out.skipped.push({ where, reason: 'GuardDuty finding without type, id or numeric severity' });
      return;
    }
    const archived = isObj(f.service) && f.service.archived === true;
    if (archived) out.skipped.push({ where, reason: `finding ${id} is archived` });
    const account = str(f, 'accountId') || (typeof e.account === 'string' ? e.account : '');
    const region = str(f, 'region') || (typeof e.region === 'string' ? e.region : '');
    const partition = str(f, 'partition') || 'aws';
    const policy = guardDutyPolicyId(type);
    const severity = guardDutySeverity(score);
    const title = str(f, 'title') || type;
    if (!archived && !defs.has(policy))
      defs.set(
        policy,
        detectorDefinition({
          id: policy,
          resourceTypes: [],
          severity,
          title: `GuardDuty: ${type}`,
          description: str(f, 'description') || title,
          remediation: `Follow the GuardDuty remediation guide for ${type}; archive the finding once handled.`,
        }),
      );
    const service = isObj(f.service) ? f.service : {};
    const finding: GuardDutyFinding = {
      id,
      revision: JSON.stringify([score, service.count ?? null, str(f, 'updatedAt')]),
      archived,
      detections: [],
    };
    out.findings.push(finding);
    for (const res of resourcesOf(f, account, region, partition)) {
      finding.detections.push({
        policy,
        resource: res,
        severity,
        message: `${title} (GuardDuty severity ${score})`,
        evidence: [
          { path: 'type', value: type },
          { path: 'severity', value: score },
          { path: 'count', value: service.count ?? null },
          {
            path: 'window',
            value: { first: service.eventFirstSeen ?? null, last: service.eventLastSeen ?? null },
          },
          { path: 'findingArn', value: str(f, 'arn') || id },
        ],
        source: { kind: 'event', file: where },
        subject: `finding:${id}`,
      });
    }
    if (!archived) out.detections.push(...finding.detections);
  });
  out.definitions = [...defs.values()];
  return out;
}
