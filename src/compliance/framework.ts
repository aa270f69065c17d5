import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { errorAt, nodeAt, PACKS_DIR, type ParsedFile, parseYamlFile } from '../policy/load.js';
import { didYouMean } from '../policy/spec-error.js';
import { displayPath } from '../util/display-path.js';
import { InputError } from '../util/errors.js';

/** Built-in framework data: one YAML file per framework, named after its id. */
export const FRAMEWORKS_DIR = join(PACKS_DIR, 'frameworks');

const ID = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().min(1, 'must not be empty').max(64));
const POLICY_ID = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'a policy id is lower-case letters, digits, ".", "_" or "-"');

const requirementSchema = z
  .object({
    id: ID,
    title: z.string().min(1),
    section: ID.optional(),
    description: z.string().optional(),
    policies: z.array(POLICY_ID).default([]),
    manual: z.string().optional(),
    level: z.string().optional(),
    assessment: z.enum(['automated', 'manual']).optional(),
  })
  .strict();

const frameworkSchema = z
  .object({
    framework: z
      .object({
        id: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._-]*$/, 'id must be lower-case letters, digits, ".", "_" or "-"'),
        title: z.string().min(1),
        version: ID.optional(),
        description: z.string().optional(),
      })
      .strict(),
    sections: z.array(z.object({ id: ID, title: z.string().min(1) }).strict()).optional(),
    requirements: z.array(requirementSchema).min(1, 'a framework needs at least one requirement'),
  })
  .strict();

const KEYS: Record<string, readonly string[]> = {
  top: ['framework', 'sections', 'requirements'],
  framework: ['id', 'title', 'version', 'description'],
  requirement: Object.keys(requirementSchema.shape),
  section: ['id', 'title'],
};

export interface Requirement {
  id: string;
  title: string;
  section: string;
  description?: string;
  /** Policy ids named by the framework file (policies may also name the requirement themselves). */
  policies: string[];
  /** What a person checks when no automated policy decides the requirement. */
  manual?: string;
  level?: string;
  /** The standard's own assessment status (CIS: Automated or Manual), for information. */
  assessment?: 'automated' | 'manual';
  /** Where the requirement is defined, for warnings. */
  line: number;
}

export interface Framework {
  id: string;
  title: string;
  version: string;
  description: string;
  sections: { id: string; title: string }[];
  requirements: Requirement[];
  file: string;
  builtIn: boolean;
}

function keysFor(path: (string | number)[]): readonly string[] {
  if (path.length === 0) return KEYS.top!;
  if (path[0] === 'framework') return KEYS.framework!;
  if (path[0] === 'requirements') return KEYS.requirement!;
  if (path[0] === 'sections') return KEYS.section!;
  return [];
}

function issueError(parsed: ParsedFile, issue: z.core.$ZodIssue): InputError {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return errorAt(parsed, [...path, key], `unknown key "${key}"${didYouMean(key, keysFor(path))}`);
  }
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return errorAt(parsed, path.slice(0, -1), `missing required key "${String(path.at(-1))}"`);
  return errorAt(parsed, path, `${path.join('.') || 'framework'}: ${issue.message}`);
}

/**
 * Reads one framework file, validated whole: any mistake is an InputError with file:line:column,
 * like a policy file. Requirement ids must be unique and sections, when listed, must be declared.
 */
export function readFrameworkFile(file: string, builtIn = false): Framework {
  const parsed = parseYamlFile(file, 'framework file');
  const data: unknown = parsed.doc.toJS();
  if (data === null || data === undefined)
    throw new InputError('framework file is empty', displayPath(file), 1, 1);
  const r = frameworkSchema.safeParse(data, { reportInput: true });
  if (!r.success) {
    const issue = r.error.issues.find((x) => x.code === 'unrecognized_keys') ?? r.error.issues[0]!;
    throw issueError(parsed, issue);
  }
  const doc = r.data;
  const declared = doc.sections?.map((s) => s.id);
  const seen = new Set<string>();
  const requirements = doc.requirements.map((req, i): Requirement => {
    if (seen.has(req.id))
      throw errorAt(parsed, ['requirements', i, 'id'], `duplicate requirement id "${req.id}"`);
    seen.add(req.id);
    const section = req.section ?? '';
    if (declared && req.section !== undefined && !declared.includes(section)) {
      throw errorAt(
        parsed,
        ['requirements', i, 'section'],
        `section "${section}" is not declared under "sections"${didYouMean(section, declared)}`,
      );
    }
    const node = nodeAt(parsed.doc, ['requirements', i]);
    const line = parsed.lines.linePos(node?.range?.[0] ?? 0).line;
    return {
      id: req.id,
      title: req.title,
      section,
      policies: [...new Set(req.policies)],
      line,
      ...(req.description !== undefined ? { description: req.description } : {}),
      ...(req.manual !== undefined ? { manual: req.manual } : {}),
      ...(req.level !== undefined ? { level: req.level } : {}),
      ...(req.assessment !== undefined ? { assessment: req.assessment } : {}),
    };
  });
  const used = [...new Set(requirements.map((q) => q.section))];
  const sections = doc.sections ?? used.map((id) => ({ id, title: id === '' ? 'Requirements' : id }));
  return {
    id: doc.framework.id,
    title: doc.framework.title,
    version: doc.framework.version ?? '',
    description: doc.framework.description ?? '',
    sections,
    requirements,
    file: displayPath(file),
    builtIn,
  };
}

/** Ids of the frameworks shipped with Warden. */
export function builtInFrameworkIds(): string[] {
  return readdirSync(FRAMEWORKS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/**
 * The framework a command asks for: `id` among the built-ins and the user's `--framework-file`s.
 * With only a file, its framework is used. Unknown ids get the list and a suggestion.
 */
export function resolveFramework(id: string | undefined, files: readonly string[] = []): Framework {
  const custom = files.map((f) => readFrameworkFile(f));
  if (id === undefined) {
    if (custom.length === 1) return custom[0]!;
    throw new InputError(
      custom.length === 0
        ? `--framework is required (built-in: ${builtInFrameworkIds().join(', ')})`
        : '--framework is required to choose among several --framework-file',
    );
  }
  const own = custom.find((f) => f.id === id);
  if (own) return own;
  const builtIns = builtInFrameworkIds();
  if (builtIns.includes(id)) return readFrameworkFile(join(FRAMEWORKS_DIR, `${id}.yaml`), true);
  const known = [...builtIns, ...custom.map((f) => f.id)];
  throw new InputError(`unknown framework "${id}"${didYouMean(id, known)} (available: ${known.join(', ')})`);
}
