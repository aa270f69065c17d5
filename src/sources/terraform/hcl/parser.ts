import { basename } from 'node:path';
import { InputError } from '../../../util/errors.js';
import { type AstNode, toAstNode } from './ast.js';

/**
 * The bridge to `@cdktf/hcl2json` (HashiCorp's HCL parser compiled to WASM). Loaded on first use:
 * the WASM start-up costs ~300 ms, which scans without Terraform sources should not pay.
 */
interface Hcl2Json {
  parse(filename: string, contents: string): Promise<unknown>;
  getExpressionAst(filename: string, expression: string): Promise<unknown>;
}

let bridge: Promise<Hcl2Json> | undefined;

function loadBridge(): Promise<Hcl2Json> {
  bridge ??= import('@cdktf/hcl2json').then((m) => ({
    parse: (filename, contents) => m.parse(filename, contents),
    getExpressionAst: (filename, expression) => m.getExpressionAst(filename, expression),
  }));
  return bridge;
}

/** `main.tf:12,3-4: Invalid character; This character is not used within the language.` */
const DIAGNOSTIC = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^;\]]+?)(?:; (.*?))?(?=(?:,? \S+:\d+,\d+[-:])|\]?$)/;

/** One clear line from the parser's diagnostic list, with its line and column. */
export function syntaxError(message: string, file: string): InputError {
  const firstLine = message.split('\n')[0] ?? message;
  const m = DIAGNOSTIC.exec(firstLine);
  if (!m) return new InputError(`invalid HCL: ${firstLine.replace(/^parse config: \[?|\]$/g, '')}`, file);
  const detail = (m[4] ?? '').replace(/\.$/, '').trim();
  const text = detail ? `${m[3]}: ${detail}` : (m[3] ?? 'syntax error');
  return new InputError(text, file, Number(m[1]), Number(m[2]));
}

/** Parses one HCL file (a .tf or .tfvars) into hcl2json's JSON form. Syntax errors become InputError. */
export async function parseHclFile(text: string, displayFile: string): Promise<Record<string, unknown>> {
  const hcl = await loadBridge();
  // The parser only uses the name in diagnostics; a bare name keeps them easy to read back.
  const name = basename(displayFile).replace(/\s/g, '_') || 'input.tf';
  let parsed: unknown;
  try {
    parsed = await hcl.parse(name, text);
  } catch (err) {
    throw syntaxError(err instanceof Error ? err.message : String(err), displayFile);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError('invalid HCL: the parser returned no document', displayFile);
  }
  return parsed as Record<string, unknown>;
}

/** The syntax tree of one expression, or undefined when it does not parse. */
export async function parseExpression(expression: string): Promise<AstNode | undefined> {
  const hcl = await loadBridge();
  try {
    return toAstNode(await hcl.getExpressionAst('expression.tf', expression));
  } catch {
    return undefined;
  }
}
