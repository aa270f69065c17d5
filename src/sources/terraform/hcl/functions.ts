import { cidrhost, cidrnetmask, cidrsubnet } from './cidr-functions.js';
import {
  compareStrings,
  containsUnknown,
  formatNumber,
  fromJson,
  HclEvalError,
  isObjectValue,
  isUnknownValue,
  type ObjectValue,
  objectFrom,
  ownValue,
  sortedKeys,
  toBool,
  toList,
  toNum,
  toObject,
  toStr,
  typeName,
  Unevaluated,
  type Value,
  valuesEqual,
} from './values.js';

/**
 * Terraform's built-in functions that matter for reading configuration statically. The evaluator
 * only calls them with known top-level arguments; a function that meets an unknown part inside an
 * argument returns `Unevaluated`, which the evaluator labels with the call's own text. Functions that
 * depend on apply time or the machine (timestamp, uuid) are absent on purpose and read as unknown.
 */
export interface FunctionContext {
  /** Contents of a file the configuration names; throws HclEvalError outside the allowed directories. */
  readFile(path: string): string;
  fileExists(path: string): boolean;
  templateFile(path: string, vars: ObjectValue): Value;
}

export type HclFunction = (args: Value[], ctx: FunctionContext) => Value;

const SOMETHING_UNKNOWN = new Unevaluated('');

function arg(args: Value[], i: number): Value {
  const v = args[i];
  if (v === undefined) throw new HclEvalError(`missing argument ${i + 1}`);
  return v;
}

function str(args: Value[], i: number): string {
  return toStr(arg(args, i));
}

function num(args: Value[], i: number): number {
  return toNum(arg(args, i));
}

function int(args: Value[], i: number): number {
  const n = num(args, i);
  if (!Number.isInteger(n)) throw new HclEvalError(`a whole number is required, got ${n}`);
  return n;
}

function list(args: Value[], i: number): Value[] {
  return toList(arg(args, i));
}

/**
 * Why unknown leaves become `"${…}"` strings instead of making the whole result unknown: policy
 * documents are nearly always jsonencode'd objects whose Effect/Action/Principal are literals and whose
 * Resource mentions an ARN known only after apply. Keeping the document lets policies judge it; the
 * placeholder is Terraform's own interpolation syntax, so it reads as "the value of that expression"
 * and never equals a real ARN or `*`.
 */
function toJsonData(v: Value): unknown {
  if (isUnknownValue(v)) return v.placeholder;
  if (Array.isArray(v)) return v.map(toJsonData);
  if (isObjectValue(v)) {
    // Terraform orders object attributes lexically when it encodes them.
    return Object.fromEntries(sortedKeys(v).map((k) => [k, toJsonData(v[k] as Value)]));
  }
  return v;
}

/** Sets are lists here; Terraform orders a set of strings or of numbers by value. */
function toSet(items: Value[]): Value[] {
  const out = distinctValues(items);
  if (out.every((v) => typeof v === 'string')) return (out as string[]).sort(compareStrings);
  if (out.every((v) => typeof v === 'number')) return (out as number[]).sort((a, b) => a - b);
  return out;
}

function distinctValues(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) {
    const seen = out.map((o) => valuesEqual(o, item));
    if (seen.includes(true)) continue;
    if (seen.includes(undefined)) throw new UnknownResult();
    out.push(item);
  }
  return out;
}

/** Thrown inside a function when an unknown part decides the result; caught in `callFunction`. */
class UnknownResult extends Error {}

function flatten(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) {
    if (isUnknownValue(item)) throw new UnknownResult();
    if (Array.isArray(item)) out.push(...flatten(item));
    else out.push(item);
  }
  return out;
}

function goRegexReplacement(replacement: string): string {
  // Go's `${1}` / `$1` group syntax, mapped onto JavaScript's `$1`.
  return replacement.replace(/\$\{(\d+)\}/g, '$$$1');
}

