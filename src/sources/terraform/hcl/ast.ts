/**
 * The expression syntax tree that `@cdktf/hcl2json`'s `getExpressionAst` returns, checked on the way
 * in so the evaluator works on a typed shape. Node kinds the evaluator does not know evaluate to
 * unknown rather than failing.
 */
export interface AstNode {
  /** '' marks object keys, parentheses and the splat's anonymous symbol. */
  type: string;
  children: AstNode[];
  /** Byte offsets into the expression source (`range` in the library); -1 when absent. */
  start: number;
  end: number;
  meta: Record<string, unknown>;
}

export interface TraversalStep {
  kind: 'name' | 'index';
  /** Attribute name, or the index written as an HCL literal (`0`, `"logs"`). */
  segment: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function byteOf(range: unknown, end: 'start' | 'end'): number {
  if (!isRecord(range)) return -1;
  const marker = range[end];
  return isRecord(marker) && typeof marker.byte === 'number' ? marker.byte : -1;
}

/** Validates the library's JSON into AstNode; undefined when the shape is not a node. */
export function toAstNode(raw: unknown): AstNode | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  const children: AstNode[] = [];
  if (Array.isArray(raw.children)) {
    for (const child of raw.children) {
      const node = toAstNode(child);
      if (node === undefined) return undefined;
      children.push(node);
    }
  }
  return {
    type: raw.type,
    children,
    start: byteOf(raw.range, 'start'),
    end: byteOf(raw.range, 'end'),
    meta: isRecord(raw.meta) ? raw.meta : {},
  };
}

export function metaString(node: AstNode, key: string): string | undefined {
  const v = node.meta[key];
  return typeof v === 'string' ? v : undefined;
}

export function metaBool(node: AstNode, key: string): boolean {
  return node.meta[key] === true;
}

export function traversalOf(node: AstNode): TraversalStep[] {
  const raw = node.meta.traversal;
  if (!Array.isArray(raw)) return [];
  const steps: TraversalStep[] = [];
  for (const part of raw) {
    if (!isRecord(part) || typeof part.segment !== 'string') continue;
    steps.push({ kind: part.type === 'indexTraversal' ? 'index' : 'name', segment: part.segment });
  }
  return steps;
}

/** The source text of a node: `meta.value` where the library gives it, else the byte range. */
export function nodeText(node: AstNode, source: Buffer): string {
  const value = metaString(node, 'value');
  if (value !== undefined) return value;
  if (node.start >= 0 && node.end >= node.start)
    return source.subarray(node.start, node.end).toString('utf8');
  return '';
}

/** The text of a node by byte range only (object keys carry no `meta.value`). */
export function rangeText(node: AstNode, source: Buffer): string {
  if (node.start >= 0 && node.end >= node.start)
    return source.subarray(node.start, node.end).toString('utf8');
  return '';
}
