import { isObj } from '../util/narrow.js';

/**
 * Log lines from CloudWatch Logs JSON: a subscription delivery (`{"messageType": "DATA_MESSAGE",
 * "logEvents": [{id, timestamp, message}]}`, as Firehose/Kinesis/Lambda receive it, one or more
 * concatenated) or `aws logs filter-log-events` / `get-log-events` output (`{"events": […]}`).
 * Returns undefined when the text is not one of these, so callers can say what they expected.
 */
export function cloudWatchMessages(text: string): string[] | undefined {
  const docs: unknown[] = [];
  // Firehose concatenates records without separators: cut at the first `}{` boundary that makes a
  // whole JSON document (a `}{` inside a string value fails to parse and the next one is tried).
  let rest = text.trim();
  while (rest.length > 0) {
    let doc: unknown;
    let end = -1;
    for (let at = rest.search(/\}\s*\{/); at >= 0; ) {
      try {
        doc = JSON.parse(rest.slice(0, at + 1));
        end = at + 1;
        break;
      } catch {
        const next = rest.slice(at + 1).search(/\}\s*\{/);
        at = next < 0 ? -1 : at + 1 + next;
      }
    }
    if (end < 0) {
      try {
        doc = JSON.parse(rest);
      } catch {
        return undefined;
      }
      end = rest.length;
    }
    docs.push(doc);
    rest = rest.slice(end).trim();
  }
  const out: string[] = [];
  for (const doc of docs) {
    if (!isObj(doc)) return undefined;
    if (doc.messageType === 'CONTROL_MESSAGE') continue;
    const events = Array.isArray(doc.logEvents)
      ? doc.logEvents
      : Array.isArray(doc.events)
        ? doc.events
        : undefined;
    if (!events) return undefined;
    for (const e of events) if (isObj(e) && typeof e.message === 'string') out.push(e.message);
  }
  return out;
}
