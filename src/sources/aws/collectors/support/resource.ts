/**
 * Value narrowing for SDK answers, on top of the shared helpers in `../../resource.ts`: an answer is
 * treated as hostile, so only values of the expected type survive.
 */
export type TagList = readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined;

/** Tags in the API's list form `[{Key, Value}]`, skipping entries without a string key. */
export function tagList(tags: TagList): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  for (const t of tags ?? []) {
    if (typeof t?.Key === 'string')
      out.push({ Key: t.Key, Value: typeof t.Value === 'string' ? t.Value : '' });
  }
  return out;
}

/** Lambda, SNS and CloudWatch Logs answer tags as a map; configs keep AWS's list form. */
export function tagListFromMap(tags: Record<string, string> | undefined): { Key: string; Value: string }[] {
  return tagList(Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })));
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Dates from the SDK (Date objects) as ISO strings, as every other source writes them. */
export function isoDate(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  return undefined;
}

/** Drops keys whose value is undefined, so configs never carry `"Key": undefined`. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
