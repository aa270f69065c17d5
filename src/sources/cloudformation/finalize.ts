import type { Resource, ResourceRef } from '../../model/resource.js';
import { isUnknown } from '../../model/unknown.js';
import type { Draft } from './draft.js';
import { setOwn } from './parse.js';
import type { PathSegment } from './resolve.js';
import { isRecord } from './template.js';

/**
 * Drops UNKNOWN markers from a draft's config, recording their dotted paths. A list with an unknown
 * item is itself unknown (which items it holds is not known), so it is left out whole.
 */
function strip(value: unknown, path: PathSegment[], unknown: string[]): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => item !== undefined).map((item, i) => strip(item, [...path, i], unknown));
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue;
      const childPath = [...path, key];
      if (isUnknown(inner) || hasUnknownItem(inner)) {
        unknown.push(childPath.join('.'));
        continue;
      }
      setOwn(out, key, strip(inner, childPath, unknown));
    }
    return out;
  }
  return value;
}

function hasUnknownItem(value: unknown): boolean {
  return Array.isArray(value) && value.some((item) => isUnknown(item) || hasUnknownItem(item));
}

function flatTags(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  for (const tag of tags) {
    // A tag whose value is only known at deploy time is left out: no exemption may rest on it.
    if (isRecord(tag) && typeof tag.Key === 'string' && typeof tag.Value === 'string')
      setOwn(out, tag.Key, tag.Value);
  }
  return out;
}

function atPath(config: Record<string, unknown>, dotted: string): unknown {
  let current: unknown = config;
  for (const segment of dotted.split('.')) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isRecord(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

function uniqueRefs(refs: ResourceRef[]): ResourceRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.attribute}\u0000${ref.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function finalizeDraft(draft: Draft, file: string, region: string): Resource {
  const unknown: string[] = [];
  const config = strip(draft.config, [], unknown) as Record<string, unknown>;
  const tags = flatTags(config.Tags);
  const nativeName = draft.nameKey ? atPath(config, draft.nameKey) : undefined;
  const resource: Resource = {
    id: `${file}#${draft.logicalId}`,
    provider: 'aws',
    type: draft.type,
    account: '',
    region,
    name: tags.Name || (typeof nativeName === 'string' && nativeName !== '' ? nativeName : draft.logicalId),
    tags,
    config,
    source: { kind: 'cloudformation', file, line: draft.pos?.line, address: draft.logicalId },
  };
  if (draft.pos === undefined) delete resource.source.line;
  if (unknown.length > 0) resource.unknown = unknown;
  if (draft.errors.length > 0) resource.errors = draft.errors;
  if (draft.skips.length > 0) resource.skips = draft.skips;
  const refs = uniqueRefs(draft.refs);
  if (refs.length > 0) resource.refs = refs;
  return resource;
}
