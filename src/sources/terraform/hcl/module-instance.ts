import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ResourceRef } from '../../../model/resource.js';
import type { TfResource } from '../ir.js';
import {
  bodyAttributeNames,
  evaluateBodyAttribute,
  evaluateJson,
  isJsonObject,
  type JsonObject,
} from './body.js';
import type { ModuleCall, ModuleConfig, ResourceBlock } from './config.js';
import { type EvalScope, evaluateCompiled, type ModuleEnv } from './evaluate.js';
import { expandInstances, type InstanceKey, instanceScope, instanceSuffix, isRepeated } from './expansion.js';
import type { ExpressionCache } from './expressions.js';
import type { FunctionContext } from './functions.js';
import { isSecretAttribute, secretPaths } from './secrets.js';
import type { TfvarsValue } from './tfvars.js';
import {
  compareStrings,
  fromJson,
  HclEvalError,
  isUnknownValue,
  LazyObject,
  type ObjectValue,
  objectFrom,
  Tracker,
  toIrValue,
  Unevaluated,
  type Value,
} from './values.js';

/**
 * One instance of a module (the root, or one expansion of a `module` block) at evaluation time.
 * Variables, locals, outputs, resource attributes and block expansions are worked out on first use
 * and cached; a cycle reads as unknown instead of looping.
 */
export interface ReadContext {
  readonly expressions: ExpressionCache;
  /** Absolute root module directory: relative file paths resolve against it, as in Terraform. */
  readonly rootDir: string;
  readonly tfvars: ReadonlyMap<string, TfvarsValue>;
}

export interface SkippedModule {
  /** Module call address, e.g. `module.vpc` or `module.net.module.vpc`. */
  address: string;
  source: string;
}

interface Cached {
  value: Value;
  sensitive: boolean;
  refs: ReadonlySet<string>;
}

const PENDING = Symbol('pending');
type Slot<T> = T | typeof PENDING;

/** Arguments Terraform reserves on resource blocks; they are not attributes of the resource. */
const RESOURCE_META_ARGUMENTS = new Set([
  'count',
  'for_each',
  'provider',
  'depends_on',
  'lifecycle',
  'provisioner',
  'connection',
]);

/** Arguments of a module block that are not input variables. */
const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

const MAX_FILE_BYTES = 1024 * 1024;

function memo<T>(cache: Map<string, Slot<T>>, key: string, compute: () => T, onCycle: () => T): T {
  const hit = cache.get(key);
  if (hit === PENDING) return onCycle();
  if (hit !== undefined) return hit;
  cache.set(key, PENDING);
  const value = compute();
  cache.set(key, value);
  return value;
}

function unknownCached(placeholder: string): Cached {
  return { value: new Unevaluated(placeholder), sensitive: false, refs: new Set() };
}

/** `${aws.west}` → `aws.west`: a bare reference or type (not a value) as hcl2json writes it. */
function bareExpression(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return raw.replace(/^\$\{\s*/, '').replace(/\s*\}$/, '') || undefined;
}

