import { gunzipSync } from 'node:zlib';
import { GUARDDUTY_DETAIL_TYPE } from '../detectors/guardduty.js';
import { isObj, type Obj } from '../util/narrow.js';
import { parseCloudTrailRecord } from './aws.js';
import { type EventOutcome, malformed } from './types.js';

/** A CloudTrail log file in S3 named by an S3 event notification (or CloudTrail's SNS notice). */
export interface TrailObjectRef {
  bucket: string;
  key: string;
  region: string;
}

export interface AwsMessage {
  outcomes: EventOutcome[];
  /** Trail files to read; the caller fetches them (see `readTrailObject`). */
  trailObjects: TrailObjectRef[];
  /** EventBridge events of other kinds that Warden reads elsewhere (GuardDuty findings), as received. */
  findingEvents: unknown[];
}

/** Reads an object's bytes; the watch loop wires it to S3 GetObject. */
export type ObjectFetcher = (bucket: string, key: string) => Promise<Uint8Array>;

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/** A trail file inflates ~10x; anything far beyond the service's own limits is hostile. */
const MAX_TRAIL_BYTES = 256 * 1024 * 1024;

function parseJson(
  text: string,
  where: string,
): { ok: true; value: unknown } | { ok: false; error: EventOutcome } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: malformed(`not JSON: ${(err as Error).message}`, where) };
  }
}

/** S3 keys in notifications are URL-encoded with `+` for spaces. */
function decodeKey(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function isTrailLogKey(key: string): boolean {
  // Digest files (integrity validation) carry no events.
  return !key.includes('/CloudTrail-Digest/') && /\.json(\.gz)?$/.test(key);
}

function fromS3Notification(records: unknown[], where: string, out: AwsMessage): void {
  for (const [i, r] of records.entries()) {
    const at = `${where} Records[${i}]`;
    if (!isObj(r) || !isObj(r.s3) || !isObj(r.s3.bucket) || !isObj(r.s3.object)) {
      out.outcomes.push(malformed('S3 notification record without s3.bucket/s3.object', at));
      continue;
    }
    const bucket = r.s3.bucket.name;
    const rawKey = r.s3.object.key;
    const key = typeof rawKey === 'string' ? decodeKey(rawKey) : undefined;
    if (typeof bucket !== 'string' || bucket === '' || key === undefined || key === '') {
      out.outcomes.push(malformed('S3 notification record without bucket name or object key', at));
      continue;
    }
    const event = typeof r.eventName === 'string' ? r.eventName : '';
    if (!event.startsWith('ObjectCreated:') || !isTrailLogKey(key)) {
      out.outcomes.push({ kind: 'ignored', reason: 'not-a-change', key: `s3:${event}` });
      continue;
    }
    out.trailObjects.push({ bucket, key, region: typeof r.awsRegion === 'string' ? r.awsRegion : '' });
  }
}

function fromEnvelope(doc: Obj, where: string, out: AwsMessage): void {
  const detailType = doc['detail-type'];
  if (detailType === GUARDDUTY_DETAIL_TYPE) out.findingEvents.push(doc);
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) {
    out.outcomes.push({ kind: 'ignored', reason: 'not-a-change', key: `eventbridge:${String(detailType)}` });
    return;
  }
  if (!isObj(doc.detail)) {
    out.outcomes.push(malformed('EventBridge event without a detail object', where));
    return;
  }
  // EventBridge repeats account and region on the envelope; the record may omit recipientAccountId.
  const detail = { ...doc.detail };
  if (detail.recipientAccountId === undefined && typeof doc.account === 'string')
    detail.recipientAccountId = doc.account;
  if (detail.awsRegion === undefined && typeof doc.region === 'string') detail.awsRegion = doc.region;
  out.outcomes.push(parseCloudTrailRecord(detail, where));
}

