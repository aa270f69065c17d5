import type { InlineSkip } from '../../../model/resource.js';

/**
 * Where blocks sit in a .tf file, and the `# warden:skip=<policy> <reason>` comments that belong to
 * them. hcl2json reports no positions, so this is a lookup on the source text (not a parse): find the
 * block header, then its closing brace while stepping over strings, comments and heredocs.
 */
export interface BlockSpan {
  /** 1-based line of the header. */
  line: number;
  /** Offsets of the header's first character and just past the block's closing brace. */
  start: number;
  end: number;
}

export const DEFAULT_SKIP_REASON = 'skipped inline';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Offsets where each line starts, for line numbers by binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Headers of top-level blocks: a keyword, labels (quoted or bare), then `{`. */
const HEADER =
  /^[ \t]*(resource|data|module|variable|output|provider|locals|terraform|moved|import|check|removed)((?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*)[ \t]*\{/gm;
const LABEL = /"([^"\n]*)"|([A-Za-z_][\w-]*)/g;

function blockKey(keyword: string, labels: readonly string[]): string {
  return [keyword, ...labels].join('\u0000');
}

/** Every top-level block of a file by keyword and labels, in file order, in one pass over the text. */
export function indexBlocks(text: string): Map<string, BlockSpan[]> {
  const starts = lineStarts(text);
  const index = new Map<string, BlockSpan[]>();
  for (const m of text.matchAll(HEADER)) {
    const labels = [...(m[2] ?? '').matchAll(LABEL)].map((l) => l[1] ?? l[2] ?? '');
    const start = m.index;
    const span = { line: lineOf(starts, start), start, end: blockEnd(text, start + m[0].length - 1) };
    const key = blockKey(m[1] ?? '', labels);
    index.set(key, [...(index.get(key) ?? []), span]);
  }
  return index;
}

/** The `keyword "label" … {` blocks with these labels, in file order. */
export function findBlocks(
  text: string,
  keyword: string,
  labels: readonly string[],
  index: Map<string, BlockSpan[]> = indexBlocks(text),
): BlockSpan[] {
  return index.get(blockKey(keyword, labels)) ?? [];
}

const HEREDOC = /<<-?([A-Za-z_][\w-]*)\r?\n/y;

/** Offset just past the brace that closes the one at `open`. */
export function blockEnd(text: string, open: number): number {
  const stack: ('{' | '"' | '${')[] = ['{'];
  let i = open + 1;
  while (i < text.length && stack.length > 0) {
    const c = text[i];
    if (stack.at(-1) === '"') {
      if (c === '\\') i += 2;
      else if (c === '"') {
        stack.pop();
        i++;
      } else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) i += 3;
      else if (text.startsWith('${', i) || text.startsWith('%{', i)) {
        stack.push('${');
        i += 2;
      } else i++;
      continue;
    }
    if (c === '#' || text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '"') {
      stack.push('"');
      i++;
    } else if (c === '<' && text.startsWith('<<', i)) {
      HEREDOC.lastIndex = i;
      const m = HEREDOC.exec(text);
      if (!m) {
        i += 2;
        continue;
      }
      const closing = new RegExp(`^[ \\t]*${escapeRegExp(m[1] ?? '')}[ \\t]*$`, 'm');
      const rest = text.slice(HEREDOC.lastIndex);
      const found = closing.exec(rest);
      i = found ? HEREDOC.lastIndex + found.index + found[0].length : text.length;
    } else {
      if (c === '{') stack.push('{');
      else if (c === '}') stack.pop();
      i++;
    }
  }
  return i;
}

const SKIP_COMMENT = /(?:#|\/\/|\/\*)\s*warden:skip=(\S+)(.*)$/;

function skipsOnLine(line: string): InlineSkip[] {
  const m = SKIP_COMMENT.exec(line);
  if (!m) return [];
  const reason = (m[2] ?? '').replace(/\*\/\s*$/, '').trim() || DEFAULT_SKIP_REASON;
  return (m[1] ?? '')
    .replace(/\*\/$/, '')
    .split(',')
    .filter((id) => id !== '')
    .map((policy) => ({ policy, reason }));
}

function isCommentLine(line: string): boolean {
  const t = line.trim();
  return t.startsWith('#') || t.startsWith('//') || t.startsWith('/*') || t.startsWith('*');
}

/** Skips written in the comment lines directly above the header, then those inside the block. */
export function inlineSkips(text: string, span: BlockSpan): InlineSkip[] {
  const before = text.slice(0, span.start).split('\n');
  before.pop(); // the header line's own indentation
  const above: string[] = [];
  for (let i = before.length - 1; i >= 0 && isCommentLine(before[i] ?? ''); i--)
    above.unshift(before[i] ?? '');
  const inside = text.slice(span.start, span.end).split('\n');
  return [...above, ...inside].flatMap(skipsOnLine);
}
