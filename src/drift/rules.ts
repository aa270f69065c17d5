import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { PACKS_DIR } from '../policy/load.js';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';
import { readInputText } from '../util/read-input.js';

/**
 * What drift leaves out and which lists keep their order, per resource type, compiled into a trie so
 * the diff walks rules and values together instead of matching patterns at every node.
 */
export interface RuleNode {
  children?: Map<string, RuleNode>;
  /** `*`: applies under every key. */
  any?: RuleNode;
  ignore?: boolean;
  ordered?: boolean;
}

export interface DriftRules {
  byType: Map<string, RuleNode>;
  /** The rules for `*`, also merged into each type's node. */
  all: RuleNode;
}

export const DEFAULT_IGNORE_FILE = join(PACKS_DIR, 'drift-ignore.yaml');

const fileSchema = z
  .object({
    version: z.literal(1).optional(),
    ignore: z.record(z.string(), z.array(z.string().min(1))).optional(),
    ordered: z.record(z.string(), z.array(z.string().min(1))).optional(),
  })
  .strict();

export interface RuleSpec {
  ignore: Record<string, string[]>;
  ordered: Record<string, string[]>;
}

/** `AccessKeys[].LastUsedDate` → ['AccessKeys', '[]', 'LastUsedDate']. */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    const m = /^(.*?)((?:\[\])*)$/.exec(part)!;
    if (m[1]) out.push(m[1]);
    for (let i = 0; i < m[2]!.length / 2; i++) out.push('[]');
  }
  return out;
}

function insert(root: RuleNode, path: string, flag: 'ignore' | 'ordered'): void {
  let node = root;
  for (const seg of pathSegments(path)) {
    if (seg === '*') {
      node.any ??= {};
      node = node.any;
      continue;
    }
    node.children ??= new Map();
    let next = node.children.get(seg);
    if (!next) {
      next = {};
      node.children.set(seg, next);
    }
    node = next;
  }
  node[flag] = true;
}

export function compileRules(specs: readonly RuleSpec[]): DriftRules {
  const paths = new Map<string, { ignore: string[]; ordered: string[] }>();
  for (const spec of specs) {
    for (const flag of ['ignore', 'ordered'] as const) {
      for (const [type, list] of Object.entries(spec[flag])) {
        const entry = paths.get(type) ?? { ignore: [], ordered: [] };
        entry[flag].push(...list);
        paths.set(type, entry);
      }
    }
  }
  const global = paths.get('*') ?? { ignore: [], ordered: [] };
  const build = (entry: { ignore: string[]; ordered: string[] }) => {
    const root: RuleNode = {};
    for (const p of [...global.ignore, ...entry.ignore]) insert(root, p, 'ignore');
    for (const p of [...global.ordered, ...entry.ordered]) insert(root, p, 'ordered');
    return root;
  };
  const byType = new Map<string, RuleNode>();
  for (const [type, entry] of paths) if (type !== '*') byType.set(type, build(entry));
  return { byType, all: build({ ignore: [], ordered: [] }) };
}

export function rulesFor(rules: DriftRules, type: string): RuleNode {
  return rules.byType.get(type) ?? rules.all;
}

export function readRuleFile(file: string): RuleSpec {
  const shown = displayPath(file);
  const text = readInputText(file, shown);
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    const e = err as { message: string; linePos?: { line: number; col: number }[] };
    const pos = e.linePos?.[0];
    throw new InputError(`invalid YAML: ${e.message.split('\n')[0]}`, shown, pos?.line ?? 1, pos?.col ?? 1);
  }
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      `invalid drift ignore file at ${issue.path.join('.') || '(top)'}: ${issue.message} (expected {ignore: {<type>: [path…]}, ordered: {<type>: [path…]}})`,
      shown,
    );
  }
  return { ignore: parsed.data.ignore ?? {}, ordered: parsed.data.ordered ?? {} };
}

/** The built-in list plus the user's files, in that order. */
export function loadDriftRules(extraFiles: readonly string[] = []): DriftRules {
  return compileRules([readRuleFile(DEFAULT_IGNORE_FILE), ...extraFiles.map(readRuleFile)]);
}
