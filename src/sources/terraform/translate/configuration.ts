import type { ResourceRef } from '../../../model/resource.js';
import { inModule, moduleConfigPath, referencedResource, withoutInstancedBlocks } from './address.js';
import { isObject } from './values.js';

/** One resource block of a plan's `configuration` section. */
export interface ConfiguredResource {
  expressions: Record<string, unknown>;
  providerKey?: string;
  dependsOn: string[];
  /**
   * The resource block its `for_each` iterates (`for_each = aws_s3_bucket.b`, or a `for` over it),
   * relative to the module: there `each.value` is the instance of that block with the same key.
   */
  forEach?: string;
}

/** A resource block of the configuration as indexed, read into a ConfiguredResource on first use. */
interface IndexedBlock {
  block: Record<string, unknown>;
  configured: ConfiguredResource | undefined;
}

/** A reference to a resource, as `referencedResource` reads it. */
export type ParsedReference = NonNullable<ReturnType<typeof referencedResource>>;
type Parse = (reference: string) => ParsedReference | undefined;

function isExpression(value: Record<string, unknown>): boolean {
  return 'references' in value || 'constant_value' in value || Object.keys(value).length === 0;
}

function stringsOf(value: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(value)) return out;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v === 'string') out.push(v);
  }
  return out;
}

/**
 * The one resource block a `for_each_expression` references as a whole, if any. An attribute or an
 * instance of it (`aws_s3_bucket.b[0].tags`), or a second resource, leaves `each.value` unnamed.
 */
function forEachBlock(expression: unknown, parse: Parse): string | undefined {
  if (!isObject(expression) || !Array.isArray(expression.references)) return undefined;
  let block: string | undefined;
  for (const ref of expression.references) {
    const parsed = typeof ref === 'string' ? parse(ref) : undefined;
    if (!parsed) continue;
    if (parsed.attribute !== undefined || parsed.target.endsWith(']')) return undefined;
    if (block !== undefined && block !== parsed.target) return undefined;
    block = parsed.target;
  }
  return block;
}

/** `each.value`, alone or followed by an attribute or index (`each.value.id`, `each.value["k"]`). */
function eachValueRest(reference: string): string | undefined {
  if (!reference.startsWith('each.value')) return undefined;
  const rest = reference.slice('each.value'.length);
  return rest === '' || rest.startsWith('.') || rest.startsWith('[') ? rest : undefined;
}

/**
 * References as they read where `each.value` is the resource instance `eachValue` (module-relative,
 * `aws_s3_bucket.b["logs"]`): `each.value.id` becomes `aws_s3_bucket.b["logs"].id`.
 */
export function withEachValue(references: readonly unknown[], eachValue: string): unknown[] {
  return references.map((ref) => {
    const rest = typeof ref === 'string' ? eachValueRest(ref) : undefined;
    return rest === undefined ? ref : `${eachValue}${rest}`;
  });
}

/** `referencesOf` into `out`, reading references with `parse` (and `each.value` as `eachValue`). */
function collectReferences(
  expressions: Record<string, unknown>,
  moduleAddress: string,
  prefix: string,
  parse: Parse,
  out: ResourceRef[],
  eachValue?: string,
): void {
  // Expressions are parsed JSON: `for…in` gives their own keys, in order, without an entries array.
  for (const key in expressions) {
    const value = expressions[key];
    // Only expressions and nested blocks (objects and lists) hold references.
    if (typeof value !== 'object' || value === null) continue;
    const attribute = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const block = value[i];
        if (isObject(block)) collectReferences(block, moduleAddress, attribute, parse, out, eachValue);
      }
    } else if (isObject(value)) {
      // A nested block is an object that is not an expression; only an expression has references.
      if (!isExpression(value)) collectReferences(value, moduleAddress, attribute, parse, out, eachValue);
      else if ('references' in value && Array.isArray(value.references)) {
        const references =
          eachValue === undefined ? value.references : withEachValue(value.references, eachValue);
        // `targetsOf`, written out: it keeps this recursive function large enough for V8 to compile
        // it on its own instead of inlining it, level after level, into every caller.
        let targets: string[] = [];
        let instances = false;
        for (let i = 0; i < references.length; i++) {
          const ref: unknown = references[i];
          if (typeof ref !== 'string') continue;
          const target = parse(ref)?.target;
          if (target === undefined || targets.includes(target)) continue;
          targets.push(target);
          if (target.endsWith(']')) instances = true;
        }
        if (instances) targets = withoutInstancedBlocks(targets);
        for (let i = 0; i < targets.length; i++) {
          out.push({ attribute, target: inModule(moduleAddress, targets[i]!) });
        }
      }
    }
  }
}