function formatValue(v: Value, verb: string, precision: number | undefined, sharp: boolean): string {
  switch (verb) {
    case 's':
      return toStr(v);
    case 'd':
      return formatNumber(Math.trunc(toNum(v)));
    case 'f':
      return toNum(v).toFixed(precision ?? 6);
    case 'g':
    case 'e':
      return verb === 'e' ? toNum(v).toExponential(precision) : String(toNum(v));
    case 't':
      return toBool(v) ? 'true' : 'false';
    case 'q':
      return JSON.stringify(toStr(v));
    case 'x':
      return typeof v === 'number' ? Math.trunc(v).toString(16) : Buffer.from(toStr(v)).toString('hex');
    case 'X':
      return formatValue(v, 'x', precision, sharp).toUpperCase();
    case 'b':
      return Math.trunc(toNum(v)).toString(2);
    case 'o':
      return Math.trunc(toNum(v)).toString(8);
    case 'v':
      if (sharp || (typeof v === 'object' && v !== null)) return JSON.stringify(toJsonData(v));
      return toStr(v);
    default:
      throw new HclEvalError(`unsupported format verb %${verb}`);
  }
}

function format(fmt: string, values: Value[]): string {
  let next = 0;
  return fmt.replace(
    /%([-+ #0]*)(\d+)?(?:\.(\d+))?(?:\[(\d+)\])?([a-zA-Z%])/g,
    (_m, flags, w, p, pos, verb) => {
      if (verb === '%') return '%';
      if (pos !== undefined) next = Number(pos) - 1;
      const v = values[next++];
      if (v === undefined) throw new HclEvalError('not enough arguments for format string');
      if (isUnknownValue(v) || (typeof v === 'object' && v !== null && containsUnknown(v)))
        throw new UnknownResult();
      const flagText = String(flags ?? '');
      let text = formatValue(
        v,
        String(verb),
        p === undefined ? undefined : Number(p),
        flagText.includes('#'),
      );
      if (flagText.includes('+') && typeof v === 'number' && v >= 0) text = `+${text}`;
      const width = w === undefined ? 0 : Number(w);
      if (text.length < width) {
        if (flagText.includes('-')) text = text.padEnd(width);
        else if (flagText.includes('0') && typeof v === 'number') {
          const sign = text.startsWith('-') || text.startsWith('+') ? text.slice(0, 1) : '';
          text = sign + text.slice(sign ? 1 : 0).padStart(width - sign.length, '0');
        } else text = text.padStart(width);
      }
      return text;
    },
  );
}

function joinStrings(sep: string, items: Value[]): string {
  return items
    .map((item) => {
      if (isUnknownValue(item)) throw new UnknownResult();
      return toStr(item);
    })
    .join(sep);
}

function range(args: Value[]): Value[] {
  const nums = args.map(toNum);
  const [start, limit, step] =
    nums.length === 1
      ? [0, nums[0] ?? 0, 1]
      : [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? ((nums[0] ?? 0) <= (nums[1] ?? 0) ? 1 : -1)];
  if (step === 0) throw new HclEvalError('range step must not be zero');
  const out: number[] = [];
  for (let n = start; step > 0 ? n < limit : n > limit; n += step) {
    out.push(n);
    if (out.length > 1024) throw new HclEvalError('range is too long');
  }
  return out;
}

function substr(s: string, offset: number, length: number): string {
  const chars = [...s];
  const from = offset < 0 ? Math.max(chars.length + offset, 0) : Math.min(offset, chars.length);
  const to = length < 0 ? chars.length : Math.min(from + length, chars.length);
  return chars.slice(from, to).join('');
}

function coalesce(args: Value[]): Value {
  for (const v of args) {
    if (isUnknownValue(v)) throw new UnknownResult();
    if (v !== null && v !== '') return v;
  }
  throw new HclEvalError('no non-null, non-empty argument');
}

function lookup(args: Value[]): Value {
  const map = toObject(arg(args, 0));
  const found = ownValue(map, str(args, 1));
  if (found !== undefined) return found;
  if (args.length > 2) return arg(args, 2);
  throw new HclEvalError(`the map has no key "${str(args, 1)}"`);
}

function element(args: Value[]): Value {
  const items = list(args, 0);
  if (items.length === 0) throw new HclEvalError('cannot use element on an empty list');
  const i = int(args, 1);
  if (i < 0) throw new HclEvalError('element index must not be negative');
  return items[i % items.length] as Value;
}

function contains(items: Value[], wanted: Value): boolean {
  const matches = items.map((item) => valuesEqual(item, wanted));
  if (matches.includes(true)) return true;
  if (matches.includes(undefined)) throw new UnknownResult();
  return false;
}

function length(v: Value): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isObjectValue(v)) return Object.keys(v).length;
  throw new HclEvalError(`cannot take the length of a ${typeName(v)}`);
}

