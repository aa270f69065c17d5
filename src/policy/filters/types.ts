import type { Resource } from '../../model/resource.js';
import type { EvalContext } from '../context.js';
import type { Verdict } from '../verdict.js';

export interface CompiledFilter {
  /** Plain config paths the filter reads: drives unknown/error handling and demand-driven collection. */
  paths: string[];
  evaluate(resource: Resource, ctx: EvalContext): Verdict;
}

/** What a filter sees while compiling: where it is in the policy file and the resolved parameters. */
export interface CompileEnv {
  at: (string | number)[];
  resourceTypes: readonly string[];
}

export type FilterSpec = Record<string, unknown>;

/** A named filter (`type: ingress`) with the resource types it applies to. */
export interface TypedFilter {
  name: string;
  description: string;
  /** Resource types the filter understands; a policy on another type fails validation. */
  resourceTypes: readonly string[];
  /** Option names accepted besides `type`, for validation and suggestions. */
  options: readonly string[];
  compile(spec: FilterSpec, env: CompileEnv): CompiledFilter;
}
