import type { Resource } from '../../src/model/resource.js';

/** A minimal resource for engine tests; only what the test sets matters. */
export function resource(
  type: string,
  config: Record<string, unknown>,
  extra: Partial<Resource> = {},
): Resource {
  const provider = type.split('.')[0] as Resource['provider'];
  const name = extra.name ?? String(config.Name ?? config.GroupName ?? config.name ?? 'r');
  return {
    id: extra.id ?? `${type}/${name}`,
    provider,
    type,
    account: '',
    region: '',
    name,
    tags: {},
    config,
    source: { kind: 'live' },
    ...extra,
  };
}
