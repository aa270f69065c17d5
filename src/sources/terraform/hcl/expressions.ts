import type { AstNode } from './ast.js';
import { parseExpression } from './parser.js';

/**
 * hcl2json gives every attribute as JSON; anything that is not a constant comes back as a string in
 * template syntax: `"${merge(local.tags, { Name = \"x\" })}"` or `"edge-${count.index}"`. This cache
 * turns those strings into syntax trees, once each, before evaluation starts.
 */
export interface CompiledExpression {
  node: AstNode;
  /** The text the tree's byte ranges point into. */
  source: Buffer;
  /** The root is a heredoc this module wrapped around a template: backslashes are literal, and the
   *  heredoc's closing newline is not part of the value. */
  heredocRoot: boolean;
}

/** True for an hcl2json string that carries an interpolation or directive (or their escapes). */
export function needsEvaluation(text: string): boolean {
  return text.includes('${') || text.includes('%{');
}

function heredocDelimiter(text: string): string {
  let delimiter = 'WARDEN_EOT';
  while (text.includes(delimiter)) delimiter += '_';
  return delimiter;
}

/**
 * A whole-string interpolation keeps its value's type (`"${local.tags}"` is a map), so it is parsed as
 * the bare inner expression. Anything else is a string template; it is wrapped in a heredoc because
 * hcl2json has already unescaped its literal text (quotes, newlines), which a heredoc takes as is.
 */
export async function compileTemplateString(text: string): Promise<CompiledExpression | undefined> {
  if (text.startsWith('${') && text.endsWith('}')) {
    const inner = text.slice(2, -1);
    // When the first `${` closes early ("${a}-${b}") the inner text does not parse; fall through.
    const node = await parseExpression(inner);
    if (node) return { node, source: Buffer.from(inner, 'utf8'), heredocRoot: false };
  }
  const delimiter = heredocDelimiter(text);
  const wrapped = `<<${delimiter}\n${text}\n${delimiter}\n`;
  const node = await parseExpression(wrapped);
  return node ? { node, source: Buffer.from(wrapped, 'utf8'), heredocRoot: true } : undefined;
}

export class ExpressionCache {
  private readonly strings = new Map<string, CompiledExpression | null>();
  private readonly templates = new Map<string, CompiledExpression | null>();
  private readonly pendingStrings = new Set<string>();
  private readonly pendingTemplates = new Map<string, string>();

  /** The compiled form; null when it does not parse; undefined when not compiled yet (queued). */
  lookup(text: string): CompiledExpression | null | undefined {
    const hit = this.strings.get(text);
    if (hit === undefined) this.pendingStrings.add(text);
    return hit;
  }

  /** A template file's compiled form by absolute path, queued with its text when not compiled yet. */
  lookupTemplate(path: string, readText: () => string): CompiledExpression | null | undefined {
    const hit = this.templates.get(path);
    if (hit === undefined && !this.pendingTemplates.has(path)) this.pendingTemplates.set(path, readText());
    return hit;
  }

  async compile(texts: Iterable<string>): Promise<void> {
    for (const text of texts) {
      if (this.strings.has(text)) continue;
      // Sequential on purpose: the WASM bridge serves one call at a time anyway.
      this.strings.set(text, (await compileTemplateString(text)) ?? null);
    }
  }

  /** Compiles what evaluation asked for and did not find; true when anything new was compiled. */
  async flushPending(): Promise<boolean> {
    const strings = [...this.pendingStrings].filter((s) => !this.strings.has(s));
    const templates = [...this.pendingTemplates].filter(([path]) => !this.templates.has(path));
    this.pendingStrings.clear();
    this.pendingTemplates.clear();
    await this.compile(strings);
    for (const [path, text] of templates) {
      // A template file is always a string template, even when it is a single interpolation.
      const delimiter = heredocDelimiter(text);
      const wrapped = `<<${delimiter}\n${text}\n${delimiter}\n`;
      const node = await parseExpression(wrapped);
      this.templates.set(
        path,
        node ? { node, source: Buffer.from(wrapped, 'utf8'), heredocRoot: true } : null,
      );
    }
    return strings.length > 0 || templates.length > 0;
  }
}
