import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import { isObj } from '../../util/narrow.js';
import type { EvalContext } from '../context.js';
import { RESOURCE_TYPES } from '../registry.js';
import { didYouMean, SpecError } from '../spec-error.js';
import { type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, FilterSpec, TypedFilter } from './types.js';

type ValueTest = { text: string; test: (v: string) => boolean };

function stringList(v: unknown, at: (string | number)[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === ''))
    throw new SpecError(at, 'must be a list of tag names');
  return v as string[];
}

/** An allowed value: a literal, or `/regex/` (anchored as written). */
function valueTest(raw: unknown, at: (string | number)[]): ValueTest {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
    throw new SpecError(at, 'an allowed value must be a string (or /regex/)');
  const text = String(raw);
  const m = /^\/(.*)\/$/s.exec(text);
  if (!m) return { text, test: (v) => v === text };
  let re: RegExp;
  try {
    re = new RegExp(m[1]!);
  } catch (err) {
    throw new SpecError(at, `invalid regex: ${(err as Error).message}`);
  }
  return { text, test: (v) => re.test(v) };
}

/**
 * `required-tags`: true when the resource lacks a required tag (`Required`, plus `PerType[type]`) or a
 * tag's value is outside `Allowed[tag]` (literals or `/regex/`). Keys compare exactly, as AWS does.
 */
export const requiredTagsFilter: TypedFilter = {
  name: 'required-tags',
  description: 'mandatory tags are present and their values allowed',
  get resourceTypes() {
    return RESOURCE_TYPES;
  },
  options: ['Required', 'Allowed', 'PerType'],
  compile(spec: FilterSpec, env): CompiledFilter {
    const at = env.at;
    const required = stringList(spec.Required, [...at, 'Required']);
    const perType = new Map<string, string[]>();
    if (spec.PerType !== undefined && spec.PerType !== null) {
      if (!isObj(spec.PerType))
        throw new SpecError([...at, 'PerType'], 'PerType must map resource types to tag lists');
      for (const [type, tags] of Object.entries(spec.PerType)) {
        if (!RESOURCE_TYPES.includes(type))
          throw new SpecError(
            [...at, 'PerType', type],
            `unknown resource type "${type}"${didYouMean(type, RESOURCE_TYPES)}`,
          );
        perType.set(type, stringList(tags, [...at, 'PerType', type]));
      }
    }
    const allowed = new Map<string, ValueTest[]>();
    if (spec.Allowed !== undefined && spec.Allowed !== null) {
      if (!isObj(spec.Allowed))
        throw new SpecError([...at, 'Allowed'], 'Allowed must map tag names to value lists');
      for (const [tag, values] of Object.entries(spec.Allowed)) {
        const list = Array.isArray(values) ? values : [values];
        allowed.set(
          tag,
          list.map((v, i) => valueTest(v, [...at, 'Allowed', tag, ...(Array.isArray(values) ? [i] : [])])),
        );
      }
    }
    if (required.length === 0 && perType.size === 0 && allowed.size === 0)
      throw new SpecError(at, 'required-tags needs Required, PerType or Allowed');
    return {
      paths: ['Tags'],
      evaluate(resource: Resource, ctx: EvalContext): Verdict {
        const undecided = ctx.undecided(['Tags']);
        if (undecided) return undecided;
        const evidence: Evidence[] = [];
        const wanted = [...new Set([...required, ...(perType.get(resource.type) ?? [])])];
        for (const tag of wanted) {
          const value = resource.tags[tag];
          if (value === undefined || value.trim() === '')
            evidence.push({ path: `tag:${tag}`, note: `tag ${tag} is missing` });
        }
        for (const [tag, tests] of allowed) {
          const value = resource.tags[tag];
          if (value === undefined || tests.some((t) => t.test(value))) continue;
          evidence.push({
            path: `tag:${tag}`,
            value,
            note: `tag ${tag}=${value} is not one of ${tests.map((t) => t.text).join(', ')}`,
          });
        }
        return verdict(evidence.length > 0, evidence);
      },
    };
  },
};
