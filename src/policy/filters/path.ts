import { EDGE_KIND_NAMES, EDGE_TYPES, type PathEdgeKind } from '../../graph/edge-kinds.js';
import type { Graph, GraphNode } from '../../graph/model.js';
import { GRAPH_READS } from '../../graph/reads.js';
import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import { isObj } from '../../util/narrow.js';
import { compileFilter } from '../compile.js';
import type { EvalContext } from '../context.js';
import { didYouMean, SpecError } from '../spec-error.js';
import { allOf, type MatchedPath, type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, CompileEnv, FilterSpec, TypedFilter } from './types.js';

/** Paths beyond this many per resource are not reported (one scan must stay bounded). */
const MAX_PATHS = 50;
const MAX_STEPS = 6;
const STEP_KEYS = ['edge', 'direction', 'where', 'same-account'];

interface Step {
  kinds: PathEdgeKind[];
  direction: 'out' | 'in';
  where?: CompiledFilter;
  sameAccount?: boolean;
}

interface Hop {
  kind: PathEdgeKind;
  to: GraphNode;
  via: GraphNode[];
  /** The hop in the path summary: the edge kind, or `key pair <name>`. */
  label: string;
  note: string;
}

function compileSteps(raw: unknown, env: CompileEnv): Step[] {
  const at = [...env.at, 'steps'];
  if (!Array.isArray(raw) || raw.length === 0) throw new SpecError(at, 'must be a non-empty list of steps');
  if (raw.length > MAX_STEPS) throw new SpecError(at, `at most ${MAX_STEPS} steps`);
  let types: readonly string[] = env.resourceTypes;
  return raw.map((item, i) => {
    const here = [...at, i];
    const spec: Record<string, unknown> = typeof item === 'string' ? { edge: item } : isObj(item) ? item : {};
    if (!isObj(item) && typeof item !== 'string')
      throw new SpecError(here, 'a step is an edge name or a mapping with "edge"');
    for (const k of Object.keys(spec)) {
      if (!STEP_KEYS.includes(k))
        throw new SpecError(
          [...here, k],
          `unknown option "${k}" for a path step${didYouMean(k, STEP_KEYS)} (valid: ${STEP_KEYS.join(', ')})`,
        );
    }
    const edgeRaw = spec.edge;
    const kinds = (Array.isArray(edgeRaw) ? edgeRaw : [edgeRaw]) as unknown[];
    if (edgeRaw === undefined || kinds.length === 0) throw new SpecError(here, 'missing required key "edge"');
    const direction = spec.direction ?? 'out';
    if (direction !== 'out' && direction !== 'in')
      throw new SpecError([...here, 'direction'], 'direction must be "out" or "in"');
    const next = new Set<string>();
    for (const kind of kinds) {
      if (typeof kind !== 'string' || !(kind in EDGE_TYPES)) {
        throw new SpecError(
          [...here, 'edge'],
          `unknown edge ${JSON.stringify(kind)}${typeof kind === 'string' ? didYouMean(kind, EDGE_KIND_NAMES) : ''} (valid: ${EDGE_KIND_NAMES.join(', ')})`,
        );
      }
      const ends = EDGE_TYPES[kind as PathEdgeKind];
      const [sources, targets] = direction === 'out' ? [ends.from, ends.to] : [ends.to, ends.from];
      if (!types.some((t) => sources.includes(t))) {
        throw new SpecError(
          [...here, 'edge'],
          `edge "${kind}" (${direction}) does not start at ${types.join(', ')} (it starts at ${sources.join(', ')})`,
        );
      }
      for (const t of targets) next.add(t);
    }
    types = [...next];
    const step: Step = { kinds: kinds as PathEdgeKind[], direction };
    if (spec['same-account'] !== undefined) {
      if (typeof spec['same-account'] !== 'boolean')
        throw new SpecError([...here, 'same-account'], 'must be true or false');
      step.sameAccount = spec['same-account'];
    }
    if (spec.where !== undefined) {
      const whereAt = [...here, 'where'];
      if (!Array.isArray(spec.where) || spec.where.length === 0)
        throw new SpecError(whereAt, 'must be a non-empty list of filters');
      const parts = spec.where.map((f, j) => compileFilter(f, { at: [...whereAt, j], resourceTypes: types }));
      step.where = {
        paths: [],
        evaluate(r, ctx) {
          const verdicts: Verdict[] = [];
          for (const p of parts) {
            const v = p.evaluate(r, ctx);
            if (v.truth === false) return v;
            verdicts.push(v);
          }
          return allOf(verdicts);
        },
      };
    }
    return step;
  });
}

