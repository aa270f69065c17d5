import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, lineColumnAt } from '../../../util/errors.js';
import { isJsonObject } from './body.js';
import { collectExpressionStrings } from './config.js';
import { parseHclFile } from './parser.js';

/**
 * Root variable values from `terraform.tfvars`, `terraform.tfvars.json` and `*.auto.tfvars(.json)`,
 * in Terraform's precedence order (later files win). Environment variables (`TF_VAR_*`) and `-var`
 * flags are not read: a scan must not depend on the shell it runs in.
 */
export interface TfvarsValue {
  json: unknown;
  /** From a .json file: the value is data, never an expression. */
  literal: boolean;
}

export function tfvarsFiles(dir: string): string[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
  const auto = names.filter((n) => /\.auto\.tfvars(\.json)?$/.test(n)).sort();
  return [...['terraform.tfvars', 'terraform.tfvars.json'].filter((n) => names.includes(n)), ...auto];
}

function parseJsonVars(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const where = lineColumnAt(text, at ? Number(at[1]) : text.length);
    throw new InputError('invalid JSON in variables file', file, where.line, where.column);
  }
}

export async function readTfvars(
  dir: string,
  displayDir: string,
  strings: Set<string>,
): Promise<Map<string, TfvarsValue>> {
  const values = new Map<string, TfvarsValue>();
  for (const name of tfvarsFiles(dir)) {
    const file = join(displayDir, name);
    const text = readFileSync(join(dir, name), 'utf8');
    const literal = name.endsWith('.json');
    const doc = literal ? parseJsonVars(text, file) : await parseHclFile(text, file);
    if (!isJsonObject(doc))
      throw new InputError('a variables file must hold an object of name = value', file, 1, 1);
    for (const [key, json] of Object.entries(doc)) {
      values.set(key, { json, literal });
      if (!literal) collectExpressionStrings(json, strings);
    }
  }
  return values;
}
