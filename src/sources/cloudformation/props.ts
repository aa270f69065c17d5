import { isUnknown, type Unknown } from '../../model/unknown.js';
import { InputError } from '../../util/errors.js';
import type { Pos, Positions } from './positions.js';
import type { RefHit } from './resolve.js';
import { isRecord } from './template.js';

/** A value read from a template: known, known only after deploy, or not written. */
export type Maybe<T> = T | Unknown | undefined;

/** One resource with its properties resolved, as the translators see it. */
export interface CfnResource {
  logicalId: string;
  cfnType: string;
  props: Record<string, unknown>;
  hits: RefHit[];
  pos?: Pos;
  /** Properties as written, for the positions of their keys. */
  rawProps: unknown;
}

/**
 * Typed access to a resource's resolved properties. CloudFormation accepts strings for booleans and
 * numbers (`"true"`, `"22"`), so those are coerced; anything else of the wrong shape is an
 * InputError pointing at the property.
 */
export class Props {
  constructor(
    readonly resource: CfnResource,
    private readonly positions: Positions,
    private readonly file: string,
    /** The stack's region when the caller knows it. */
    readonly region?: string,
  ) {}

  get logicalId(): string {
    return this.resource.logicalId;
  }

  fail(message: string, key?: string): never {
    const pos = (key ? this.positions.keyOf(this.resource.rawProps, key) : undefined) ?? this.resource.pos;
    throw new InputError(
      `resource ${this.resource.logicalId}: ${message}`,
      this.file,
      pos?.line,
      pos?.column,
    );
  }

  has(key: string): boolean {
    return Object.hasOwn(this.resource.props, key);
  }

  raw(key: string): unknown {
    return this.has(key) ? this.resource.props[key] : undefined;
  }

  str(key: string): Maybe<string> {
    return this.toStr(this.raw(key), key, key);
  }

  bool(key: string): Maybe<boolean> {
    return this.toBool(this.raw(key), key, key);
  }

  num(key: string): Maybe<number> {
    return this.toNum(this.raw(key), key, key);
  }

  list(key: string): Maybe<unknown[]> {
    return this.toList(this.raw(key), key, key);
  }

  obj(key: string): Maybe<Record<string, unknown>> {
    return this.toObj(this.raw(key), key, key);
  }

  /** The logical ids a top-level property refers to (Ref / GetAtt), in order. */
  targetsOf(key: string): string[] {
    return this.resource.hits.filter((hit) => hit.path[0] === key).map((hit) => hit.target);
  }

  toStr(value: unknown, label: string, key?: string): Maybe<string> {
    if (value === undefined || value === null || isUnknown(value)) return value ?? undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.fail(`${label} must be a string`, key);
  }

  toBool(value: unknown, label: string, key?: string): Maybe<boolean> {
    if (value === undefined || value === null || isUnknown(value)) return value ?? undefined;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    return this.fail(`${label} must be true or false`, key);
  }

  toNum(value: unknown, label: string, key?: string): Maybe<number> {
    if (value === undefined || value === null || isUnknown(value)) return value ?? undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    return this.fail(`${label} must be a number`, key);
  }

  toList(value: unknown, label: string, key?: string): Maybe<unknown[]> {
    if (value === undefined || value === null || isUnknown(value)) return value ?? undefined;
    if (Array.isArray(value)) return value;
    return this.fail(`${label} must be a list`, key);
  }

  toObj(value: unknown, label: string, key?: string): Maybe<Record<string, unknown>> {
    if (value === undefined || value === null || isUnknown(value)) return value ?? undefined;
    if (isRecord(value)) return value;
    return this.fail(`${label} must be a mapping`, key);
  }

  /** Items of a list property, each a mapping or UNKNOWN (e.g. an `!If` on an unknown condition). */
  objects(key: string): Maybe<(Record<string, unknown> | Unknown)[]> {
    return this.objectsOf(this.raw(key), key, key);
  }

  objectsOf(value: unknown, label: string, key?: string): Maybe<(Record<string, unknown> | Unknown)[]> {
    const list = this.toList(value, label, key);
    if (list === undefined || isUnknown(list)) return list;
    return list.map((item, i) => this.toObj(item, `${label}[${i}]`, key) ?? {});
  }

  /** IAM / bucket / key policies: a mapping, or a JSON string CloudFormation also accepts. */
  policyDocument(value: unknown, label: string, key?: string): Maybe<Record<string, unknown>> {
    if (typeof value === 'string') {
      try {
        const parsed: unknown = JSON.parse(value);
        if (isRecord(parsed)) return parsed;
      } catch {
        // reported below
      }
      return this.fail(`${label} is not a JSON policy document`, key);
    }
    return this.toObj(value, label, key);
  }
}

/** `value` unless it was not written, then the cloud's default. */
export function orDefault<T>(value: Maybe<T>, fallback: T): T | Unknown {
  return value === undefined ? fallback : value;
}
