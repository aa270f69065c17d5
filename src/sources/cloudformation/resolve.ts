import { isUnknown, UNKNOWN, type Unknown } from '../../model/unknown.js';
import { InputError } from '../../util/errors.js';
import { cidrBlocks } from './cidr.js';
import { setOwn } from './parse.js';
import type { Pos, Positions } from './positions.js';
import { isRecord, type TemplateModel } from './template.js';

/** `Ref: AWS::NoValue`: the enclosing property or list item disappears. */
export const NO_VALUE: unique symbol = Symbol('warden.cfn.noValue');

export type PathSegment = string | number;

/** A `Ref`/`GetAtt` to another resource, found at `path` of the resolved properties. */
export interface RefHit {
  path: PathSegment[];
  target: string;
  /** The GetAtt attribute, when the reference was a GetAtt. */
  attribute?: string;
}

/** Three-valued condition result: a condition that depends on an unknown value is UNKNOWN. */
export type Tri = boolean | Unknown;

export interface ResolveEnv {
  model: TemplateModel;
  positions: Positions;
  file: string;
  region?: string;
}

export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isRecord(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Evaluates intrinsic functions against parameters, pseudo parameters, mappings and conditions.
 * What cannot be known before deploy becomes UNKNOWN; references to resources are reported as hits.
 * Errors CloudFormation itself would reject (undefined names, malformed arguments) are InputErrors.
 */
export class Resolver {
  private readonly conditionCache = new Map<string, Tri>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly env: ResolveEnv) {}

  private fail(message: string, at: unknown): never {
    const pos: Pos | undefined = this.env.positions.of(at);
    throw new InputError(message, this.env.file, pos?.line, pos?.column);
  }

  /** The value of a named condition, memoized; cycles are template errors. */
  condition(name: string, at?: unknown): Tri {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const { conditions } = this.env.model;
    if (!Object.hasOwn(conditions, name)) this.fail(`unknown condition ${name}`, at);
    if (this.evaluating.has(name)) this.fail(`condition ${name} refers to itself`, at);
    this.evaluating.add(name);
    const value = this.evalCondition(conditions[name], conditions[name] ?? at);
    this.evaluating.delete(name);
    this.conditionCache.set(name, value);
    return value;
  }

  /** Resolves a property value; hits collect the resources it refers to. */
  resolve(value: unknown, hits: RefHit[], path: PathSegment[] = []): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const resolved = this.resolve(item, hits, [...path, out.length]);
        if (resolved !== NO_VALUE) out.push(resolved);
      }
      return out;
    }
    if (isRecord(value)) {
      const keys = Object.keys(value);
      const only = keys.length === 1 ? keys[0] : undefined;
      if (only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) {
        return this.intrinsic(only, value[only], value, hits, path);
      }
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const resolved = this.resolve(value[key], hits, [...path, key]);
        if (resolved !== NO_VALUE) setOwn(out, key, resolved);
      }
      return out;
    }
    // Dynamic references are fetched from SSM / Secrets Manager at deploy time.
    if (typeof value === 'string' && value.includes('{{resolve:')) return UNKNOWN;
    return value;
  }

  private intrinsic(name: string, arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    switch (name) {
      case 'Ref':
        if (typeof arg !== 'string') this.fail('Ref takes a parameter or resource name', node);
        return this.ref(arg, node, hits, path);
      case 'Fn::GetAtt':
        return this.getAtt(arg, node, hits, path);
      case 'Fn::Sub':
        return this.sub(arg, node, hits, path);
      case 'Fn::Join':
        return this.join(arg, node, hits, path);
      case 'Fn::Select':
        return this.select(arg, node, hits, path);
      case 'Fn::Split':
        return this.split(arg, node, hits, path);
      case 'Fn::If':
        return this.fnIf(arg, node, hits, path);
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return this.evalCondition(node, node);
      case 'Fn::FindInMap':
        return this.findInMap(arg, node, hits, path);
      case 'Fn::Base64': {
        const text = this.resolve(arg, hits, path);
        if (containsUnknown(text)) return UNKNOWN;
        if (!isScalar(text)) this.fail('Fn::Base64 takes a string', node);
        return Buffer.from(String(text), 'utf8').toString('base64');
      }
      case 'Fn::Cidr':
        return this.cidr(arg, node, hits, path);
      case 'Fn::Length': {
        const list = this.resolve(arg, hits, path);
        if (isUnknown(list)) return UNKNOWN;
        if (!Array.isArray(list)) this.fail('Fn::Length takes a list', node);
        return list.length;
      }
      case 'Fn::ToJsonString': {
        const resolved = this.resolve(arg, hits, path);
        return containsUnknown(resolved) ? UNKNOWN : JSON.stringify(resolved);
      }
      default:
        // GetAZs, ImportValue, Transform and anything newer: only known at deploy time.
        this.resolve(arg, hits, path);
        return UNKNOWN;
    }
  }

  private ref(name: string, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    const param = this.env.model.parameters.get(name);
    if (param) return Array.isArray(param.value) ? [...param.value] : param.value;
    if (name.startsWith('AWS::')) return this.pseudo(name, node);
    if (this.env.model.resourceTypes.has(name)) {
      hits.push({ path, target: name });
      return UNKNOWN;
    }
    return this.fail(`Ref to undefined name ${name}`, node);
  }

  private pseudo(name: string, node: unknown): unknown {
    const region = this.env.region;
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Region':
        return region ?? UNKNOWN;
      case 'AWS::Partition':
        return region?.startsWith('cn-') ? 'aws-cn' : region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
      case 'AWS::URLSuffix':
        return region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::AccountId':
      case 'AWS::StackName':
      case 'AWS::StackId':
      case 'AWS::NotificationARNs':
        return UNKNOWN;
      default:
        return this.fail(`unknown pseudo parameter ${name}`, node);
    }
  }

  private getAtt(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    let target: unknown;
    let attribute: unknown;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      target = dot > 0 ? arg.slice(0, dot) : arg;
      attribute = dot > 0 ? arg.slice(dot + 1) : '';
    } else if (Array.isArray(arg) && arg.length === 2) {
      target = arg[0];
      attribute = this.resolve(arg[1], [], path);
    }
    if (
      typeof target !== 'string' ||
      (typeof attribute !== 'string' && !isUnknown(attribute)) ||
      attribute === ''
    ) {
      this.fail('Fn::GetAtt takes [LogicalId, Attribute] or "LogicalId.Attribute"', node);
    }
    if (!this.env.model.resourceTypes.has(target))
      this.fail(`Fn::GetAtt to undefined resource ${target}`, node);
    hits.push(typeof attribute === 'string' ? { path, target, attribute } : { path, target });
    return UNKNOWN;
  }

  private sub(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    let template: string;
    const vars = new Map<string, unknown>();
    if (typeof arg === 'string') {
      template = arg;
    } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && isRecord(arg[1])) {
      template = arg[0];
      for (const [key, value] of Object.entries(arg[1])) vars.set(key, this.resolve(value, hits, path));
    } else {
      return this.fail('Fn::Sub takes a string or [string, {variables}]', node);
    }
    if (template.includes('{{resolve:')) return UNKNOWN;
    let unknown = false;
    const out = template.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      let value: unknown;
      if (vars.has(name)) value = vars.get(name);
      else if (name.includes('.') && !name.startsWith('AWS::')) value = this.getAtt(name, node, hits, path);
      else value = this.ref(name, node, hits, path);
      if (value === NO_VALUE) return '';
      if (containsUnknown(value)) {
        unknown = true;
        return '';
      }
      if (!isScalar(value)) this.fail(`Fn::Sub variable ${name} is not a string`, node);
      return String(value);
    });
    return unknown ? UNKNOWN : out;
  }

  private join(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) this.fail('Fn::Join takes [delimiter, [values]]', node);
    const delimiter = this.resolve(arg[0], hits, path);
    const list = this.resolve(arg[1], hits, path);
    if (isUnknown(delimiter) || isUnknown(list)) return UNKNOWN;
    if (typeof delimiter !== 'string' || !Array.isArray(list))
      this.fail('Fn::Join takes [delimiter, [values]]', node);
    if (list.some(containsUnknown)) return UNKNOWN;
    if (!list.every(isScalar)) this.fail('Fn::Join values must be strings', node);
    return list.map(String).join(delimiter);
  }

  private select(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) this.fail('Fn::Select takes [index, [values]]', node);
    const index = this.resolve(arg[0], hits, path);
    const list = this.resolve(arg[1], hits, path);
    if (isUnknown(index) || isUnknown(list)) return UNKNOWN;
    const n = Number(index);
    if (!Number.isInteger(n) || n < 0 || !Array.isArray(list))
      this.fail('Fn::Select takes [index, [values]]', node);
    if (n >= list.length) this.fail(`Fn::Select index ${n} is out of range (${list.length} values)`, node);
    return list[n];
  }

  private split(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) this.fail('Fn::Split takes [delimiter, string]', node);
    const delimiter = this.resolve(arg[0], hits, path);
    const source = this.resolve(arg[1], hits, path);
    if (isUnknown(delimiter) || isUnknown(source)) return UNKNOWN;
    if (typeof delimiter !== 'string' || delimiter === '' || !isScalar(source)) {
      this.fail('Fn::Split takes [delimiter, string]', node);
    }
    return String(source).split(delimiter);
  }

  private fnIf(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
      this.fail('Fn::If takes [condition, value if true, value if false]', node);
    }
    const verdict = this.condition(arg[0], node);
    if (verdict === true) return this.resolve(arg[1], hits, path);
    if (verdict === false) return this.resolve(arg[2], hits, path);
    // Either branch may apply: keep both branches' references, and the value only if they agree.
    const whenTrue = this.resolve(arg[1], hits, path);
    const whenFalse = this.resolve(arg[2], hits, path);
    if (whenTrue === NO_VALUE || whenFalse === NO_VALUE) return UNKNOWN;
    if (containsUnknown(whenTrue) || containsUnknown(whenFalse)) return UNKNOWN;
    return canonical(whenTrue) === canonical(whenFalse) ? whenTrue : UNKNOWN;
  }

  private findInMap(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    if (!Array.isArray(arg) || arg.length < 3 || arg.length > 4) {
      this.fail('Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]', node);
    }
    const keys = arg.slice(0, 3).map((key) => this.resolve(key, hits, path));
    const options = arg[3];
    const hasDefault = isRecord(options) && Object.hasOwn(options, 'DefaultValue');
    if (keys.some(containsUnknown)) return UNKNOWN;
    if (!keys.every(isScalar)) this.fail('Fn::FindInMap keys must be strings', node);
    const [mapName, top, second] = keys.map(String) as [string, string, string];
    const map = this.env.model.mappings[mapName];
    const topLevel = isRecord(map) && Object.hasOwn(map, top) ? map[top] : undefined;
    if (isRecord(topLevel) && Object.hasOwn(topLevel, second))
      return this.resolve(topLevel[second], hits, path);
    if (hasDefault) return this.resolve(options.DefaultValue, hits, path);
    if (!isRecord(map)) this.fail(`Fn::FindInMap: no mapping named ${mapName}`, node);
    return this.fail(`Fn::FindInMap: mapping ${mapName} has no entry ${top}.${second}`, node);
  }

  private cidr(arg: unknown, node: unknown, hits: RefHit[], path: PathSegment[]): unknown {
    if (!Array.isArray(arg) || arg.length !== 3) this.fail('Fn::Cidr takes [ipBlock, count, cidrBits]', node);
    const [block, count, bits] = arg.map((item) => this.resolve(item, hits, path));
    if ([block, count, bits].some(containsUnknown)) return UNKNOWN;
    const blocks = cidrBlocks(String(block), Number(count), Number(bits));
    if (typeof blocks === 'string') this.fail(blocks, node);
    return blocks ?? UNKNOWN;
  }

  /** Condition functions; `at` is the node whose position an error should point to. */
  private evalCondition(expr: unknown, at: unknown): Tri {
    const where = this.env.positions.of(expr) ? expr : at;
    if (!isRecord(expr) || Object.keys(expr).length !== 1) {
      return this.fail('a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition', where);
    }
    const [name, arg] = Object.entries(expr)[0] as [string, unknown];
    switch (name) {
      case 'Condition':
        if (typeof arg !== 'string') this.fail('Condition takes a condition name', where);
        return this.condition(arg, where);
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) this.fail('Fn::Equals takes two values', where);
        const [a, b] = arg.map((item) => this.resolve(item, []));
        if (containsUnknown(a) || containsUnknown(b)) return UNKNOWN;
        return canonical(a) === canonical(b);
      }
      case 'Fn::Not': {
        if (!Array.isArray(arg) || arg.length !== 1) this.fail('Fn::Not takes one condition', where);
        const inner = this.evalCondition(arg[0], where);
        return isUnknown(inner) ? UNKNOWN : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg) || arg.length < 2) this.fail(`${name} takes at least two conditions`, where);
        const values = arg.map((item) => this.evalCondition(item, where));
        // false decides an And, true decides an Or.
        const decisive = name === 'Fn::Or';
        if (values.includes(decisive)) return decisive;
        return values.some(isUnknown) ? UNKNOWN : !decisive;
      }
      default:
        return this.fail(`${name} is not a condition function`, where);
    }
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** CloudFormation compares values as strings: `1` equals `"1"`, `true` equals `"true"`. */
function canonical(value: unknown): string {
  if (isScalar(value)) return String(value);
  if (value === NO_VALUE) return '\u0000novalue';
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'number' || typeof inner === 'boolean' ? String(inner) : inner,
  );
}