function merge(args: Value[]): ObjectValue {
  const entries: [string, Value][] = [];
  for (const a of args) {
    if (a === null) continue;
    for (const [k, v] of Object.entries(toObject(a))) entries.push([k, v]);
  }
  return objectFrom(entries);
}

function tostring(v: Value): Value {
  if (v === null) return null;
  return toStr(v);
}

function tonumber(v: Value): Value {
  return v === null ? null : toNum(v);
}

function tobool(v: Value): Value {
  return v === null ? null : toBool(v);
}

export const FUNCTIONS: Readonly<Record<string, HclFunction>> = {
  abs: (a) => Math.abs(num(a, 0)),
  alltrue: (a) => list(a, 0).every((v) => toBool(v)),
  anytrue: (a) => list(a, 0).some((v) => toBool(v)),
  base64decode: (a) => Buffer.from(str(a, 0), 'base64').toString('utf8'),
  base64encode: (a) => Buffer.from(str(a, 0), 'utf8').toString('base64'),
  ceil: (a) => Math.ceil(num(a, 0)),
  chomp: (a) => str(a, 0).replace(/(\r?\n)+$/, ''),
  cidrhost: (a) => cidrhost(str(a, 0), int(a, 1)),
  cidrnetmask: (a) => cidrnetmask(str(a, 0)),
  cidrsubnet: (a) => cidrsubnet(str(a, 0), int(a, 1), int(a, 2)),
  coalesce,
  coalescelist: (a) => {
    for (const v of a) if (toList(v).length > 0) return v;
    throw new HclEvalError('no non-empty list argument');
  },
  compact: (a) => list(a, 0).filter((v) => v !== null && v !== ''),
  concat: (a) => a.flatMap((v) => toList(v)),
  contains: (a) => contains(list(a, 0), arg(a, 1)),
  distinct: (a) => distinctValues(list(a, 0)),
  element,
  endswith: (a) => str(a, 0).endsWith(str(a, 1)),
  file: (a, ctx) => ctx.readFile(str(a, 0)),
  fileexists: (a, ctx) => ctx.fileExists(str(a, 0)),
  flatten: (a) => flatten(list(a, 0)),
  floor: (a) => Math.floor(num(a, 0)),
  format: (a) => format(str(a, 0), a.slice(1)),
  index: (a) => {
    const i = list(a, 0).findIndex((v) => valuesEqual(v, arg(a, 1)) === true);
    if (i < 0) throw new HclEvalError('item not found');
    return i;
  },
  join: (a) =>
    joinStrings(
      str(a, 0),
      a.slice(1).flatMap((v) => toList(v)),
    ),
  jsondecode: (a) => {
    try {
      return fromJson(JSON.parse(str(a, 0)));
    } catch {
      throw new HclEvalError('jsondecode: invalid JSON');
    }
  },
  jsonencode: (a) => JSON.stringify(toJsonData(arg(a, 0))),
  keys: (a) => sortedKeys(toObject(arg(a, 0))),
  length: (a) => length(arg(a, 0)),
  lookup: (a) => lookup(a),
  lower: (a) => str(a, 0).toLowerCase(),
  max: (a) => Math.max(...a.map((v) => toNum(v))),
  merge,
  min: (a) => Math.min(...a.map((v) => toNum(v))),
  one: (a) => {
    const items = list(a, 0);
    if (items.length > 1) throw new HclEvalError('one: more than one element');
    return items[0] ?? null;
  },
  parseint: (a) => {
    const n = Number.parseInt(str(a, 0), int(a, 1));
    if (Number.isNaN(n)) throw new HclEvalError('parseint: not a number');
    return n;
  },
  range: (a) => range(a),
  replace: (a) => {
    const [s, search, replacement] = [str(a, 0), str(a, 1), str(a, 2)];
    const re = /^\/(.*)\/$/s.exec(search);
    if (!re) return s.split(search).join(replacement);
    try {
      return s.replace(new RegExp(re[1] ?? '', 'g'), goRegexReplacement(replacement));
    } catch {
      throw new HclEvalError('replace: invalid regular expression');
    }
  },
  reverse: (a) => [...list(a, 0)].reverse(),
  slice: (a) => list(a, 0).slice(int(a, 1), int(a, 2)),
  sort: (a) =>
    list(a, 0)
      .map((v) => toStr(v))
      .sort(compareStrings),
  split: (a) => str(a, 1).split(str(a, 0)),
  startswith: (a) => str(a, 0).startsWith(str(a, 1)),
  strrev: (a) => [...str(a, 0)].reverse().join(''),
  substr: (a) => substr(str(a, 0), int(a, 1), int(a, 2)),
  sum: (a) => list(a, 0).reduce<number>((total, v) => total + toNum(v), 0),
  templatefile: (a, ctx) => ctx.templateFile(str(a, 0), a.length > 1 ? toObject(arg(a, 1)) : {}),
  title: (a) => str(a, 0).replace(/\b\p{L}/gu, (c) => c.toUpperCase()),
  tobool: (a) => tobool(arg(a, 0)),
  tolist: (a) => [...list(a, 0)],
  tomap: (a) => toObject(arg(a, 0)),
  tonumber: (a) => tonumber(arg(a, 0)),
  toset: (a) => toSet(list(a, 0)),
  tostring: (a) => tostring(arg(a, 0)),
  trim: (a) => {
    const cut = new Set([...str(a, 1)]);
    const chars = [...str(a, 0)];
    let from = 0;
    let to = chars.length;
    while (from < to && cut.has(chars[from] ?? '')) from++;
    while (to > from && cut.has(chars[to - 1] ?? '')) to--;
    return chars.slice(from, to).join('');
  },
  trimprefix: (a) => (str(a, 0).startsWith(str(a, 1)) ? str(a, 0).slice(str(a, 1).length) : str(a, 0)),
  trimspace: (a) => str(a, 0).trim(),
  trimsuffix: (a) =>
    str(a, 1) !== '' && str(a, 0).endsWith(str(a, 1)) ? str(a, 0).slice(0, -str(a, 1).length) : str(a, 0),
  upper: (a) => str(a, 0).toUpperCase(),
  urlencode: (a) => encodeURIComponent(str(a, 0)),
  values: (a) => {
    const obj = toObject(arg(a, 0));
    return sortedKeys(obj).map((k) => obj[k] as Value);
  },
  zipmap: (a) => {
    const ks = list(a, 0).map((k) => toStr(k));
    const vs = list(a, 1);
    if (ks.length !== vs.length) throw new HclEvalError('zipmap: lists differ in length');
    return objectFrom(ks.map((k, i) => [k, vs[i] as Value]));
  },
};

/** Calls a built-in; an unknown part that decides the result yields an Unevaluated. */
export function callFunction(fn: HclFunction, args: Value[], ctx: FunctionContext): Value {
  try {
    return fn(args, ctx);
  } catch (err) {
    if (err instanceof UnknownResult) return SOMETHING_UNKNOWN;
    throw err;
  }
}
