import type { Resource } from '../../../../model/resource.js';
import { recordError } from '../../resource.js';
import type { AwsCallError, CollectorContext } from '../../types.js';

export type Outcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'absent' }
  | { kind: 'failed'; error: AwsCallError };

export interface EnrichSpec {
  service: string;
  operation: string;
  /** The config path the call fills; a failure is recorded there. */
  path: string;
  /** Error codes that mean "not configured" (NoSuchBucketPolicy), not "could not read". */
  absent?: readonly string[];
}

/**
 * One per-resource enrichment call under the service's concurrency limit. A code listed as
 * `absent` means the feature is not configured; any other failure is recorded on the resource at
 * `spec.path`, so a policy reading that path yields `error`, never `pass`.
 */
export async function enrich<T>(
  ctx: CollectorContext,
  resource: Resource,
  spec: EnrichSpec,
  call: () => Promise<T>,
): Promise<Outcome<T>> {
  try {
    return { kind: 'ok', value: await ctx.limit(spec.service, call) };
  } catch (err) {
    const error = ctx.toCallError(err, spec.service, spec.operation);
    if (spec.absent?.includes(error.code)) return { kind: 'absent' };
    recordError(resource, spec.path, error);
    return { kind: 'failed', error };
  }
}

/**
 * A whole list/describe call (all pages). When it fails the type cannot be inventoried: the failure
 * is reported once for the collector, naming the type, and the caller gets undefined.
 */
export async function listAll<T>(
  ctx: CollectorContext,
  failures: AwsCallError[],
  spec: { service: string; operation: string; type: string },
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    const error = ctx.toCallError(err, spec.service, spec.operation);
    error.resourceType = spec.type;
    failures.push(error);
    return undefined;
  }
}

/** Collects every item of an SDK paginator. */
export async function collectPages<P, I>(
  pages: AsyncIterable<P>,
  items: (page: P) => readonly I[] | undefined,
): Promise<I[]> {
  const out: I[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** Parses a JSON policy document; the SDK hands IAM's URL-encoded form through `decode` first. */
export function parseDocument(text: unknown, decode = false): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(decode ? decodeURIComponent(text) : text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A document the API returned that does not parse: unreadable, so policies reading it yield error. */
export function recordInvalidDocument(resource: Resource, path: string, what: string): void {
  resource.errors ??= [];
  resource.errors.push({ path, code: 'invalid-json', message: `${what} is not a JSON object` });
}

/** Records a path that could not be read for a reason other than a failed call. */
export function addError(resource: Resource, path: string, code: string, message: string): void {
  resource.errors ??= [];
  resource.errors.push({ path, code, message });
}

/**
 * Concurrent enrichment calls finish in any order, and each writes its config key (or its `errors`
 * entry) when it does: keys and errors are put back in one fixed order afterwards, so two reads of the
 * same state (a full collection, a watch-mode re-read, a field-scoped re-read) serialize byte for byte
 * the same. Errors of other paths keep their place ahead of these.
 */
export function settleKeyOrder(resource: Resource, paths: readonly string[]): void {
  const config = resource.config;
  for (const p of paths) {
    if (!Object.hasOwn(config, p)) continue;
    const value = config[p];
    delete config[p];
    config[p] = value;
  }
  const rank = (path: string) => paths.indexOf(path.split(/[.[]/, 1)[0] ?? path);
  resource.errors?.sort((a, b) => rank(a.path) - rank(b.path));
}
