import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { InputError, lineColumnAt } from '../../util/errors.js';
import { type Pos, Positions } from './positions.js';
import { CFN_YAML_TAGS, longFormOf } from './tags.js';

export interface ParsedText {
  /** The template as plain data; short forms are rewritten to their long (JSON) form. */
  root: unknown;
  positions: Positions;
}

/** Sets a key without ever touching the prototype (`__proto__` is a legal template key). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Parses a YAML or JSON template. JSON goes through the YAML parser too (JSON is a subset of YAML
 * 1.2), so both get positions; JSON the YAML parser rejects falls back to `JSON.parse` with
 * positions for resource keys found by a text search.
 */
export function parseTemplateText(text: string, file: string): ParsedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    customTags: CFN_YAML_TAGS,
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const firstError = doc.errors[0];
  if (firstError) {
    const json = text.trimStart().startsWith('{') ? tryJson(text) : undefined;
    if (json) return json;
    const at = lineCounter.linePos(firstError.pos[0]);
    throw new InputError(`invalid template: ${firstLine(firstError.message)}`, file, at.line, at.col);
  }
  const positions = new Positions();
  const root = new Converter(doc, lineCounter, positions, file).convert(doc.contents, 0);
  return { root, positions };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\s+at line \d+, column \d+:?$/, '');
}

// Deep alias chains are legal YAML but a template never needs them; the cap stops alias bombs.
const MAX_DEPTH = 200;

class Converter {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly positions: Positions,
    private readonly file: string,
  ) {}

  private pos(offset: number | undefined): Pos {
    const at = this.lines.linePos(offset ?? 0);
    return { line: at.line, column: at.col };
  }

  convert(node: unknown, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new InputError('template nests too deeply', this.file);
    if (isAlias(node)) return this.convert(node.resolve(this.doc), depth + 1);
    if (node === null || node === undefined) return null;
    let value: unknown;
    let tag: string | undefined;
    let start: number | undefined;
    if (isScalar(node)) {
      value = scalarValue(node.value, node.source);
      tag = node.tag;
      start = node.range?.[0];
    } else if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key;
        if (!isScalar(keyNode) || typeof keyNode.value === 'object') {
          const at = this.pos(
            isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? keyNode.range?.[0] : node.range?.[0],
          );
          throw new InputError('mapping keys must be plain scalars', this.file, at.line, at.column);
        }
        const key = String(keyNode.value);
        setOwn(out, key, this.convert(pair.value, depth + 1));
        this.positions.setKey(out, key, this.pos(keyNode.range?.[0]));
      }
      value = out;
      tag = node.tag;
      start = node.range?.[0];
      this.positions.setNode(out, this.pos(start));
    } else if (isSeq(node)) {
      const out = node.items.map((item) => this.convert(item, depth + 1));
      value = out;
      tag = node.tag;
      start = node.range?.[0];
      this.positions.setNode(out, this.pos(start));
    } else {
      return null;
    }
    const longForm = tag ? longFormOf(tag) : undefined;
    if (!longForm) return value;
    const wrapped: Record<string, unknown> = {};
    setOwn(wrapped, longForm, value);
    // The tag is written just before its value; the value's start is close enough for messages.
    this.positions.setNode(wrapped, this.pos(start));
    return wrapped;
  }
}

/**
 * CloudFormation treats scalars as strings; a number whose text would change by re-printing
 * (`012345678901`, `1.50`, `0x1F`) keeps its text so account ids and versions survive.
 */
function scalarValue(value: unknown, source: string | undefined): unknown {
  if (typeof value === 'number' && source !== undefined && String(value) !== source) return source;
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  return source ?? String(value);
}

function tryJson(text: string): ParsedText | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  const positions = new Positions();
  const resources =
    typeof root === 'object' && root !== null ? (root as Record<string, unknown>).Resources : undefined;
  if (typeof resources === 'object' && resources !== null && !Array.isArray(resources)) {
    const from = Math.max(0, text.indexOf('"Resources"'));
    for (const key of Object.keys(resources)) {
      const offset = text.indexOf(JSON.stringify(key), from);
      if (offset >= 0) {
        const at = lineColumnAt(text, offset);
        positions.setKey(resources, key, { line: at.line, column: at.column });
      }
    }
  }
  return { root, positions };
}
