import type { Resource } from '../../model/resource.js';
import { cidrWithin, parseCidr } from '../../util/cidr.js';
import { parsePath, readPath } from '../../util/path.js';
import type { EvalContext } from '../context.js';
import { didYouMean, SpecError } from '../spec-error.js';
import { verdict } from '../verdict.js';
import type { CompiledFilter, CompileEnv } from './types.js';

export const VALUE_OPS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'in',
  'not-in',
  'contains',
  'regex',
  'glob',
  'present',
  'absent',
  'empty',
  'not-empty',
] as const;
export type ValueOp = (typeof VALUE_OPS)[number];

/** Custodian spellings accepted for compatibility. */
const OP_ALIASES: Record<string, ValueOp> = {
  equal: 'eq',
  'not-equal': 'ne',
  greater_than: 'gt',
  'greater-than': 'gt',
  gte: 'ge',
  less_than: 'lt',
  'less-than': 'lt',
  lte: 'le',
  ni: 'not-in',
  not_in: 'not-in',
  'regex-match': 'regex',
  'not-null': 'not-empty',
};

export const VALUE_TYPES = [
  'age',
  'expiration',
  'size',
  'cidr',
  'integer',
  'date',
  'normalize',
  'swap',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** `value: absent` style markers that Custodian writes in the value slot instead of the op. */
const VALUE_MARKERS: Record<string, ValueOp> = {
  absent: 'absent',
  present: 'present',
  empty: 'empty',
  'not-null': 'not-empty',
  'not-empty': 'not-empty',
};

/** Ops that look only at whether a value is there, not inside it. */
const SHAPE_OPS = new Set(['present', 'absent', 'empty', 'not-empty']);

export interface ValueSpec {
  key: string;
  op?: string;
  value?: unknown;
  value_type?: string;
}

const DAY_MS = 86_400_000;

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

function globToRegex(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Loose equality that treats '22' and 22, 'true' and true as equal, as policy authors expect. */
function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.toLowerCase();
  if (typeof a === 'string' && typeof b === 'boolean') return a.toLowerCase() === String(b);
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const na = Number(a);
  const nb = Number(b);
  if (a !== null && b !== null && a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb))
    return na - nb;
  return undefined;
}

type Coerce = (v: unknown, now: Date) => unknown;

function coercer(valueType: ValueType | undefined): Coerce {
  switch (valueType) {
    case 'age':
      // Days elapsed since the resource's date; missing dates are not coerced (absent stays absent).
      return (v, now) => {
        const d = toDate(v);
        return d ? (now.getTime() - d.getTime()) / DAY_MS : undefined;
      };
    case 'expiration':
      return (v, now) => {
        const d = toDate(v);
        return d ? (d.getTime() - now.getTime()) / DAY_MS : undefined;
      };
    case 'size':
      return (v) =>
        Array.isArray(v) || typeof v === 'string'
          ? v.length
          : isEmpty(v)
            ? 0
            : Object.keys(v as object).length;
    case 'integer':
      return (v) => {
        const n = Number.parseInt(String(v), 10);
        return Number.isNaN(n) ? undefined : n;
      };
    case 'date':
      return (v) => toDate(v);
    case 'normalize':
      return (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
    default:
      return (v) => v;
  }
}

function normalizeOp(raw: unknown, at: (string | number)[]): ValueOp | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new SpecError(at, 'op must be a string');
  const op = (OP_ALIASES[raw] ?? raw) as ValueOp;
  if (!VALUE_OPS.includes(op)) {
    throw new SpecError(
      at,
      `unknown op "${raw}"${didYouMean(raw, VALUE_OPS)} (valid: ${VALUE_OPS.join(', ')})`,
    );
  }
  return op;
}

/**
 * Compiles a Custodian-style value filter into a closure. Everything that can be decided at compile
 * time (path parsing, regex compilation, value coercion of the policy side) is done here once.
 */
export function compileValueFilter(spec: ValueSpec, env: CompileEnv): CompiledFilter {
  const at = env.at;
  if (typeof spec.key !== 'string' || spec.key === '')
    throw new SpecError([...at, 'key'], 'key must be a non-empty string');
  const path = parsePath(spec.key);
  const test = compileValueTest(spec, at);
  const plain = path.tag !== undefined ? 'Tags' : path.plain;
  const shapeOnly =
    SHAPE_OPS.has(
      String(OP_ALIASES[String(spec.op)] ?? spec.op ?? VALUE_MARKERS[String(spec.value)] ?? ''),
    ) || spec.value_type === 'size';
  return {
    paths: [plain],
    evaluate(resource: Resource, ctx: EvalContext) {
      const undecided = ctx.undecided([plain], shapeOnly);
      if (undecided) return undecided;
      const actual =
        path.tag !== undefined ? resource.tags[path.tag] : readPath(resource.config, path.segments);
      const ok = test(actual, ctx.now);
      return verdict(ok, ok ? [{ path: spec.key, value: evidenceValue(actual) }] : []);
    },
  };
}