function within(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Applies a variable's declared primitive type, as Terraform converts `"5"` for `type = number`. */
function convertToType(value: Value, typeJson: unknown): Value {
  const type = bareExpression(typeJson);
  if (value === null || isUnknownValue(value)) return value;
  if (
    type === 'number' &&
    typeof value === 'string' &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  ) {
    return Number(value);
  }
  if (type === 'bool' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return value;
}

interface AttributeResult {
  value: Value;
  sensitivePaths: string[];
  refs: Set<string>;
}

export class ResourceInstance extends LazyObject {
  readonly address: string;
  readonly placeholder: string;
  private readonly attributes = new Map<string, Slot<AttributeResult>>();
  private names?: string[];

  constructor(
    readonly module: ModuleInstance,
    readonly block: ResourceBlock,
    readonly key: InstanceKey,
  ) {
    super();
    this.address = `${module.prefix}${block.type}.${block.name}${instanceSuffix(key.index)}`;
    this.placeholder = `\${${this.address}}`;
  }

  private get scope(): EvalScope {
    return instanceScope(this.module, this.key);
  }

  attributeNames(): string[] {
    this.names ??= bodyAttributeNames(this.block.body).filter((n) => !RESOURCE_META_ARGUMENTS.has(n));
    return this.names;
  }

  /** Another resource reads this one: literal config values resolve, computed ones (id, arn) do not. */
  get(name: string, tracker: Tracker): Value {
    tracker.refs.add(this.address);
    if (name === 'id' || name === 'arn' || !this.attributeNames().includes(name)) {
      return new Unevaluated(`\${${this.address}.${name}}`);
    }
    const attribute = this.attribute(name);
    if (attribute.sensitivePaths.length > 0 || isSecretAttribute(name)) tracker.sensitive = true;
    return attribute.value;
  }

  attribute(name: string): AttributeResult {
    return memo(
      this.attributes,
      name,
      () => {
        const tracker = new Tracker();
        const sensitivePaths: string[] = [];
        const value = evaluateBodyAttribute(
          this.block.body,
          name,
          this.scope,
          tracker,
          name,
          (path, leaf) => {
            if (leaf.sensitive) sensitivePaths.push(path);
          },
        );
        return { value, sensitivePaths, refs: tracker.refs };
      },
      () => ({ value: new Unevaluated(`\${${this.address}.${name}}`), sensitivePaths: [], refs: new Set() }),
    );
  }

  toTfResource(): TfResource {
    const entries: [string, unknown][] = [];
    const sensitive = new Set<string>();
    const refs: ResourceRef[] = [];
    for (const name of [...this.attributeNames()].sort(compareStrings)) {
      const attribute = this.attribute(name);
      const value = toIrValue(attribute.value);
      entries.push([name, value]);
      for (const path of attribute.sensitivePaths) sensitive.add(path);
      if (isSecretAttribute(name)) sensitive.add(name);
      else for (const path of secretPaths(value, name)) sensitive.add(path);
      for (const target of attribute.refs)
        if (target !== this.address) refs.push({ attribute: name, target });
    }
    const { location } = this.block;
    return {
      kind: 'terraform-hcl',
      address: this.address,
      module: this.module.address,
      type: this.block.type,
      name: this.block.name,
      ...(this.key.index !== undefined ? { index: this.key.index } : {}),
      values: Object.fromEntries(entries),
      sensitive: [...sensitive],
      refs,
      region: this.module.regionFor(this.block),
      file: location.file,
      line: location.line,
      skips: location.skips.map((s) => ({ ...s })),
    };
  }
}

export class ModuleInstance extends LazyObject implements ModuleEnv {
  readonly placeholder: string;
  readonly pathModule: string;
  readonly expressions: ExpressionCache;
  readonly functions: FunctionContext;
  private readonly variables = new Map<string, Slot<Cached>>();
  private readonly locals = new Map<string, Slot<Cached>>();
  private readonly outputs = new Map<string, Slot<Cached>>();
  private readonly resourceInstances = new Map<string, Slot<ResourceInstance[]>>();
  private readonly moduleInstances = new Map<string, Slot<ModuleInstance[]>>();
  private regions?: Map<string, string>;

  constructor(
    readonly context: ReadContext,
    readonly config: ModuleConfig,
    /** '' for the root, else `module.net`, `module.net[0]`, `module.net.module.inner`. */
    readonly address: string,
    private readonly caller?: { module: ModuleInstance; call: ModuleCall; scope: EvalScope },
    readonly key: InstanceKey = {},
  ) {
    super();
    this.placeholder = `\${${address}}`;
    this.pathModule = config.pathModule;
    this.expressions = context.expressions;
    this.functions = {
      readFile: (path) => this.readFile(path),
      fileExists: (path) => {
        try {
          return statSync(this.resolveFile(path)).isFile();
        } catch {
          return false;
        }
      },
      templateFile: (path, vars) => this.templateFile(path, vars),
    };
  }

  get prefix(): string {
    return this.address === '' ? '' : `${this.address}.`;
  }

  private get scope(): EvalScope {
    return { env: this, names: new Map() };
  }

  /** Values known without any module context: variable defaults and .tfvars entries. */
  private get constantScope(): EvalScope {
    return { env: this, names: new Map(), isolated: true };
  }

  /** A module call's output, as `module.<name>.<output>` reads it. */
  get(name: string, tracker: Tracker): Value {
    if (!this.config.outputs.has(name))
      throw new HclEvalError(`module ${this.address} has no output "${name}"`);
    const cached = memo(
      this.outputs,
      name,
      () => {
        const decl = this.config.outputs.get(name) as JsonObject;
        const t = new Tracker();
        const value = evaluateJson(decl.value, this.scope, t);
        return { value, sensitive: t.sensitive || decl.sensitive === true, refs: t.refs };
      },
      () => unknownCached(`\${${this.prefix}output.${name}}`),
    );
    tracker.absorb(cached);
    return cached.value;
  }

  variable(name: string, tracker: Tracker): Value {
    const cached = memo(
      this.variables,
      name,
      () => this.computeVariable(name),
      () => unknownCached(`\${var.${name}}`),
    );
    tracker.absorb(cached);
    return cached.value;
  }

  private computeVariable(name: string): Cached {
    const decl = this.config.variables.get(name);
    if (!decl) return unknownCached(`\${var.${name}}`);
    const t = new Tracker();
    let value: Value | undefined;
    if (this.caller) {
      const { call, scope } = this.caller;
      if (Object.hasOwn(call.body, name) && !MODULE_META_ARGUMENTS.has(name)) {
        value = evaluateJson(call.body[name], scope, t);
      }
    } else {
      const given = this.context.tfvars.get(name);
      if (given)
        value = given.literal ? fromJson(given.json) : evaluateJson(given.json, this.constantScope, t);
    }
    if (value === undefined || (value === null && decl.nullable === false)) {
      value = Object.hasOwn(decl, 'default')
        ? evaluateJson(decl.default, this.constantScope, t)
        : new Unevaluated(`\${var.${name}}`);
    }
    return {
      value: convertToType(value, decl.type),
      sensitive: t.sensitive || decl.sensitive === true,
      refs: t.refs,
    };
  }

  local(name: string, tracker: Tracker): Value {
    const cached = memo(
      this.locals,
      name,
      () => {
        if (!this.config.locals.has(name)) return unknownCached(`\${local.${name}}`);
        const t = new Tracker();
        const value = evaluateJson(this.config.locals.get(name), this.scope, t);
        return { value, sensitive: t.sensitive, refs: t.refs };
      },
      () => unknownCached(`\${local.${name}}`),
    );
    tracker.absorb(cached);
    return cached.value;
  }

  instancesOf(block: ResourceBlock): ResourceInstance[] {
    return memo(
      this.resourceInstances,
      `${block.type}.${block.name}`,
      () => expandInstances(block.body, this.scope).map((key) => new ResourceInstance(this, block, key)),
      () => [new ResourceInstance(this, block, {})],
    );
  }

  resource(type: string, name: string): Value | undefined {
    const block = this.config.resourceIndex.get(`${type}.${name}`);
    if (!block) return undefined;
    return this.repeatedValue(block.body, this.instancesOf(block), `\${${this.prefix}${type}.${name}}`);
  }

  /** The value a block's name stands for: one instance, a list (count) or a map (for_each). */
  private repeatedValue<T extends ResourceInstance | ModuleInstance>(
    body: JsonObject,
    instances: T[],
    placeholder: string,
  ): Value {
    const repeated = isRepeated(body);
    if (!repeated) return instances[0] ?? new Unevaluated(placeholder);
    if (instances.some((i) => i.key.index === undefined)) return new Unevaluated(placeholder);
    if (repeated === 'count') return instances;
    return objectFrom(instances.map((i) => [String(i.key.index), i]));
  }

  moduleInstancesOf(call: ModuleCall): ModuleInstance[] {
    const config = call.config;
    if (!config) return [];
    return memo(
      this.moduleInstances,
      call.name,
      () =>
        expandInstances(call.body, this.scope).map((key) => {
          const address = `${this.prefix}module.${call.name}${instanceSuffix(key.index)}`;
          const caller = { module: this, call, scope: instanceScope(this, key) };
          return new ModuleInstance(this.context, config, address, caller, key);
        }),
      () => [],
    );
  }

  moduleCall(name: string): Value | undefined {
    const call = this.config.modules.get(name);
    if (!call) return undefined;
    const placeholder = `\${${this.prefix}module.${name}}`;
    if (!call.config) return new Unevaluated(placeholder);
    return this.repeatedValue(call.body, this.moduleInstancesOf(call), placeholder);
  }

  /** Provider configuration key (`aws`, `aws.west`) → region, following `providers = {…}` into modules. */
  private providerRegions(): Map<string, string> {
    if (this.regions) return this.regions;
    const regions = new Map<string, string>();
    this.regions = regions;
    if (this.caller) {
      const parent = this.caller.module.providerRegions();
      for (const [key, region] of parent) regions.set(key, region);
      const passed = this.caller.call.body.providers;
      if (isJsonObject(passed)) {
        for (const [childKey, ref] of Object.entries(passed)) {
          const parentKey = bareExpression(ref);
          if (parentKey) regions.set(childKey, parent.get(parentKey) ?? '');
        }
      }
    }
    for (const { name, body } of this.config.providers) {
      const alias = evaluateJson(body.alias ?? null, this.scope, new Tracker());
      const region = evaluateJson(body.region ?? null, this.scope, new Tracker());
      regions.set(
        typeof alias === 'string' ? `${name}.${alias}` : name,
        typeof region === 'string' ? region : '',
      );
    }
    return regions;
  }

  regionFor(block: ResourceBlock): string {
    const key = bareExpression(block.body.provider) ?? block.type.split('_')[0] ?? '';
    return this.providerRegions().get(key) ?? '';
  }

  /** Relative paths resolve against the root module directory, as Terraform does; only files inside
   *  the root or this module's directory are read, so a configuration cannot pull in arbitrary files. */
  private resolveFile(path: string): string {
    const file = isAbsolute(path) ? path : resolve(this.context.rootDir, path);
    if (!within(this.context.rootDir, file) && !within(this.config.dir, file)) {
      throw new HclEvalError(`file ${path} is outside the configuration`);
    }
    return file;
  }

  private readFile(path: string): string {
    const file = this.resolveFile(path);
    try {
      if (statSync(file).size > MAX_FILE_BYTES) throw new HclEvalError(`file ${path} is too large`);
      return readFileSync(file, 'utf8');
    } catch (err) {
      if (err instanceof HclEvalError) throw err;
      throw new HclEvalError(`cannot read file ${path}`);
    }
  }

  private templateFile(path: string, vars: ObjectValue): Value {
    const file = this.resolveFile(path);
    const compiled = this.expressions.lookupTemplate(file, () => this.readFile(path));
    if (compiled === undefined) return new Unevaluated('');
    if (compiled === null) throw new HclEvalError(`template ${path} does not parse`);
    const scope: EvalScope = { env: this, names: new Map(Object.entries(vars)), isolated: true };
    return evaluateCompiled(compiled, scope, new Tracker(), '');
  }

  /** Every resource instance of this module and the local modules it calls, in source order. */
  collect(resources: TfResource[], skipped: SkippedModule[]): void {
    for (const block of this.config.resources) {
      for (const instance of this.instancesOf(block)) resources.push(instance.toTfResource());
    }
    for (const call of this.config.modules.values()) {
      if (!call.config) {
        skipped.push({ address: `${this.prefix}module.${call.name}`, source: call.source });
        continue;
      }
      for (const child of this.moduleInstancesOf(call)) child.collect(resources, skipped);
    }
  }
}