function fromDocument(doc: unknown, where: string, out: AwsMessage, depth: number): void {
  if (!isObj(doc)) {
    out.outcomes.push(malformed('message is not a JSON object', where));
    return;
  }
  // SNS → SQS delivery wraps the real message in a string (raw delivery off).
  if (doc.Type === 'Notification' && typeof doc.Message === 'string' && depth === 0) {
    const inner = parseJson(doc.Message, where);
    if (!inner.ok) out.outcomes.push(inner.error);
    else fromDocument(inner.value, where, out, depth + 1);
    return;
  }
  if ('detail-type' in doc) {
    fromEnvelope(doc, where, out);
    return;
  }
  if (Array.isArray(doc.Records)) {
    const first = doc.Records[0];
    if (isObj(first) && first.eventSource === 'aws:s3') {
      fromS3Notification(doc.Records, where, out);
      return;
    }
    for (const [i, r] of doc.Records.entries())
      out.outcomes.push(parseCloudTrailRecord(r, `${where} Records[${i}]`));
    return;
  }
  if (doc.Event === 's3:TestEvent') {
    out.outcomes.push({ kind: 'ignored', reason: 'not-a-change', key: 's3:TestEvent' });
    return;
  }
  // CloudTrail's own SNS notice: {"s3Bucket": "...", "s3ObjectKey": ["..."]}.
  if (typeof doc.s3Bucket === 'string' && Array.isArray(doc.s3ObjectKey)) {
    for (const key of doc.s3ObjectKey)
      if (typeof key === 'string' && isTrailLogKey(key))
        out.trailObjects.push({ bucket: doc.s3Bucket, key, region: '' });
    return;
  }
  if ('eventSource' in doc) {
    out.outcomes.push(parseCloudTrailRecord(doc, where));
    return;
  }
  out.outcomes.push(malformed('not an EventBridge event, S3 notification or CloudTrail record', where));
}

/**
 * One SQS message body → change events and trail files to read. Accepts the EventBridge
 * "AWS API Call via CloudTrail" envelope, S3 event notifications of trail files, CloudTrail's SNS
 * notice, a bare CloudTrail record or `{"Records": […]}`, each optionally wrapped by SNS.
 */
export function parseAwsDocument(doc: unknown, where: string): AwsMessage {
  const out: AwsMessage = { outcomes: [], trailObjects: [], findingEvents: [] };
  fromDocument(doc, where, out, 0);
  return out;
}

/** `parseAwsDocument` on a message body that may not be JSON. */
export function parseAwsMessage(body: string, where: string): AwsMessage {
  const out: AwsMessage = { outcomes: [], trailObjects: [], findingEvents: [] };
  const parsed = parseJson(body, where);
  if (!parsed.ok) out.outcomes.push(parsed.error);
  else fromDocument(parsed.value, where, out, 0);
  return out;
}

/** A CloudTrail log file's bytes (gzipped or plain JSON `{"Records": […]}`) → outcomes. */
export function parseCloudTrailFile(bytes: Uint8Array, where: string): EventOutcome[] {
  let text: string;
  try {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
    text = (gz ? gunzipSync(bytes, { maxOutputLength: MAX_TRAIL_BYTES }) : Buffer.from(bytes)).toString(
      'utf8',
    );
  } catch (err) {
    return [malformed(`cannot decompress trail file: ${(err as Error).message}`, where)];
  }
  const parsed = parseJson(text, where);
  if (!parsed.ok) return [parsed.error];
  const doc = parsed.value;
  if (!isObj(doc) || !Array.isArray(doc.Records))
    return [malformed('trail file without a Records list', where)];
  return doc.Records.map((r, i) => parseCloudTrailRecord(r, `${where} Records[${i}]`));
}

/**
 * Fetches and parses one trail file. A failed fetch throws (unlike bad content): the object may be
 * readable later, so the caller must leave the queue message for redelivery instead of dropping it.
 */
export async function readTrailObject(ref: TrailObjectRef, fetch: ObjectFetcher): Promise<EventOutcome[]> {
  const bytes = await fetch(ref.bucket, ref.key);
  return parseCloudTrailFile(bytes, `s3://${ref.bucket}/${ref.key}`);
}