/** The comparison part of a value filter (op, value, value_type), usable on any single value. */
export function compileValueTest(
  spec: Omit<ValueSpec, 'key'>,
  at: (string | number)[],
): (actual: unknown, now: Date) => boolean {
  let op = normalizeOp(spec.op, [...at, 'op']);
  let expected = spec.value;
  if (op === undefined && typeof expected === 'string' && VALUE_MARKERS[expected]) {
    op = VALUE_MARKERS[expected];
    expected = undefined;
  }
  op ??= 'eq';
  let valueType: ValueType | undefined;
  if (spec.value_type !== undefined) {
    if (typeof spec.value_type !== 'string' || !VALUE_TYPES.includes(spec.value_type as ValueType)) {
      throw new SpecError(
        [...at, 'value_type'],
        `unknown value_type "${String(spec.value_type)}"${didYouMean(String(spec.value_type), VALUE_TYPES)} (valid: ${VALUE_TYPES.join(', ')})`,
      );
    }
    valueType = spec.value_type as ValueType;
  }
  const needsValue = !['present', 'absent', 'empty', 'not-empty'].includes(op);
  if (needsValue && expected === undefined) throw new SpecError(at, `op "${op}" needs a value`);
  if ((op === 'in' || op === 'not-in') && !Array.isArray(expected) && valueType !== 'swap') {
    throw new SpecError([...at, 'value'], `op "${op}" needs a list value`);
  }
  let regex: RegExp | undefined;
  if (op === 'regex' || op === 'glob') {
    if (typeof expected !== 'string')
      throw new SpecError([...at, 'value'], `op "${op}" needs a string value`);
    if (op === 'glob') regex = globToRegex(expected);
    else {
      try {
        regex = new RegExp(expected);
      } catch (err) {
        throw new SpecError([...at, 'value'], `invalid regex: ${(err as Error).message}`);
      }
    }
  }
  if (valueType === 'cidr') {
    const values = Array.isArray(expected) ? expected : [expected];
    for (const [i, v] of values.entries()) {
      if (typeof v !== 'string' || !parseCidr(v)) {
        throw new SpecError(
          [...at, 'value', ...(Array.isArray(expected) ? [i] : [])],
          `not a CIDR: ${JSON.stringify(v)}`,
        );
      }
    }
  }
  const coerce = coercer(valueType);
  const swap = valueType === 'swap';
  const expectedCoerced =
    valueType === 'integer' || valueType === 'normalize' || valueType === 'date'
      ? Array.isArray(expected)
        ? expected.map((e) => coerce(e, new Date(0)))
        : coerce(expected, new Date(0))
      : expected;
  const compiledOp = op;

  const test = (actualRaw: unknown, now: Date): boolean => {
    let actual = coerce(actualRaw, now);
    let want = expectedCoerced;
    if (swap) [actual, want] = [want, actual];
    switch (compiledOp) {
      case 'present':
        return actualRaw !== undefined && actualRaw !== null;
      case 'absent':
        return actualRaw === undefined || actualRaw === null;
      case 'empty':
        return isEmpty(actualRaw);
      case 'not-empty':
        return !isEmpty(actualRaw);
      case 'eq':
        if (valueType === 'cidr') return typeof actual === 'string' && cidrEquals(actual, want);
        return looseEquals(actual, want);
      case 'ne':
        if (valueType === 'cidr') return !(typeof actual === 'string' && cidrEquals(actual, want));
        return !looseEquals(actual, want);
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le': {
        const c = compare(actual, want);
        if (c === undefined) return false;
        return compiledOp === 'gt'
          ? c > 0
          : compiledOp === 'ge'
            ? c >= 0
            : compiledOp === 'lt'
              ? c < 0
              : c <= 0;
      }
      case 'in':
      case 'not-in': {
        const list = Array.isArray(want) ? want : [want];
        const hit =
          valueType === 'cidr'
            ? typeof actual === 'string' &&
              list.some((w) => typeof w === 'string' && cidrWithin(actual as string, w))
            : Array.isArray(actual) && !swap
              ? actual.some((a) => list.some((w) => looseEquals(a, w)))
              : list.some((w) => looseEquals(actual, w));
        return compiledOp === 'in' ? hit : !hit;
      }
      case 'contains':
        if (valueType === 'cidr')
          return typeof actual === 'string' && typeof want === 'string' && cidrWithin(want, actual);
        if (Array.isArray(actual)) return actual.some((a) => looseEquals(a, want));
        if (typeof actual === 'string' && typeof want === 'string') return actual.includes(want);
        if (actual && typeof actual === 'object' && typeof want === 'string') return want in actual;
        return false;
      case 'regex':
      case 'glob':
        if (Array.isArray(actual)) return actual.some((a) => typeof a === 'string' && regex!.test(a));
        return typeof actual === 'string' && regex!.test(actual);
    }
  };

  return test;
}

function cidrEquals(a: string, b: unknown): boolean {
  if (typeof b !== 'string') return false;
  return cidrWithin(a, b) && cidrWithin(b, a);
}

/** Evidence keeps scalars and small structures; large documents are summarised, not copied. */
export function evidenceValue(v: unknown): unknown {
  if (v === undefined || v === null || typeof v !== 'object') return v;
  const text = JSON.stringify(v);
  return text.length <= 400 ? v : `${text.slice(0, 397)}...`;
}
