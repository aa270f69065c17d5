import { FACT_NAMES, FACT_TYPES, type Fact, type FactName } from '../../graph/facts/index.js';
import { GRAPH_READS } from '../../graph/reads.js';
import type { Resource } from '../../model/resource.js';
import type { EvalContext } from '../context.js';
import { didYouMean, SpecError } from '../spec-error.js';
import { verdict } from '../verdict.js';
import type { CompiledFilter, CompileEnv, FilterSpec, TypedFilter } from './types.js';

function ports(v: unknown, at: (string | number)[]): number[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || list.some((p) => !Number.isInteger(p) || p < 0 || p > 65535)) {
    throw new SpecError(at, 'must be a port number (0-65535) or a list of them');
  }
  return list as number[];
}

function factOf(name: FactName, resource: Resource, ctx: EvalContext, port?: number): Fact {
  const g = ctx.graph;
  if (name === 'internet-exposed') return g.internetExposed(resource, port);
  if (name === 'admin-privilege') return g.adminPrivilege(resource);
  return g.sharesKey(resource);
}

/**
 * `fact`: a derived fact of the relationship graph holds for the resource: `internet-exposed`
 * (optionally on `port`, a number or a list: any of them), `admin-privilege`, `shares-key-with`.
 */
export const factFilter: TypedFilter = {
  name: 'fact',
  description: 'a derived graph fact holds: internet-exposed (per port), admin-privilege, shares-key-with',
  resourceTypes: [...new Set(Object.values(FACT_TYPES).flat())],
  options: ['fact', 'port'],
  compile(spec: FilterSpec, env: CompileEnv): CompiledFilter {
    const name = spec.fact;
    if (typeof name !== 'string' || !(FACT_NAMES as readonly string[]).includes(name)) {
      throw new SpecError(
        [...env.at, 'fact'],
        `unknown fact ${JSON.stringify(name)}${typeof name === 'string' ? didYouMean(name, FACT_NAMES) : ''} (valid: ${FACT_NAMES.join(', ')})`,
      );
    }
    const fact = name as FactName;
    const wrong = env.resourceTypes.filter((t) => !FACT_TYPES[fact].includes(t));
    if (wrong.length > 0) {
      throw new SpecError(
        [...env.at, 'fact'],
        `fact "${fact}" is not defined for ${wrong.join(', ')} (it is for ${FACT_TYPES[fact].join(', ')})`,
      );
    }
    const portList = ports(spec.port, [...env.at, 'port']);
    if (portList && fact !== 'internet-exposed') {
      throw new SpecError([...env.at, 'port'], `"port" applies to the internet-exposed fact only`);
    }
    return {
      paths: [GRAPH_READS],
      evaluate(resource, ctx) {
        let undecided: Fact | undefined;
        for (const port of portList ?? [undefined]) {
          const f = factOf(fact, resource, ctx, port);
          if (f.truth === true) return verdict(true, f.evidence);
          if (f.truth !== false) undecided ??= f;
        }
        return undecided ? verdict(undecided.truth, [], undecided.reason) : verdict(false);
      },
    };
  },
};
