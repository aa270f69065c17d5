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
 *
 * `resource_changes` is parsed in runs (ChangeRuns), each proved by its own parse as it is read; a run
 * that fails throws PlanBytesMismatch, and a document is only used once planBytesVerified says every
 * run was proved, so the same guarantee holds.
 */

/**
 * `resource_changes` is read in runs of about this many bytes, each translated before the next is
 * parsed: a change's masks and `before` then die young instead of being copied into the old
 * generation with everything else.
 */
const RUN_BYTES = 1 << 20;
/** Where Terraform separates two changes; a guess to be proved by parsing, like the member keys. */
const CHANGE_SEPARATOR = Buffer.from('},{"address":');
/** A run whose end guess was wrong is extended this many times before the plan is read whole. */
const MAX_EXTENSIONS = 24;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

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
  /** For `resource_changes`: the offsets of the commas the runs are split at (see ChangeRuns). */
  splits?: number[];
}

/**
 * The thrown signal that the bytes are not laid out as the fast path assumed (a run of changes did
 * not parse): the caller reads the file the ordinary way, which reports real syntax errors.
 */
export class PlanBytesMismatch extends Error {
  constructor() {
    super('plan bytes not as expected; reading the whole text');
    this.name = 'PlanBytesMismatch';
  }
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
function proposeCuts(b: Buffer, runBytes: number): Cut[] | undefined {
  const head = b.subarray(0, Math.min(b.length, HEAD_WINDOW));
  const pvAt = head.indexOf('"planned_values"');
  if (pvAt < 0) return undefined;
  const planned = cutAt(b, 'planned_values', pvAt);
  if (!planned) return undefined;
  const cuts = [planned];
  const psAt = b.lastIndexOf('"prior_state"');
  let prior: Cut | undefined;
  if (psAt >= planned.valueEnd) {
    prior = cutAt(b, 'prior_state', psAt);
    if (!prior) return undefined;
  }
  const rcAt = b.indexOf('"resource_changes"', planned.valueEnd);
  // Separators are only looked for up to the next member Terraform writes that has them too.
  // Without `prior_state` (a plan that only creates) that is `configuration`; the search for it runs
  // over all the changes, so it is only made then.
  let bound = prior?.keyStart ?? b.length;
  if (!prior && rcAt >= 0) {
    const configAt = b.indexOf('"configuration":{', rcAt);
    if (configAt >= 0) bound = configAt;
  }
  const changes = rcAt >= 0 && rcAt < bound ? changesCut(b, rcAt, bound, runBytes) : undefined;
  if (changes && (!prior || changes.valueEnd <= prior.keyStart)) cuts.push(changes);
  if (prior) cuts.push(prior);
  return cuts;
}

/**
 * `resource_changes` split into runs at separators found by search, and its closing bracket guessed:
 * right before the member that bounds the search (`],"prior_state"` or `],"configuration"`), else
 * before `"output_changes"`. Nothing here is trusted: the last run only parses if the guessed bracket
 * really closes the list, and every other run proves its own end (ChangeRuns). Undefined when the
 * layout is not the expected one: the member is then parsed with its neighbours.
 */
function changesCut(b: Buffer, at: number, bound: number, runBytes: number): Cut | undefined {
  const afterKey = skipWhitespace(b, at + '"resource_changes"'.length);
  if (b[afterKey] !== COLON) return undefined;
  const open = skipWhitespace(b, afterKey + 1);
  if (b[open] !== OPEN_ARRAY) return undefined;
  let close = lastNonSpace(b, open + 1, bound);
  if (b[close] === COMMA) close = lastNonSpace(b, open + 1, close);
  if (b[close] !== CLOSE_ARRAY) {
    const outputs = b.subarray(0, bound).indexOf('],"output_changes":', open);
    if (outputs < 0) return undefined;
    close = outputs;
  }
  const splits: number[] = [];
  for (let from = open + runBytes; from < close; ) {
    const found = b.subarray(0, close).indexOf(CHANGE_SEPARATOR, from);
    if (found < 0) break;
    splits.push(found + 1);
    from = found + runBytes;
  }
  return { key: 'resource_changes', keyStart: at, valueStart: open, valueEnd: close + 1, splits };
}

/**
 * The elements of `resource_changes`, parsed a run at a time. A run is the bytes between two split
 * commas, parsed as `[run]`: success proves the run is whole elements, so its end comma separates
 * elements of the list itself (JSON has one parse). A run that does not parse (its end was a separator
 * inside a change) is extended to the next separator, then to ever longer runs; one that still does
 * not parse throws PlanBytesMismatch.
 */
class ChangeRuns {
  private start: number;
  private next = 0;
  private failed = false;
  /** Runs handed out one at a time (`take`) or all at once (the member's getter), not both. */
  started = false;

