import { isObj, type Obj } from '../util/narrow.js';
import { AWS_EVENT_MAP, type TouchRule } from './aws-event-map.js';
import { stringAt, stringsAt } from './json-path.js';
import { type EventOutcome, malformed, type TouchedResource } from './types.js';

const ARN_RE = /^arn:[\w-]+:/;
/**
 * What AWS names and ids are made of (plus ARN punctuation). Queue messages can be sent by anyone
 * allowed to write to the queue, so anything else in an id slot is not used to name a resource.
 */
const SAFE_ID = /^[\w.:/+=,@-]{1,1024}$/;

/** The partition of a region (`cn-north-1` → aws-cn), for ARNs the event does not spell out. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The last segment of an ARN's resource part (`arn:…:trail/main` → `main`). */
function nameFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const slash = resource.lastIndexOf('/');
  if (slash >= 0) return resource.slice(slash + 1);
  const colon = resource.lastIndexOf(':');
  return colon >= 0 ? resource.slice(colon + 1) : resource;
}

function touchedBy(rule: TouchRule, record: Obj, account: string, region: string): TouchedResource[] {
  const where = rule.global ? '' : region;
  if (rule.all) return [{ type: rule.type, region: where }];
  let values: string[] = [];
  for (const path of rule.id ?? []) {
    values = stringsAt(record, path).filter((v) => SAFE_ID.test(v));
    if (values.length > 0) break;
  }
  const partition = partitionOf(region);
  const fields = rule.fields ? { fields: [...rule.fields] } : {};
  return [...new Set(values)].map((value) => {
    if (ARN_RE.test(value))
      return { type: rule.type, id: value, name: nameFromArn(value), region: where, ...fields };
    let id = rule.arn
      ?.replaceAll('{partition}', partition)
      .replaceAll('{region}', region)
      .replaceAll('{account}', account)
      .replaceAll('{id}', value);
    for (const [name, paths] of Object.entries(rule.vars ?? {})) {
      const found = paths.map((p) => stringAt(record, p)).find((v) => v !== undefined && SAFE_ID.test(v));
      id = found === undefined ? undefined : id?.replaceAll(`{${name}}`, found);
    }
    return id
      ? { type: rule.type, id, name: value, region: where, ...fields }
      : { type: rule.type, name: value, region: where, ...fields };
  });
}

function actorOf(record: Obj): string {
  const who = isObj(record.userIdentity) ? record.userIdentity : {};
  return (
    stringAt(who, 'arn') ??
    stringAt(who, 'sessionContext.sessionIssuer.arn') ??
    stringAt(who, 'invokedBy') ??
    stringAt(who, 'principalId') ??
    'unknown'
  );
}

/**
 * One CloudTrail record (from a trail file or the `detail` of an EventBridge event) → outcome.
 * Read-only calls and calls that failed (`errorCode`) change nothing and are ignored; operations
 * missing from the map are ignored and counted under their `source:name` key.
 */
export function parseCloudTrailRecord(record: unknown, where: string): EventOutcome {
  if (!isObj(record)) return malformed('CloudTrail record is not an object', where);
  const source = record.eventSource;
  const name = record.eventName;
  const eventId = record.eventID;
  const time = record.eventTime;
  if (typeof source !== 'string' || typeof name !== 'string')
    return malformed('CloudTrail record without eventSource/eventName', where);
  if (typeof eventId !== 'string' || eventId === '')
    return malformed('CloudTrail record without eventID', where);
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time)))
    return malformed(`CloudTrail record ${eventId} has no valid eventTime`, where);
  const key = `${source}:${name}`;
  if (record.readOnly === true) return { kind: 'ignored', reason: 'read-only', key };
  if (typeof record.errorCode === 'string' && record.errorCode !== '')
    return { kind: 'ignored', reason: 'failed-call', key };
  const rules = Object.hasOwn(AWS_EVENT_MAP, source) ? AWS_EVENT_MAP[source] : undefined;
  const mapped = rules && Object.hasOwn(rules, name) ? rules[name] : undefined;
  if (!mapped) {
    // Describe/Get/List calls recorded without readOnly (older records) are reads too.
    const read = /^(Describe|Get|List|Head|Lookup)/.test(name);
    return { kind: 'ignored', reason: read ? 'read-only' : 'unknown-event', key };
  }
  const region = typeof record.awsRegion === 'string' ? record.awsRegion : '';
  const account = stringAt(record, 'recipientAccountId') ?? stringAt(record, 'userIdentity.accountId') ?? '';
  const touched = mapped.flatMap((rule) => touchedBy(rule, record, account, region));
  if (touched.length === 0)
    return malformed(`${key} event ${eventId} does not name the resource it changed`, where);
  return {
    kind: 'change',
    event: {
      provider: 'aws',
      source,
      name,
      account,
      region,
      time: new Date(time).toISOString(),
      actor: actorOf(record),
      touched,
      rawId: eventId,
    },
  };
}
