import { InputError } from '../util/errors.js';
import type { Graph, GraphEdge, GraphNode } from './model.js';

export interface GraphSelection {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface SelectOptions {
  account?: string;
  types?: string[];
  /** A resource id, IaC address or unique name to centre the view on. */
  around?: string;
  depth?: number;
}

/** The node a user names: its id, its IaC address, or its name when only one node has it. */
export function findNode(graph: Graph, ref: string): GraphNode | undefined {
  const exact = graph.node(ref);
  if (exact) return exact;
  const matches: GraphNode[] = [];
  for (const n of graph.nodes.values()) {
    if (n.resource.source.address === ref || n.label === ref) matches.push(n);
  }
  if (matches.length > 1) {
    throw new InputError(
      `"${ref}" names ${matches.length} resources; use one of: ${matches
        .map((m) => m.id)
        .slice(0, 5)
        .join(', ')}`,
    );
  }
  return matches[0];
}

/**
 * The part of the graph a user asked for: around one node (edges in both directions, `depth` hops),
 * then restricted to an account and to node types. Edges are kept when both ends are.
 */
export function selectGraph(graph: Graph, options: SelectOptions): GraphSelection {
  let keep: Set<string> | undefined;
  if (options.around !== undefined) {
    const start = findNode(graph, options.around);
    if (!start) throw new InputError(`no resource "${options.around}" in the graph`);
    keep = new Set([start.id]);
    let frontier = [start.id];
    for (let d = 0; d < (options.depth ?? 2) && frontier.length > 0; d++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const e of [...graph.out(id), ...graph.in(id)]) {
          for (const other of [e.from, e.to]) {
            if (!keep.has(other)) {
              keep.add(other);
              next.push(other);
            }
          }
        }
      }
      frontier = next;
    }
  }
  const types = options.types && options.types.length > 0 ? new Set(options.types) : undefined;
  const nodes: GraphNode[] = [];
  for (const n of graph.nodes.values()) {
    if (keep && !keep.has(n.id)) continue;
    if (types && !types.has(n.type)) continue;
    if (options.account !== undefined && n.resource.account !== options.account && !n.external) continue;
    nodes.push(n);
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  // External nodes (principals, managed policies) only stay when something selected points at them.
  const linked = new Set(edges.flatMap((e) => [e.from, e.to]));
  const shown = nodes.filter((n) => !n.external || linked.has(n.id));
  return { nodes: shown, edges };
}
