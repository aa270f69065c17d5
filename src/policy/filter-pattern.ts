/**
 * CloudWatch Logs JSON filter patterns (`{ ($.eventName = X) || ($.eventName = Y) }`), parsed far
 * enough to compare two patterns by meaning rather than by text.
 *
 * The comparison rule (`patternCovers(found, required)`):
 * - Whitespace, redundant parentheses and quoting are ignored (`$.eventName=X` ≡ `($.eventName = "X")`),
 *   and nested `&&`/`||` of the same kind are flattened, so term order never matters.
 * - An `||` group in the found pattern may hold extra terms: it then alerts on more events, which still
 *   covers what is required.
 * - An `&&` group must hold exactly the required terms: an extra condition would narrow the alert.
 * - Values compare exactly (event names are case-sensitive), wildcards literally.
 * A pattern that does not parse covers nothing.
 */
export type PatternNode = { kind: 'term'; text: string } | { kind: 'and' | 'or'; children: PatternNode[] };

/** Deeper nesting than any real pattern: a hostile one must not exhaust the stack. */
const MAX_DEPTH = 64;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private peek(token: string): boolean {
    this.ws();
    return this.s.startsWith(token, this.i);
  }

  private eat(token: string): boolean {
    if (!this.peek(token)) return false;
    this.i += token.length;
    return true;
  }

  parse(): PatternNode | undefined {
    this.ws();
    const braced = this.eat('{');
    const node = this.expr();
    if (!node) return undefined;
    if (braced && !this.eat('}')) return undefined;
    this.ws();
    return this.i === this.s.length ? node : undefined;
  }

  private expr(): PatternNode | undefined {
    return this.list('||', 'or', () => this.list('&&', 'and', () => this.unary()));
  }

  private list(op: string, kind: 'and' | 'or', next: () => PatternNode | undefined): PatternNode | undefined {
    const first = next();
    if (!first) return undefined;
    const children = [first];
    while (this.eat(op)) {
      const n = next();
      if (!n) return undefined;
      children.push(n);
    }
    return children.length === 1 ? first : { kind, children };
  }

  private unary(): PatternNode | undefined {
    if (this.eat('(')) {
      if (++this.depth > MAX_DEPTH) return undefined;
      const inner = this.expr();
      this.depth--;
      return inner && this.eat(')') ? inner : undefined;
    }
    return this.term();
  }

  private term(): PatternNode | undefined {
    this.ws();
    const m = /^\$\.[A-Za-z0-9_.[\]-]+/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    const field = m[0];
    for (const suffix of ['NOT EXISTS', 'IS NULL', 'IS TRUE', 'IS FALSE', 'EXISTS']) {
      if (this.eat(suffix)) return { kind: 'term', text: `${field} ${suffix}` };
    }
    this.ws();
    const op = /^(!=|>=|<=|=|>|<)/.exec(this.s.slice(this.i))?.[0];
    if (!op) return undefined;
    this.i += op.length;
    const value = this.value();
    return value === undefined ? undefined : { kind: 'term', text: `${field} ${op} ${value}` };
  }

  private value(): string | undefined {
    this.ws();
    if (this.s[this.i] === '"') {
      let out = '';
      for (this.i++; this.i < this.s.length; this.i++) {
        const c = this.s[this.i]!;
        if (c === '\\' && this.i + 1 < this.s.length) out += this.s[++this.i];
        else if (c === '"') {
          this.i++;
          return out;
        } else out += c;
      }
      return undefined;
    }
    const m = /^[^\s()&|{}]+/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }
}

function flatten(node: PatternNode): PatternNode {
  if (node.kind === 'term') return node;
  const children: PatternNode[] = [];
  for (const child of node.children.map(flatten)) {
    if (child.kind === node.kind) children.push(...(child as { children: PatternNode[] }).children);
    else children.push(child);
  }
  return { kind: node.kind, children };
}

/** Parses a filter pattern into its normalised tree, or undefined when it is not a JSON pattern. */
export function parseFilterPattern(text: string): PatternNode | undefined {
  if (typeof text !== 'string' || text.length > 10_000) return undefined;
  const node = new Parser(text).parse();
  return node ? flatten(node) : undefined;
}

/** The canonical text of a pattern: terms sorted inside each group, for display and equality. */
export function canonicalPattern(node: PatternNode): string {
  if (node.kind === 'term') return node.text;
  const parts = node.children.map(canonicalPattern).sort();
  return `(${parts.join(node.kind === 'and' ? ' && ' : ' || ')})`;
}

export function patternCovers(found: PatternNode, required: PatternNode): boolean {
  if (required.kind === 'term') return found.kind === 'term' && found.text === required.text;
  if (found.kind !== required.kind) return false;
  const have = (found as { children: PatternNode[] }).children;
  if (required.kind === 'or') return required.children.every((r) => have.some((f) => patternCovers(f, r)));
  if (have.length !== required.children.length) return false;
  const used = new Set<number>();
  return required.children.every((r) => {
    const j = have.findIndex((f, k) => !used.has(k) && patternCovers(f, r));
    if (j < 0) return false;
    used.add(j);
    return true;
  });
}
