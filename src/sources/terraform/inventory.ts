import {
  emptyInventory,
  type Inventory,
  type Resource,
  type ResourceRef,
  type SourceRef,
} from '../../model/resource.js';
import { isUnknown } from '../../model/unknown.js';
import type { TfResource } from './ir.js';
import { applyJoins, applyPulls, type Built, type Child, Index } from './join.js';
import { finalizeConfig } from './translate/finalize.js';
import { AddressIndex, identityValue } from './translate/identity.js';
import { redactSensitive } from './translate/redact.js';
import { regionOf } from './translate/region.js';
import { typeEntry } from './translate/registry.js';
import { tagsOf } from './translate/tags.js';
import type { ResourceSpec, TypeEntry } from './translate/types.js';
import type { Values } from './translate/values.js';

export type TerraformSourceKind = TfResource['kind'];

/** A Terraform reference's attribute named the way the native config does (`subnet_id` → `SubnetId`). */
function nativeRefs(refs: readonly ResourceRef[], spec: ResourceSpec): ResourceRef[] {
  const out: ResourceRef[] = [];
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i]!;
    if (ref.attribute === 'depends_on') continue;
    const dot = ref.attribute.indexOf('.');
    const top = dot < 0 ? ref.attribute : ref.attribute.slice(0, dot);
    const attribute = spec.refs?.[ref.attribute] ?? spec.refs?.[top] ?? ref.attribute;
    out.push({ attribute, target: ref.target });
  }
  return out;
}

function dedupeRefs(refs: readonly ResourceRef[]): ResourceRef[] {
  if (refs.length < 2) return refs.slice();
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.attribute}\u0000${r.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function build(
  tf: TfResource,
  values: Values,
  spec: ResourceSpec,
  entry: TypeEntry,
  kind: TerraformSourceKind,
): Built {
  const region = regionOf(spec.provider, values, tf.region, spec.global);
  const config = spec.translate(values, { address: tf.address, region, tf });
  const tags = tagsOf(spec.provider, values);
  if (tags.list !== undefined) config.Tags = tags.list;
  const source: SourceRef = { kind, address: tf.address };
  if (tf.file !== undefined) source.file = tf.file;
  if (tf.line !== undefined) source.line = tf.line;
  const resource: Resource = {
    id: tf.address,
    provider: spec.provider,
    type: spec.type,
    account: '',
    region,
    name: '',
    tags: tags.map,
    config,
    source,
  };
  const refs = nativeRefs(tf.refs, spec);
  if (refs.length > 0) resource.refs = refs;
  if (tf.skips.length > 0) resource.skips = [...tf.skips];
  return { tf, values, spec, entry, resource };
}

/** A dotted config path with numeric list indexes (`Aliases.0`), read from a finalized config. */
function readDotted(config: Record<string, unknown>, path: string): unknown {
  // One segment (the usual `Name`): the config is an object, never a list.
  if (!path.includes('.')) return config[path];
  let current: unknown = config;
  for (const seg of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(seg)) current = current[Number(seg)];
    else if (current && typeof current === 'object') current = (current as Record<string, unknown>)[seg];
    else return undefined;
  }
  return current;
}

/** The `Name` tag (AWS), else the native name, else the address. */
function nameOf(r: Resource, spec: ResourceSpec): string {
  const tag = r.provider === 'aws' ? r.tags.Name : undefined;
  if (tag) return tag;
  const native = spec.nameKey ? readDotted(r.config, spec.nameKey) : undefined;
  return typeof native === 'string' && native !== '' ? native : r.id;
}

function finish(b: Built): Resource {
  const r = b.resource;
  const final = finalizeConfig(r.config);
  r.config = final.config;
  if (final.unknown.length > 0) r.unknown = final.unknown;
  if (final.errors.length > 0) r.errors = final.errors;
  if (r.refs) r.refs = dedupeRefs(r.refs);
  r.name = nameOf(r, b.spec);
  return r;
}

/**
 * HCL leaves `aws_s3_bucket.b.id` unknown although it will equal the bucket's configured name. For an
 * attribute that names another resource (TypeEntry.names) and references exactly one, that name fills
 * it. Plans do this in their reader, where the referenced attribute is known; HCL references name
 * only the resource, and an attribute that names a resource holds its id.
 */
function fillHclNameReferences(resources: readonly TfResource[], values: Map<TfResource, Values>): void {
  const addresses = new AddressIndex(resources);
  for (const tf of resources) {
    for (const attr of typeEntry(tf.type)?.names ?? []) {
      const current = values.get(tf);
      if (!current || !isUnknown(current[attr])) continue;
      const targets = [...new Set(tf.refs.filter((r) => r.attribute === attr).map((r) => r.target))];
      const [target] = targets;
      const other = targets.length === 1 && target ? addresses.resolve(target) : undefined;
      const value = other ? identityValue(other, 'id') : undefined;
      if (value !== undefined) values.set(tf, { ...current, [attr]: value });
    }
  }
}

/**
 * The shared last step of every Terraform reader (plan, state, HCL): translate each resource into the
 * native model, join sub-resources into their parents, and count what is not modelled.
 */
export function translateTerraform(resources: readonly TfResource[], kind: TerraformSourceKind): Inventory {
  const inventory = emptyInventory();
  const built: Built[] = [];
  const children: Child[] = [];
  // HCL fills name references across resources first; plans and states redact each one as it comes.
  let values: Map<TfResource, Values> | undefined;
  if (kind === 'terraform-hcl') {
    values = new Map(resources.map((tf) => [tf, redactSensitive(tf.values, tf.sensitive)]));
    fillHclNameReferences(resources, values);
  }
  for (let i = 0; i < resources.length; i++) {
    const tf = resources[i]!;
    const entry = typeEntry(tf.type);
    if (!entry) {
      inventory.unsupported[tf.type] = (inventory.unsupported[tf.type] ?? 0) + 1;
      continue;
    }
    const own = values ? (values.get(tf) ?? tf.values) : redactSensitive(tf.values, tf.sensitive);
    if (entry.resource) built.push(build(tf, own, entry.resource, entry, kind));
    if (entry.joins) children.push({ tf, values: own, entry });
  }
  const index = new Index(built);
  applyJoins(built, children, inventory.unsupported, index);
  applyPulls(built, index);
  const finished: Resource[] = [];
  for (let i = 0; i < built.length; i++) finished.push(finish(built[i]!));
  inventory.resources = finished;
  const inputs = new Set<string>();
  for (let i = 0; i < resources.length; i++) {
    const file = resources[i]!.file;
    if (typeof file === 'string') inputs.add(file);
  }
  inventory.inputs = [...inputs];
  return inventory;
}
