import { isAscii } from 'node:buffer';
import { JSON_WHITESPACE, skipJsonValue, skipWhitespace } from '../../util/json-skip.js';

/**
 * Reads a `terraform show -json` plan without building the members Warden never reads:
 * `planned_values` and `prior_state` repeat what `resource_changes` says (after and before apply) and
 * are a third or more of a plan's bytes. Skipping them saves their parse and, more, the garbage
 * collector's copying of a few hundred MB of objects that would live until the scan ends.
 *
 * Safety: a user controls map keys inside values (a tag named "prior_state"), so a byte search only
 * proposes where a member starts. The proposal is proved before use: every kept stretch between the
 * skipped members must JSON.parse as a run of complete members (which puts the skipped key at depth 1 of
 * the top-level object, since JSON's grammar has one parse), and each skipped value must pass a full
 * grammar check. Anything else returns undefined and the caller parses the whole text as before, so a
 * crafted plan can only make the scan slower, never drop or change a resource.
 */

const SKIPPED = ['planned_values', 'prior_state'] as const;

/** Terraform writes `planned_values` right after `format_version`, `terraform_version` and `variables`. */
const HEAD_WINDOW = 1 << 20;

const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COLON = 0x3a;

interface Cut {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

function lastNonSpace(b: Uint8Array, from: number, to: number): number {
  let i = to - 1;
  while (i >= from && JSON_WHITESPACE[b[i]!] === 1) i--;
  return i;
}

/** The member `"key": value` whose key starts at `at`, checked up to the value's end. */
function cutAt(b: Buffer, key: string, at: number): Cut | undefined {
  const afterKey = skipWhitespace(b, at + key.length + 2);
  if (b[afterKey] !== COLON) return undefined;
  const valueStart = skipWhitespace(b, afterKey + 1);
  const valueEnd = skipJsonValue(b, valueStart);
  return valueEnd < 0 ? undefined : { key, keyStart: at, valueStart, valueEnd };
}

/** Where each skipped member might start: the first `"planned_values"` near the head, the last `"prior_state"`. */
function proposeCuts(b: Buffer): Cut[] | undefined {
  const head = b.subarray(0, Math.min(b.length, HEAD_WINDOW));
  const pvAt = head.indexOf('"planned_values"');
  if (pvAt < 0) return undefined;
  const planned = cutAt(b, 'planned_values', pvAt);
  if (!planned) return undefined;
  const cuts = [planned];
  const psAt = b.lastIndexOf('"prior_state"');
  if (psAt >= planned.valueEnd) {
    const prior = cutAt(b, 'prior_state', psAt);
    if (!prior) return undefined;
    cuts.push(prior);
  }
  return cuts;
}

type Stretch = 'first' | 'middle' | 'last';

/**
 * JSON.parse of the members between `from` and `to` (exclusive). The first stretch is `{` then members
 * and a comma, a middle one a comma, members and a comma, the last a comma, members and `}`; each may
 * hold no members at all. The separators are overwritten with braces for the parse, so no copy of the
 * text is made; `restore` collects the bytes to put back.
 */
function parseStretch(
  b: Buffer,
  from: number,
  to: number,
  kind: Stretch,
  restore: [number, number][],
): Record<string, unknown> | undefined {
  const open = skipWhitespace(b, from);
  if (open >= to) return undefined;
  const first = b[open]!;
  if (kind === 'last' && first === CLOSE_OBJECT) return skipWhitespace(b, open + 1) === to ? {} : undefined;
  if (first !== (kind === 'first' ? OPEN_OBJECT : COMMA)) return undefined;
  const close = lastNonSpace(b, open + 1, to);
  // No members: the cut follows the separator directly.
  if (close <= open && kind !== 'last') return {};
  const closing = b[close]!;
  if (close <= open + 1 || closing !== (kind === 'last' ? CLOSE_OBJECT : COMMA)) return undefined;
  restore.push([open, first], [close, closing]);
  b[open] = OPEN_OBJECT;
  b[close] = CLOSE_OBJECT;
  try {
    const value: unknown = JSON.parse(decodeJsonText(b, open, close + 1));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The text of `b[from, to)`. Pure ASCII (what Terraform writes) decodes faster as Latin-1, to the same string. */
export function decodeJsonText(b: Buffer, from = 0, to = b.length): string {
  return b.toString(isAscii(b.subarray(from, to)) ? 'latin1' : 'utf8', from, to);
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // JSON.parse makes `__proto__` an own property; plain assignment would set the prototype instead.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A member parsed on first read: proved valid already, kept as bytes until someone asks. */
function defineLazy(target: Record<string, unknown>, b: Buffer, cut: Cut): void {
  Object.defineProperty(target, cut.key, {
    enumerable: true,
    configurable: true,
    get() {
      const value: unknown = JSON.parse(decodeJsonText(b, cut.valueStart, cut.valueEnd));
      define(target, cut.key, value);
      return value;
    },
  });
}

/**
 * The plan document in `bytes` with `planned_values` and `prior_state` left unparsed until read, or
 * undefined when the bytes are not laid out as Terraform writes plans (or are not valid JSON): the
 * caller then reads them the ordinary way.
 */
export function parsePlanBytes(bytes: Buffer): Record<string, unknown> | undefined {
  const start = skipWhitespace(bytes, 0);
  if (bytes[start] !== OPEN_OBJECT) return undefined;
  const cuts = proposeCuts(bytes);
  if (!cuts) return undefined;
  const restore: [number, number][] = [];
  try {
    const doc: Record<string, unknown> = {};
    let from = start;
    for (let c = 0; c <= cuts.length; c++) {
      const cut = cuts[c];
      const kind: Stretch = c === 0 ? 'first' : cut === undefined ? 'last' : 'middle';
      const members = parseStretch(bytes, from, cut ? cut.keyStart : bytes.length, kind, restore);
      if (!members) return undefined;
      for (const key of Object.keys(members)) {
        // A second copy of a skipped member would have to win over the first; leave that to JSON.parse.
        if ((SKIPPED as readonly string[]).includes(key)) return undefined;
        define(doc, key, members[key]);
      }
      if (cut) {
        defineLazy(doc, bytes, cut);
        from = cut.valueEnd;
      }
    }
    return doc;
  } finally {
    for (let r = restore.length - 1; r >= 0; r--) bytes[restore[r]![0]] = restore[r]![1];
  }
}
