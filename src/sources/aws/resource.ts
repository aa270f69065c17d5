import type { Resource } from '../../model/resource.js';
import type { AwsCallError, CollectorContext } from './types.js';

/**
 * Helpers every collector uses to turn SDK output into Warden resources (docs/resource-types.md):
 * plain JSON config (dates as ISO strings, no `undefined`), flat tags, `Name` tag first.
 */

/** SDK output → plain JSON: Dates become ISO strings, undefined members and SDK metadata go away. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || k === '$metadata') continue;
      out[k] = plain(v);
    }
    return out;
  }
  return value;
}

export function plainObject(value: unknown): Record<string, unknown> {
  const p = plain(value);
  return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/** `[{Key, Value}]` → `{Key: Value}`; entries without a string key are skipped. */
export function flatTags(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const t of list) {
    const key = (t as { Key?: unknown })?.Key;
    const value = (t as { Value?: unknown })?.Value;
    if (typeof key === 'string') out[key] = typeof value === 'string' ? value : '';
  }
  return out;
}

export interface ResourceInit {
  type: string;
  id: string;
  /** The native name, used when there is no `Name` tag. */
  nativeName: string;
  config: Record<string, unknown>;
  tags?: Record<string, string>;
  /** Overrides the context's region (`global` for account-wide resources). */
  region?: string;
}

export function liveResource(ctx: CollectorContext, init: ResourceInit): Resource {
  const tags = init.tags ?? flatTags(init.config.Tags);
  return {
    id: init.id,
    provider: 'aws',
    type: init.type,
    account: ctx.account,
    region: init.region ?? ctx.region,
    name: tags.Name || init.nativeName,
    tags,
    config: init.config,
    source: { kind: 'live', collectedAt: ctx.now.toISOString() },
  };
}

/** Records that an enrichment call failed for `path`: policies reading it yield `error`, never `pass`. */
export function recordError(resource: Resource, path: string, err: AwsCallError): void {
  const message = err.iamAction ? `${err.message} (missing ${err.iamAction})` : err.message;
  resource.errors ??= [];
  resource.errors.push({ path, code: err.code, message });
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arn(ctx: CollectorContext, service: string, resource: string, region = ctx.region): string {
  return `arn:${ctx.partition}:${service}:${region === 'global' ? '' : region}:${ctx.account}:${resource}`;
}