/**
 * References of a resource's expressions, nested blocks included (`default_action.target_group_arn`),
 * each targeting a resource address in the referencing module instance.
 */
export function referencesOf(
  expressions: Record<string, unknown>,
  moduleAddress: string,
  prefix = '',
): ResourceRef[] {
  const out: ResourceRef[] = [];
  collectReferences(expressions, moduleAddress, prefix, referencedResource, out);
  return out;
}

/**
 * The plan's `configuration` section, indexed: resource blocks by module path and address, and the
 * region each provider configuration sets when it is a constant (or a root variable).
 */
export class PlanConfiguration {
  /**
   * Module path → the part of a block address before its first '.' (the type) → the rest (the name)
   * → block: looked up with the type and name strings as they are, no address to build per instance.
   */
  private readonly resources = new Map<string, Map<string, Map<string, IndexedBlock>>>();
  private readonly providers: Record<string, unknown>;
  /** Caches: many instances share a module instance, a block and a provider configuration. */
  private readonly configPaths = new Map<string, string>();
  private readonly regions = new Map<string, Map<string | undefined, string>>();
  private readonly references = new Map<
    ConfiguredResource,
    { moduleAddress: string; refs: readonly ResourceRef[] }
  >();
  private readonly parsed = new Map<string, ParsedReference | null>();

  /** `referencedResource`, once per reference text: a plan repeats the same references many times. */
  readonly parse = (reference: string): ParsedReference | undefined => {
    let parsed = this.parsed.get(reference);
    if (parsed === undefined) {
      parsed = referencedResource(reference) ?? null;
      this.parsed.set(reference, parsed);
    }
    return parsed ?? undefined;
  };

  constructor(
    configuration: unknown,
    private readonly variables: unknown,
  ) {
    const config = isObject(configuration) ? configuration : {};
    this.providers = isObject(config.provider_config) ? config.provider_config : {};
    this.indexModules(config.root_module);
  }

