/**
 * Validates one JSON value in UTF-8 bytes without building it, and returns where it ends. Used to step
 * over the parts of a large document nobody reads (a Terraform plan's `planned_values`), at a fraction
 * of JSON.parse's cost and with no garbage. It checks the full grammar (string escapes and control
 * characters, numbers, literals, bracket pairing), so a value it accepts is one JSON.parse accepts.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;

/** Deeper values are left to JSON.parse; nothing Terraform writes comes close. */
const MAX_DEPTH = 1024;

function table(chars: string | number[]): Uint8Array {
  const t = new Uint8Array(256);
  for (const c of chars) t[typeof c === 'number' ? c : c.charCodeAt(0)] = 1;
  return t;
}

export const JSON_WHITESPACE = table([0x20, 0x09, 0x0a, 0x0d]);
const DIGIT = table('0123456789');
const HEX = table('0123456789abcdefABCDEF');
const ESCAPE = table('"\\/bfnrt');
/** Bytes that may appear as themselves inside a string: not a quote, backslash or control character. */
const PLAIN = new Uint8Array(256).fill(1);
PLAIN.fill(0, 0, 0x20);
PLAIN[QUOTE] = 0;
PLAIN[BACKSLASH] = 0;

/** Index after the string whose opening quote is at `i`, or -1. */
function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  let j = i + 1;
  for (;;) {
    while (j < n && PLAIN[b[j]!] === 1) j++;
    if (j >= n) return -1;
    const c = b[j]!;
    if (c === QUOTE) return j + 1;
    if (c !== BACKSLASH) return -1;
    const e = b[j + 1] ?? 0;
    if (ESCAPE[e] === 1) j += 2;
    else if (
      e === 0x75 &&
      HEX[b[j + 2] ?? 0] &&
      HEX[b[j + 3] ?? 0] &&
      HEX[b[j + 4] ?? 0] &&
      HEX[b[j + 5] ?? 0]
    )
      j += 6;
    else return -1;
  }
}

/** Index after the number starting at `i`, or -1. */
function skipNumber(b: Uint8Array, i: number): number {
  const n = b.length;
  let j = i;
  if (b[j] === MINUS) j++;
  if (b[j] === 0x30) j++;
  else if (j < n && DIGIT[b[j]!] === 1) while (j < n && DIGIT[b[j]!] === 1) j++;
  else return -1;
  if (b[j] === 0x2e) {
    const k = ++j;
    while (j < n && DIGIT[b[j]!] === 1) j++;
    if (j === k) return -1;
  }
  if (b[j] === 0x65 || b[j] === 0x45) {
    j++;
    if (b[j] === 0x2b || b[j] === MINUS) j++;
    const k = j;
    while (j < n && DIGIT[b[j]!] === 1) j++;
    if (j === k) return -1;
  }
  return j;
}

function skipWord(b: Uint8Array, i: number, word: readonly number[]): number {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}
const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

export function skipWhitespace(b: Uint8Array, i: number): number {
  while (i < b.length && JSON_WHITESPACE[b[i]!] === 1) i++;
  return i;
}

/**
 * The index just after the JSON value that starts at `start` (no leading whitespace), or -1 when the
 * bytes from there do not begin with one complete, valid value.
 */
export function skipJsonValue(b: Uint8Array, start: number): number {
  const n = b.length;
  // Containers open at each depth: 1 object, 2 array.
  const stack = new Uint8Array(MAX_DEPTH + 1);
  let depth = 0;
  let i = start;
  // Entering a value (false) or just after an opening bracket, where the closing one may follow (true).
  let opened = false;
  for (;;) {
    let c = b[i] ?? 0;
    if (opened && (c === CLOSE_OBJECT || c === CLOSE_ARRAY)) {
      if (c !== (stack[depth] === 1 ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1;
      depth--;
      i++;
    } else {
      if (opened || depth > 0) {
        if (stack[depth] === 1) {
          // A member: key, colon, then its value.
          if (c !== QUOTE) return -1;
          i = skipString(b, i);
          if (i < 0) return -1;
          i = skipWhitespace(b, i);
          if (b[i] !== COLON) return -1;
          i = skipWhitespace(b, i + 1);
          c = b[i] ?? 0;
        }
      }
      if (c === QUOTE) i = skipString(b, i);
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (depth === MAX_DEPTH) return -1;
        stack[++depth] = c === OPEN_OBJECT ? 1 : 2;
        i = skipWhitespace(b, i + 1);
        opened = true;
        continue;
      } else if (c === 0x74) i = skipWord(b, i, TRUE);
      else if (c === 0x66) i = skipWord(b, i, FALSE);
      else if (c === 0x6e) i = skipWord(b, i, NULL);
      else i = skipNumber(b, i);
      if (i < 0) return -1;
    }
    // After a complete value: done at depth 0, else a comma or the container's closing bracket.
    for (;;) {
      if (depth === 0) return i;
      i = skipWhitespace(b, i);
      if (i >= n) return -1;
      const d = b[i]!;
      if (d === COMMA) {
        i = skipWhitespace(b, i + 1);
        opened = false;
        break;
      }
      if (d !== (stack[depth] === 1 ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1;
      depth--;
      i++;
    }
  }
}
