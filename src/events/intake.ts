import { isObj } from '../util/narrow.js';
import { parseAwsDocument, type TrailObjectRef } from './aws-intake.js';
import { parseAzureActivityEvent } from './azure.js';
import { parseGcpAuditEntry } from './gcp.js';
import { type EventOutcome, malformed } from './types.js';

export interface ParsedEvents {
  outcomes: EventOutcome[];
  trailObjects: TrailObjectRef[];
  /** GuardDuty findings (EventBridge events) met on the way, for the detectors. */
  findingEvents: unknown[];
}

function isAzure(v: unknown): boolean {
  return isObj(v) && typeof v.resourceId === 'string' && 'operationName' in v;
}

function isGcp(v: unknown): boolean {
  return isObj(v) && isObj(v.protoPayload);
}

/** Pub/Sub push and pull deliveries carry the LogEntry base64-encoded in `message.data`. */
function unwrapPubSub(v: unknown): unknown {
  if (!isObj(v) || !isObj(v.message) || typeof v.message.data !== 'string') return v;
  try {
    return JSON.parse(Buffer.from(v.message.data, 'base64').toString('utf8'));
  } catch {
    return v;
  }
}

function fromValue(value: unknown, where: string, out: ParsedEvents): void {
  const v = unwrapPubSub(value);
  const list = Array.isArray(v)
    ? { items: v, label: '' }
    : isObj(v) && !isAzure(v) && !isGcp(v)
      ? (['records', 'value', 'entries'] as const)
          .filter((k) => Array.isArray(v[k]))
          .map((k) => ({ items: v[k] as unknown[], label: ` ${k}` }))[0]
      : undefined;
  if (list) {
    for (const [i, item] of list.items.entries()) fromValue(item, `${where}${list.label}[${i}]`, out);
  } else if (isAzure(v)) out.outcomes.push(parseAzureActivityEvent(v, where));
  else if (isGcp(v)) out.outcomes.push(parseGcpAuditEntry(v, where));
  else {
    const aws = parseAwsDocument(v, where);
    out.outcomes.push(...aws.outcomes);
    out.trailObjects.push(...aws.trailObjects);
    out.findingEvents.push(...aws.findingEvents);
  }
}

/**
 * A file or message holding cloud change events, recognised by content: AWS (EventBridge, S3
 * notification, CloudTrail records), Azure Activity Log (REST list, `{"records": […]}` export,
 * single event) or GCP audit log entries (one entry, a `gcloud logging read --format=json` list,
 * a Pub/Sub delivery). JSON or one JSON document per line.
 */
export function parseEventText(text: string, where: string): ParsedEvents {
  const out: ParsedEvents = { outcomes: [], trailObjects: [], findingEvents: [] };
  try {
    fromValue(JSON.parse(text), where, out);
    return out;
  } catch {
    // Not one JSON document: try JSON lines.
  }
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      out.outcomes.push(malformed(`not JSON: ${(err as Error).message}`, `${where}:${i + 1}`));
      continue;
    }
    fromValue(value, `${where}:${i + 1}`, out);
  }
  return out;
}