/** A node without an account (anyone, a service, IaC before apply) is never in the resource's account. */
function sameAccount(node: GraphNode, resource: Resource): boolean {
  return node.resource.account !== '' && node.resource.account === resource.account;
}

function hops(graph: Graph, step: Step, from: GraphNode): Hop[] {
  const out: Hop[] = [];
  for (const kind of step.kinds) {
    if (kind === 'shares-key-with') {
      for (const use of graph.out(from.id, 'uses-key-pair')) {
        const key = graph.node(use.to);
        if (!key) continue;
        for (const other of graph.in(key.id, 'uses-key-pair')) {
          const to = graph.node(other.from);
          if (!to || to.id === from.id) continue;
          out.push({
            kind,
            to,
            via: [key],
            label: `key pair ${key.label}`,
            note: `${from.label} and ${to.label} were launched with the same key pair ${key.label}`,
          });
        }
      }
      continue;
    }
    const edges = step.direction === 'out' ? graph.out(from.id, kind) : graph.in(from.id, kind);
    for (const e of edges) {
      const to = graph.node(step.direction === 'out' ? e.to : e.from);
      if (!to) continue;
      const [a, b] = step.direction === 'out' ? [from, to] : [to, from];
      out.push({ kind, to, via: [], label: kind, note: `${a.label} ${kind} ${b.label} (${e.evidence})` });
    }
  }
  return out;
}

/**
 * `path`: from the resource, follow typed edges step by step (`edge`, `direction`, optional `where`
 * filters on the node reached, `same-account`). True when at least one full path exists; each path is
 * reported as a finding of its own, fingerprinted over the policy and the ids along the path.
 */
export const pathFilter: TypedFilter = {
  name: 'path',
  description: 'follow typed relationship edges with conditions on the resources reached',
  resourceTypes: [...new Set(Object.values(EDGE_TYPES).flatMap((e) => [...e.from, ...e.to]))],
  options: ['steps'],
  compile(spec: FilterSpec, env: CompileEnv): CompiledFilter {
    const steps = compileSteps(spec.steps, env);
    return {
      paths: [GRAPH_READS],
      evaluate(resource: Resource, ctx: EvalContext) {
        const graph = ctx.graph.graph;
        const start = graph.node(resource.id);
        if (!start) return verdict(false);
        const found: MatchedPath[] = [];
        let undecided: Verdict | undefined;
        const walk = (i: number, node: GraphNode, ids: string[], evidence: Evidence[], words: string[]) => {
          if (found.length >= MAX_PATHS) return;
          const step = steps[i];
          if (!step) {
            found.push({ ids, summary: words.join(' → '), evidence });
            return;
          }
          for (const hop of hops(graph, step, node)) {
            if (found.length >= MAX_PATHS) return;
            if (ids.includes(hop.to.id)) continue;
            if (step.sameAccount !== undefined && sameAccount(hop.to, resource) !== step.sameAccount)
              continue;
            let more: Evidence[] = [];
            if (step.where) {
              const v = step.where.evaluate(hop.to.resource, ctx.at(hop.to.resource));
              if (v.truth === false) continue;
              if (v.truth !== true) {
                if (!undecided || (v.truth === 'error' && undecided.truth !== 'error')) undecided = v;
                continue;
              }
              more = v.evidence;
            }
            walk(
              i + 1,
              hop.to,
              [...ids, ...hop.via.map((n) => n.id), hop.to.id],
              [...evidence, { path: hop.kind, value: hop.to.id, note: hop.note }, ...more],
              [...words, hop.label, hop.to.label],
            );
          }
        };
        walk(0, start, [resource.id], [], [start.label]);
        if (found.length > 0) return { truth: true, evidence: found[0]!.evidence, paths: found };
        return undecided
          ? verdict(undecided.truth, [], undecided.reason ?? 'a condition on the path is not decided')
          : verdict(false);
      },
    };
  },
};
