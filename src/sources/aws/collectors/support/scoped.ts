import type { Resource } from '../../../../model/resource.js';
import type { AwsCallError, CollectorContext } from '../../types.js';

/** Is `path` (an `errors`/`unknown` entry) `field` or inside it (`Policy.Statement`, `Acl[0]`)? */
function under(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

/**
 * The starting point of a field-scoped re-read: a copy of the resource the watch holds (never the
 * held object itself: a failed re-read must leave it untouched), stamped with this read's time, with
 * the re-read fields and whatever `errors`/`unknown` entries they had removed, so the enrichment
 * code of the full read fills them in exactly as it would on a fresh resource.
 */
export function scopedCopy(ctx: CollectorContext, previous: Resource, fields: readonly string[]): Resource {
  const copy = structuredClone(previous);
  copy.source = { ...copy.source, collectedAt: ctx.now.toISOString() };
  for (const f of fields) delete copy.config[f];
  if (copy.errors) {
    copy.errors = copy.errors.filter((e) => !fields.some((f) => under(e.path, f)));
    if (copy.errors.length === 0) delete copy.errors;
  }
  if (copy.unknown) {
    copy.unknown = copy.unknown.filter((p) => !fields.some((f) => under(p, f)));
    if (copy.unknown.length === 0) delete copy.unknown;
  }
  return copy;
}

/**
 * How a field-scoped re-read ends when one of its calls failed: `gone` when the service says the
 * resource no longer exists, else the failure itself (the old state is kept and the event retried —
 * a field the watch could not re-read is never taken as unchanged).
 */
export function scopedFailure(
  errors: readonly AwsCallError[],
  goneCodes: readonly string[],
): 'gone' | AwsCallError | undefined {
  if (errors.some((e) => goneCodes.includes(e.code))) return 'gone';
  return errors[0];
}
