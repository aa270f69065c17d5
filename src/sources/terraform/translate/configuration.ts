import type { ResourceRef } from '../../../model/resource.js';
import { expressionTargets, inModule, moduleConfigPath } from './address.js';
import { isObject } from './values.js';

/** One resource block of a plan's `configuration` section. */
export interface ConfiguredResource {
  expressions: Record<string, unknown>;
  providerKey?: string;
  dependsOn: string[];
}

function isExpression(value: Record<string, unknown>): boolean {
  return 'references' in value || 'constant_value' in value || Object.keys(value).length === 0;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
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
  for (const [key, value] of Object.entries(expressions)) {
    const attribute = prefix ? `${prefix}.${key}` : key;
    const blocks = Array.isArray(value) ? value : isObject(value) && !isExpression(value) ? [value] : [];
    for (const block of blocks)
      if (isObject(block)) out.push(...referencesOf(block, moduleAddress, attribute));
    if (isObject(value) && 'references' in value) {
      for (const target of expressionTargets(stringsOf(value.references))) {
        out.push({ attribute, target: inModule(moduleAddress, target) });
      }
    }
  }
  return out;
}

/**
 * The plan's `configuration` section, indexed: resource blocks by module path and address, and the
 * region each provider configuration sets when it is a constant (or a root variable).
 */
export class PlanConfiguration {
  private readonly resources = new Map<string, ConfiguredResource>();
  private readonly providers: Record<string, unknown>;

  constructor(
    configuration: unknown,
    private readonly variables: unknown,
  ) {
    const config = isObject(configuration) ? configuration : {};
    this.providers = isObject(config.provider_config) ? config.provider_config : {};
    this.indexModule(config.root_module, '');
  }

  private indexModule(module: unknown, path: string): void {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || typeof r.address !== 'string') continue;
      this.resources.set(`${path}|${r.address}`, {
        expressions: isObject(r.expressions) ? r.expressions : {},
        providerKey: typeof r.provider_config_key === 'string' ? r.provider_config_key : undefined,
        dependsOn: stringsOf(r.depends_on),
      });
    }
    const calls = isObject(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) {
      if (isObject(call)) this.indexModule(call.module, path ? `${path}.module.${name}` : `module.${name}`);
    }
  }

  /** The block of a resource instance in a module instance (`module.a["x"]` → block in `module.a`). */
  resource(moduleAddress: string, type: string, name: string): ConfiguredResource | undefined {
    return this.resources.get(`${moduleConfigPath(moduleAddress)}|${type}.${name}`);
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
