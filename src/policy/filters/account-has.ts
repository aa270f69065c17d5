import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import { isObj } from '../../util/narrow.js';
import { parsePath, readPath } from '../../util/path.js';
import { compileFilter } from '../compile.js';
import { EvalContext } from '../context.js';
import { RESOURCE_TYPES } from '../registry.js';
import { didYouMean, SpecError } from '../spec-error.js';
import { anyOf, type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, CompileEnv, FilterSpec, TypedFilter } from './types.js';

const SCOPES = ['account', 'region'] as const;

/**
 * `account-has`: true when the resource's account holds at least one resource of type `resource`
 * that satisfies every filter in `where`. Answers account-wide "exists" questions (a logging
 * multi-region trail, a support role) from any resource of the account, usually `aws.iam.account`.
 *
 * - `scope: region` restricts the lookup to the resource's own region.
 * - `match: {ThisPath: RelatedPath}` turns "exists" into "the referenced one": only related resources
 *   whose RelatedPath equals this resource's ThisPath are considered, and when none is in the
 *   inventory the answer is `unknown` (it may live in another account), never a silent pass.
 * - Undecided related resources (unreadable paths) make the answer `error`/`unknown` unless another
 *   related resource decides it, as for `or`.
 */
export const accountHasFilter: TypedFilter = {
  name: 'account-has',
  description: 'the same account (or region) has a resource of a type that satisfies nested filters',
  // A getter: registry.ts lists this filter, so its constants are not initialised yet at import time.
  get resourceTypes() {
    return RESOURCE_TYPES;
  },
  options: ['resource', 'where', 'scope', 'match'],
  compile(spec: FilterSpec, env: CompileEnv): CompiledFilter {
    const at = env.at;
    const type = spec.resource;
    if (typeof type !== 'string' || !RESOURCE_TYPES.includes(type)) {
      throw new SpecError(
        [...at, 'resource'],
        `account-has needs a known resource type, got ${JSON.stringify(type)}${typeof type === 'string' ? didYouMean(type, RESOURCE_TYPES) : ''}`,
      );
    }
    const scope = spec.scope ?? 'account';
    if (typeof scope !== 'string' || !(SCOPES as readonly string[]).includes(scope)) {
      throw new SpecError([...at, 'scope'], `scope must be one of ${SCOPES.join(', ')}`);
    }
    const joins: { here: ReturnType<typeof parsePath>; there: ReturnType<typeof parsePath> }[] = [];
    if (spec.match !== undefined) {
      if (!isObj(spec.match) || Object.keys(spec.match).length === 0)
        throw new SpecError([...at, 'match'], 'match must be a mapping {thisPath: relatedPath}');
      for (const [here, there] of Object.entries(spec.match)) {
        if (typeof there !== 'string' || there === '')
          throw new SpecError([...at, 'match', here], 'the related path must be a non-empty string');
        joins.push({ here: parsePath(here), there: parsePath(there) });
      }
    }
    const where = spec.where ?? [];
    if (!Array.isArray(where)) throw new SpecError([...at, 'where'], 'where must be a list of filters');
    const nested =
      where.length === 0
        ? undefined
        : compileFilter({ and: where }, { at: [...at, 'where'], resourceTypes: [type] });
    const describe = `${type}${where.length ? ' matching the conditions' : ''}`;
    return {
      paths: joins.map((j) => j.here.plain),
      evaluate(resource: Resource, ctx: EvalContext): Verdict {
        const undecided = ctx.undecided(joins.map((j) => j.here.plain));
        if (undecided) return undecided;
        let candidates =
          scope === 'region'
            ? ctx.inventory.inAccount(resource.account, type).filter((r) => r.region === resource.region)
            : ctx.inventory.inAccount(resource.account, type);
        if (joins.length > 0) {
          const wanted = joins.map((j) => readPath(resource.config, j.here.segments));
          if (wanted.some((w) => w === undefined || w === null || w === '')) return verdict(false);
          candidates = candidates.filter((r) =>
            joins.every((j, i) => sameValue(readPath(r.config, j.there.segments), wanted[i])),
          );
          if (candidates.length === 0) {
            const what = joins.map((j, i) => `${j.there.text}=${String(wanted[i])}`).join(', ');
            return verdict(
              'unknown',
              [
                {
                  path: joins[0]!.here.text,
                  value: wanted[0],
                  note: `no ${type} with ${what} in the inventory`,
                },
              ],
              `no ${type} with ${what} in the inventory (another account, or not collected)`,
            );
          }
        }
        const where =
          scope === 'region'
            ? `${resource.account || 'the account'}/${resource.region}`
            : resource.account || 'the account';
        if (!nested) {
          if (candidates.length === 0)
            return verdict(false, [{ path: type, value: 0, note: `no ${type} in ${where}` }]);
          return verdict(true, [
            { path: type, value: candidates[0]!.id, note: `${type} ${candidates[0]!.name}` },
          ]);
        }
        const verdicts = candidates.map((r) => {
          const v = nested.evaluate(r, new EvalContext(r, ctx.now, ctx.inventory));
          if (v.truth === true)
            return verdict(true, [
              { path: type, value: r.id, note: `${type} ${r.name} satisfies the conditions` },
            ]);
          if (v.truth === false) return v;
          return verdict(v.truth, v.evidence, `${r.name}: ${v.reason ?? 'undecided'}`);
        });
        const result = anyOf(verdicts);
        if (result.truth === false) {
          const evidence: Evidence[] = [
            {
              path: type,
              value: candidates.length,
              note: `no ${describe} in ${where} (${candidates.length} checked)`,
            },
          ];
          return verdict(false, evidence);
        }
        return result;
      },
    };
  },
};

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return a.some((x) => sameValue(x, b));
  return typeof a === 'string' && typeof b === 'string' && a === b;
}
