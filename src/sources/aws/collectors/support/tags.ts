import type { Resource } from '../../../../model/resource.js';
import { flatTags } from '../../resource.js';
import { type TagList, tagList } from './resource.js';

/** Sets a resource's tags in both forms (config list, flat map) and lets a `Name` tag name it. */
export function applyTags(resource: Resource, tags: TagList): void {
  const list = tagList(tags);
  resource.config.Tags = list;
  resource.tags = flatTags(list);
  if (resource.tags.Name) resource.name = resource.tags.Name;
}
