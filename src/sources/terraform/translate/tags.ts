import type { Provider } from '../../../model/resource.js';
import { isMarker, type Marker } from './markers.js';
import { isObject, stringMap, type Values } from './values.js';

export interface Tags {
  /** Known tag values, for `Resource.tags`. */
  map: Record<string, string>;
  /** AWS's own list form for `config.Tags` (unknown values carried); undefined when the type has no tags. */
  list?: unknown;
}

function known(map: Record<string, string | Marker>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * AWS: `tags_all` (tags plus provider default_tags) when known, else `tags`. A plan marks `tags_all`
 * unknown for every new resource without tags; only unknown own `tags` make the tags unknown.
 */
function awsTags(v: Values): Tags {
  if (!('tags' in v) && !('tags_all' in v)) return { map: {} };
  const all = stringMap(v.tags_all);
  const own = stringMap(v.tags);
  if (isMarker(own)) return { map: {}, list: own };
  const merged = { ...(own ?? {}), ...(isObject(all) ? all : {}) };
  const map: Record<string, string> = {};
  const list: { Key: string; Value: string | Marker }[] = [];
  const keys = Object.keys(merged);
  for (let i = 0; i < keys.length; i++) {
    const Key = keys[i]!;
    const Value = merged[Key]!;
    if (typeof Value === 'string') map[Key] = Value;
    list.push({ Key, Value });
  }
  return { map, list };
}

/** OpenStack tags are bare strings; they become keys with empty values. */
function openstackTags(v: Values): Tags {
  const list = Array.isArray(v.tags) ? v.tags.filter((t): t is string => typeof t === 'string') : [];
  return { map: Object.fromEntries(list.map((t) => [t, ''])) };
}

export function tagsOf(provider: Provider, v: Values): Tags {
  switch (provider) {
    case 'aws':
      return awsTags(v);
    case 'azure': {
      const map = stringMap(v.tags);
      return { map: isObject(map) ? known(map) : {} };
    }
    case 'gcp': {
      const map = stringMap(isObject(v.effective_labels) ? v.effective_labels : v.labels);
      return { map: isObject(map) ? known(map) : {} };
    }
    case 'openstack':
      return openstackTags(v);
  }
}