  /**
   * Indexes the resource blocks of every module, as they are: a block is read into a
   * ConfiguredResource when an instance first looks it up (`configuredOf`).
   */
  private indexModules(root: unknown): void {
    // Module paths are distinct, so the order modules are indexed in does not matter.
    const pending: { module: unknown; path: string }[] = [{ module: root, path: '' }];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const { module, path } = next;
      if (!isObject(module)) continue;
      const resources = module.resources;
      if (Array.isArray(resources)) {
        for (let i = 0; i < resources.length; i++) {
          const r: unknown = resources[i];
          if (!isObject(r) || typeof r.address !== 'string') continue;
          const indexed: IndexedBlock = { block: r, configured: undefined };
          this.blocksOf(path, r.address, true)?.set(r.address.slice(r.address.indexOf('.') + 1), indexed);
        }
      }
      const calls = isObject(module.module_calls) ? module.module_calls : {};
      for (const [name, call] of Object.entries(calls)) {
        if (isObject(call))
          pending.push({ module: call.module, path: path ? `${path}.module.${name}` : `module.${name}` });
      }
    }
  }

  /** The ConfiguredResource of an indexed block, read once. */
  private configuredOf(indexed: IndexedBlock): ConfiguredResource {
    if (indexed.configured) return indexed.configured;
    const { block } = indexed;
    const configured: ConfiguredResource = {
      expressions: isObject(block.expressions) ? block.expressions : {},
      providerKey: typeof block.provider_config_key === 'string' ? block.provider_config_key : undefined,
      dependsOn: stringsOf(block.depends_on),
    };
    const forEach = forEachBlock(block.for_each_expression, this.parse);
    if (forEach !== undefined) configured.forEach = forEach;
    indexed.configured = configured;
    return configured;
  }

  /** The blocks of a module path whose address starts with the type of `address` (`type.name`). */
  private blocksOf(path: string, address: string, create: boolean): Map<string, IndexedBlock> | undefined {
    const dot = address.indexOf('.');
    // An address without a '.' is no `type.name`: no instance looks it up.
    if (dot < 0) return undefined;
    const type = address.slice(0, dot);
    let byType = this.resources.get(path);
    if (!byType) {
      if (!create) return undefined;
      byType = new Map();
      this.resources.set(path, byType);
    }
    let byName = byType.get(type);
    if (!byName && create) {
      byName = new Map();
      byType.set(type, byName);
    }
    return byName;
  }

  /** The block of a resource instance in a module instance (`module.a["x"]` → block in `module.a`). */
  resource(moduleAddress: string, type: string, name: string): ConfiguredResource | undefined {
    let path = this.configPaths.get(moduleAddress);
    if (path === undefined) {
      path = moduleConfigPath(moduleAddress);
      this.configPaths.set(moduleAddress, path);
    }
    // The block address is `type.name`; a type holding a '.' itself splits elsewhere.
    let block: IndexedBlock | undefined;
    if (type.includes('.')) {
      const address = `${type}.${name}`;
      block = this.blocksOf(path, address, false)?.get(address.slice(address.indexOf('.') + 1));
    } else {
      block = this.resources.get(path)?.get(type)?.get(name);
    }
    return block === undefined ? undefined : this.configuredOf(block);
  }

  /** `referencesIn` for an instance whose `each.value` is the resource instance `eachValue`. */
  referencesWithEachValue(
    configured: ConfiguredResource,
    moduleAddress: string,
    eachValue: string,
  ): ResourceRef[] {
    const out: ResourceRef[] = [];
    collectReferences(configured.expressions, moduleAddress, '', this.parse, out, eachValue);
    return out;
  }

  /**
   * `referencesOf` a configured block's expressions in a module instance, computed once for all the
   * instances of the block there. The list is shared: callers copy it before adding to it.
   */
  referencesIn(configured: ConfiguredResource, moduleAddress: string): readonly ResourceRef[] {
    // Instances of a block come one after the other: the last module instance's list is kept.
    const last = this.references.get(configured);
    if (last && last.moduleAddress === moduleAddress) return last.refs;
    const refs: ResourceRef[] = [];
    collectReferences(configured.expressions, moduleAddress, '', this.parse, refs);
    this.references.set(configured, { moduleAddress, refs });
    return refs;
  }

  private regionOfProvider(pc: Record<string, unknown>): string | undefined {
    const expressions = isObject(pc.expressions) ? pc.expressions : undefined;
    const region = expressions && isObject(expressions.region) ? expressions.region : undefined;
    if (!region) return undefined;
    if (typeof region.constant_value === 'string') return region.constant_value;
    // `region = var.region` in the root module: the plan records the variable's value.
    const refs = stringsOf(region.references);
    const root = pc.module_address === undefined || pc.module_address === '';
    const variable =
      refs.length > 0 && refs.every((r) => r === refs[0]) ? /^var\.([\w-]+)$/.exec(refs[0]!)?.[1] : undefined;
    if (root && variable && isObject(this.variables)) {
      const v = this.variables[variable];
      if (isObject(v) && typeof v.value === 'string') return v.value;
    }
    return '';
  }

  /**
   * The region of a provider configuration key (`aws`, `aws.west`, `module.net:aws`). A module that
   * inherits its parent's provider has no region of its own, so the parent's key is tried next.
   */
  region(providerKey: string | undefined, providerName: string | undefined): string {
    // An absent key behaves as '' does; an absent name matches only providers without `full_name`.
    let byName = this.regions.get(providerKey ?? '');
    if (!byName) {
      byName = new Map();
      this.regions.set(providerKey ?? '', byName);
    }
    let region = byName.get(providerName);
    if (region === undefined) {
      region = this.computeRegion(providerKey, providerName);
      byName.set(providerName, region);
    }
    return region;
  }

  private computeRegion(providerKey: string | undefined, providerName: string | undefined): string {
    let key = providerKey;
    while (key) {
      const pc = this.providers[key];
      const region = isObject(pc) ? this.regionOfProvider(pc) : undefined;
      if (region !== undefined) return region;
      const colon = key.lastIndexOf(':');
      if (colon < 0) break;
      const modulePath = key.slice(0, colon);
      const local = key.slice(colon + 1);
      const parent = modulePath.replace(/\.?module\.[^.]+$/, '');
      key = parent ? `${parent}:${local}` : local;
    }
    for (const pc of Object.values(this.providers)) {
      if (!isObject(pc) || pc.full_name !== providerName || pc.alias !== undefined) continue;
      if (pc.module_address !== undefined && pc.module_address !== '') continue;
      const region = this.regionOfProvider(pc);
      if (region !== undefined) return region;
    }
    return '';
  }
}
