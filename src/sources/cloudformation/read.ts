import {
  emptyInventory,
  type Inventory,
  type ResourceError,
  type ResourceRef,
} from '../../model/resource.js';
import { isUnknown } from '../../model/unknown.js';
import { InputError } from '../../util/errors.js';
import { type Draft, DraftIndex, type JoinSpec, type TypeSpec } from './draft.js';
import { finalizeDraft } from './finalize.js';
import { linkDrafts } from './links.js';
import { parseTemplateText } from './parse.js';
import type { Positions } from './positions.js';
import { type CfnResource, Props } from './props.js';
import { handlerFor } from './registry.js';
import { type RefHit, Resolver } from './resolve.js';
import { readSkips } from './skips.js';
import { type CfnResourceEntry, isRecord, readTemplateModel } from './template.js';
import { tagList } from './translate/common.js';

export interface CloudFormationOptions {
  /** Parameter values as given to `aws cloudformation deploy --parameter-overrides`. */
  parameters?: Record<string, string>;
  /** The stack's region: fills `AWS::Region` and `Resource.region`; unknown when absent. */
  region?: string;
}

/** Counted in `unsupported` when a sub-resource names no parent in the same template. */
export const UNJOINED_SUFFIX = ' (target outside template)';

/**
 * Reads a CloudFormation template (YAML or JSON) into resources of the native model: intrinsics
 * resolved where the template decides them, everything else recorded as unknown.
 */
export function readCloudFormation(
  text: string,
  file: string,
  options: CloudFormationOptions = {},
): Inventory {
  const { root, positions } = parseTemplateText(text, file);
  const model = readTemplateModel(root, positions, file, options.parameters ?? {});
  const resolver = new Resolver({ model, positions, file, region: options.region });
  const inventory = emptyInventory();
  inventory.inputs.push(file);
  const count = (type: string) => {
    inventory.unsupported[type] = (inventory.unsupported[type] ?? 0) + 1;
  };

  const index = new DraftIndex();
  const drafts: Draft[] = [];
  const joins: { props: Props; join: JoinSpec; cfnType: string; standalone: boolean }[] = [];
  for (const entry of model.resources) {
    const handler = handlerFor(entry.type);
    if (!handler) {
      count(entry.type);
      continue;
    }
    if (entry.condition !== undefined && resolver.condition(entry.condition) === false) continue;
    const { props, errors } = resolveEntry(entry, resolver, positions, file, options.region);
    if (handler.spec) {
      const draft = createDraft(entry, props, handler.spec, positions, file);
      draft.errors.push(...errors);
      index.add(draft);
      drafts.push(draft);
    }
    if (handler.join)
      joins.push({ props, join: handler.join, cfnType: entry.type, standalone: !!handler.spec });
  }
  for (const { props, join, cfnType, standalone } of joins) {
    // A type that is also a resource of its own (flow log, managed policy) is never lost when unjoined.
    if (join(props, index) === 0 && !standalone) count(`${cfnType}${UNJOINED_SUFFIX}`);
  }
  linkDrafts(index);
  const region = options.region ?? '';
  inventory.resources = drafts.map((draft) => finalizeDraft(draft, file, region));
  return inventory;
}

function resolveEntry(
  entry: CfnResourceEntry,
  resolver: Resolver,
  positions: Positions,
  file: string,
  region: string | undefined,
): { props: Props; errors: ResourceError[] } {
  if (!isRecord(entry.properties)) {
    const pos = positions.of(entry.properties) ?? entry.pos;
    throw new InputError(
      `resource ${entry.logicalId}: Properties must be a mapping`,
      file,
      pos?.line,
      pos?.column,
    );
  }
  const hits: RefHit[] = [];
  const resolved = resolver.resolve(entry.properties, hits, []);
  const errors: ResourceError[] = [];
  let props: Record<string, unknown> = {};
  if (isRecord(resolved)) {
    props = resolved;
  } else if (isUnknown(resolved)) {
    // e.g. `Properties: !If [...]` on an unknown condition: nothing about the resource is known.
    errors.push({
      path: '',
      code: 'unresolved-properties',
      message: 'Properties depend on values known only at deploy time',
    });
  }
  const resource: CfnResource = {
    logicalId: entry.logicalId,
    cfnType: entry.type,
    props,
    hits,
    pos: entry.pos,
    rawProps: entry.properties,
  };
  return { props: new Props(resource, positions, file, region), errors };
}

/** Longest `refAttributes` pattern matching a hit's path; `*` matches a list index. */
function refAttribute(path: RefHit['path'], patterns: Record<string, string> | undefined): string {
  let best: { length: number; attribute: string } | undefined;
  for (const [pattern, attribute] of Object.entries(patterns ?? {})) {
    const segments = pattern.split('.');
    if (segments.length > path.length) continue;
    const matches = segments.every((segment, i) =>
      segment === '*' ? typeof path[i] === 'number' : segment === String(path[i]),
    );
    if (matches && (!best || segments.length > best.length)) best = { length: segments.length, attribute };
  }
  return best?.attribute ?? String(path[0]);
}

function createDraft(
  entry: CfnResourceEntry,
  props: Props,
  spec: TypeSpec,
  positions: Positions,
  file: string,
): Draft {
  const config = spec.translate(props);
  config.Tags = tagList(props);
  const refs: ResourceRef[] = props.resource.hits.map((hit) => ({
    attribute: refAttribute(hit.path, spec.refAttributes),
    target: hit.target,
  }));
  return {
    logicalId: entry.logicalId,
    cfnType: entry.type,
    type: spec.type,
    config,
    refs,
    hits: props.resource.hits,
    nameKey: spec.nameKey,
    pos: entry.pos,
    skips: readSkips(entry.metadata, positions, file, entry.logicalId, entry.pos),
    errors: [],
  };
}
