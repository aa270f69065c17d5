import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';
import { readInputText } from '../util/read-input.js';

/** A YAML file parsed with positions, for errors that point at the line and column of a mistake. */
export interface ParsedFile {
  file: string;
  text: string;
  lines: LineCounter;
  doc: ReturnType<typeof parseDocument>;
}

/** The YAML node (or, for a missing/unknown key, the key itself) at a path of keys and indexes. */
export function nodeAt(
  doc: ParsedFile['doc'],
  path: (string | number)[],
  atKey = false,
): { range?: [number, number, number] | null } | undefined {
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return last as Node;
      if (atKey && i === path.length - 1) return pair.key as Node;
      last = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return last as Node;
      node = item;
    } else {
      return last as Node;
    }
    last = node;
  }
  return node as Node;
}

export function errorAt(parsed: ParsedFile, path: (string | number)[], message: string): InputError {
  // A complaint about a key itself (misspelt, unknown) points at the key, not its value.
  const node = nodeAt(parsed.doc, path, /^unknown (top-level )?(key|option)/.test(message));
  const offset = node?.range?.[0] ?? 0;
  const pos = parsed.lines.linePos(offset);
  return new InputError(message, displayPath(parsed.file), pos.line, pos.col);
}

export function parseYamlFile(file: string, what = 'policy file'): ParsedFile {
  const text = readInputText(file, displayPath(file), what);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new InputError(
      `YAML syntax error: ${first.message.split('\n')[0]}`,
      displayPath(file),
      pos?.line,
      pos?.col,
    );
  }
  return { file, text, lines, doc };
}
