import { isObj } from '../util/narrow.js';
import { stringAt } from './json-path.js';
import { type EventOutcome, malformed } from './types.js';

/** GCP types Warden models: which audit-log resource names they have and how to build the self link. */
const GCP_TYPES: readonly {
  service: string;
  pattern: RegExp;
  type: string;
  selfLink: (m: RegExpExecArray) => string;
}[] = [
  {
    service: 'storage.googleapis.com',
    pattern: /^projects\/_\/buckets\/([\w.-]{1,222})$/,
    type: 'gcp.storage.bucket',
    selfLink: (m) => `https://www.googleapis.com/storage/v1/b/${m[1]}`,
  },
  {
    service: 'compute.googleapis.com',
    pattern: /^projects\/([\w.:-]{1,100})\/global\/firewalls\/([\w-]{1,63})$/,
    type: 'gcp.compute.firewall',
    selfLink: (m) => `https://www.googleapis.com/compute/v1/projects/${m[1]}/global/firewalls/${m[2]}`,
  },
];

/** Method names that only read (`storage.buckets.get`, `v1.compute.firewalls.list`, `…getIamPolicy`). */
const READ_METHOD = /\.(get|list|aggregatedList|getIamPolicy|testIamPermissions)$/i;

/**
 * One Cloud Audit Logs entry (a LogEntry whose `protoPayload` is an AuditLog) → outcome. Data-access
 * logs and read methods are reads; a non-zero `status.code` is a failed call; of a long-running
 * operation only the last entry counts (the first is written before the change is applied).
 */
export function parseGcpAuditEntry(entry: unknown, where: string): EventOutcome {
  if (!isObj(entry) || !isObj(entry.protoPayload))
    return malformed('audit log entry without protoPayload', where);
  const p = entry.protoPayload;
  const service = p.serviceName;
  const method = p.methodName;
  const resourceName = p.resourceName;
  const insertId = entry.insertId;
  const time = entry.timestamp;
  if (typeof service !== 'string' || typeof method !== 'string' || typeof resourceName !== 'string')
    return malformed('audit log entry without serviceName/methodName/resourceName', where);
  if (typeof insertId !== 'string' || insertId === '')
    return malformed('audit log entry without insertId', where);
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time)))
    return malformed(`audit log entry ${insertId} without a valid timestamp`, where);
  const key = `${service}:${method}`;
  const logName = typeof entry.logName === 'string' ? entry.logName : '';
  if (READ_METHOD.test(method) || logName.includes('data_access'))
    return { kind: 'ignored', reason: 'read-only', key };
  if (isObj(p.status) && typeof p.status.code === 'number' && p.status.code !== 0)
    return { kind: 'ignored', reason: 'failed-call', key };
  if (isObj(entry.operation) && entry.operation.last !== true)
    return { kind: 'ignored', reason: 'not-a-change', key };
  for (const t of GCP_TYPES) {
    if (t.service !== service) continue;
    const m = t.pattern.exec(resourceName);
    if (!m) continue;
    const project = stringAt(entry, 'resource.labels.project_id') ?? (m[1] !== '_' ? m[1]! : '');
    const region = stringAt(entry, 'resource.labels.location') ?? '';
    return {
      kind: 'change',
      event: {
        provider: 'gcp',
        source: service,
        name: method,
        account: project,
        region: t.type === 'gcp.compute.firewall' ? 'global' : region,
        time: new Date(time).toISOString(),
        actor: stringAt(entry, 'protoPayload.authenticationInfo.principalEmail') ?? 'unknown',
        touched: [
          {
            type: t.type,
            id: t.selfLink(m),
            name: m[m.length - 1]!,
            region: t.type === 'gcp.compute.firewall' ? 'global' : region,
          },
        ],
        rawId: insertId,
      },
    };
  }
  return { kind: 'ignored', reason: 'unknown-event', key };
}