  constructor(
    private readonly b: Buffer,
    private readonly cut: Cut,
  ) {
    this.start = cut.valueStart;
  }

  get done(): boolean {
    return this.start === this.cut.valueEnd - 1;
  }

  /** The next run's elements, or undefined after the last. */
  take(): unknown[] | undefined {
    if (this.failed) throw new PlanBytesMismatch();
    if (this.done) return undefined;
    this.started = true;
    const { b } = this;
    const splits = this.cut.splits ?? [];
    const close = this.cut.valueEnd - 1;
    let end = this.next < splits.length ? splits[this.next]! : close;
    for (let extended = 0; ; extended++) {
      const run = this.parseRun(end);
      if (run) {
        this.start = end;
        while (this.next < splits.length && splits[this.next]! <= end) this.next++;
        return run;
      }
      if (end === close || extended === MAX_EXTENSIONS) break;
      // The guessed end was inside a change: try the next separator, then ever longer runs.
      const from = extended < MAX_EXTENSIONS / 2 ? end + 1 : end + (end - this.start);
      const found = from < close ? b.subarray(0, close).indexOf(CHANGE_SEPARATOR, from) : -1;
      end = found < 0 ? close : found + 1;
    }
    this.failed = true;
    throw new PlanBytesMismatch();
  }

  /** `[start, end]` parsed as a list (its separators turned into brackets for the parse), or undefined. */
  private parseRun(end: number): unknown[] | undefined {
    const { b, start } = this;
    const first = b[start]!;
    const last = b[end]!;
    b[start] = OPEN_ARRAY;
    b[end] = CLOSE_ARRAY;
    try {
      const run: unknown = JSON.parse(decodeJsonText(b, start, end + 1));
      return Array.isArray(run) ? run : undefined;
    } catch {
      return undefined;
    } finally {
      b[start] = first;
      b[end] = last;
    }
  }

  /** Every element left, in one list. */
  all(): unknown[] {
    const out: unknown[] = [];
    for (let run = this.take(); run; run = this.take()) for (const e of run) out.push(e);
    return out;
  }

  /** Parses (and drops) what has not been taken: true when the whole list proved to be elements. */
  verifyRest(): boolean {
    try {
      while (this.take());
      return true;
    } catch (err) {
      if (err instanceof PlanBytesMismatch) return false;
      throw err;
    }
  }
}

const RUNS = Symbol('resource_changes runs');

/** The runs of a plan read by parsePlanBytes whose `resource_changes` nobody has read yet. */
export function changeRuns(doc: Record<string, unknown>): { take(): unknown[] | undefined } | undefined {
  const runs = (doc as { [RUNS]?: ChangeRuns })[RUNS];
  return runs && !runs.started && Object.getOwnPropertyDescriptor(doc, 'resource_changes')?.get
    ? runs
    : undefined;
}

/**
 * True once every byte of a document from parsePlanBytes has proved to be what it was taken for
 * (parsing what is left of `resource_changes` if need be); always true for other documents. A reader
 * must not use a document for which this is false.
 */
export function planBytesVerified(doc: unknown): boolean {
  const runs = (doc as { [RUNS]?: ChangeRuns } | null)?.[RUNS];
  return runs === undefined || runs.verifyRest();
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

/**
 * A member parsed on first read: kept as bytes until someone asks. A skipped member is proved valid
 * already; `resource_changes` is proved run by run as it is parsed.
 */
function defineLazy(target: Record<string, unknown>, b: Buffer, cut: Cut): void {
  const runs = cut.splits ? new ChangeRuns(b, cut) : undefined;
  if (runs) Object.defineProperty(target, RUNS, { value: runs, enumerable: false });
  Object.defineProperty(target, cut.key, {
    enumerable: true,
    configurable: true,
    get() {
      if (runs?.started) throw new Error('internal: resource_changes is being read run by run');
      const value: unknown = runs ? runs.all() : JSON.parse(decodeJsonText(b, cut.valueStart, cut.valueEnd));
      define(target, cut.key, value);
      return value;
    },
  });
}

/**
 * The plan document in `bytes` with `planned_values` and `prior_state` left unparsed until read, or
 * undefined when the bytes are not laid out as Terraform writes plans (or are not valid JSON): the
 * caller then reads them the ordinary way. `resource_changes` comes in runs of about `runBytes` (see
 * changeRuns); the document may be used only when planBytesVerified says so.
 */
export function parsePlanBytes(bytes: Buffer, runBytes = RUN_BYTES): Record<string, unknown> | undefined {
  const start = skipWhitespace(bytes, 0);
  if (bytes[start] !== OPEN_OBJECT) return undefined;
  const cuts = proposeCuts(bytes, runBytes);
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
        // A second copy of a cut member would have to win over the first; leave that to JSON.parse.
        if (cuts.some((c) => c.key === key)) return undefined;
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
