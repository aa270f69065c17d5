import type { Resource } from '../model/resource.js';

/**
 * The relationship graph of one scan (docs/DESIGN.md §11 "Graph"). Nodes are the scan's resources
 * plus a few external nodes the inventory only names (IAM principals from trust and bucket policies,
 * AWS managed policies, inline policies, key pairs referenced by name only). Every node carries a
 * Resource-shaped object so path conditions can run ordinary filters on it.
 */
export interface GraphNode {
  id: string;
  type: string;
  label: string;
  resource: Resource;
  /** True for nodes the inventory does not hold as resources (principals, managed/inline policies). */
  external: boolean;
}

/** Typed edge kinds, named for what the source does to the target. */
export type EdgeKind =
  | 'in-subnet'
  | 'in-vpc'
  | 'protected-by'
  | 'uses-key-pair'
  | 'has-instance-profile'
  | 'has-role'
  | 'has-policy'
  | 'member-of'
  | 'routes-via'
  | 'guarded-by-nacl'
  | 'routes-to'
  | 'allows-from'
  | 'forwards-to'
  | 'targets'
  | 'in-subnet-group'
  | 'attached-to'
  | 'trusts'
  | 'grants-to';

export interface GraphEdge {
  kind: EdgeKind;
  from: string;
  to: string;
  /** Why the edge exists, in words (the attribute, the id or the IaC reference that made it). */
  evidence: string;
  /** Edge details some facts read: a route's destination, a listener's port, a target port. */
  data?: Record<string, unknown>;
}

const NO_EDGES: readonly GraphEdge[] = Object.freeze([]);

/** The nodes and edges with their adjacency indexes; built once, read by facts, filters and exports. */
export class Graph {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: GraphEdge[] = [];
  // Adjacency per kind: facts ask for one kind at a time; all kinds (exports, explain) is the rare case.
  private readonly outByKind = new Map<EdgeKind, Map<string, GraphEdge[]>>();
  private readonly inByKind = new Map<EdgeKind, Map<string, GraphEdge[]>>();

  addNode(node: GraphNode): GraphNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing;
    this.nodes.set(node.id, node);
    return node;
  }

  /** Adds an edge once: the same (kind, from, to) found through an id and a reference is one edge. */
  addEdge(edge: GraphEdge): void {
    if (edge.from === edge.to && edge.kind !== 'allows-from') return;
    // Out-degrees are small (a handful per resource), so a scan beats hashing two ARNs per edge.
    const outOfKind = kindMap(this.outByKind, edge.kind);
    const existing = outOfKind.get(edge.from);
    if (existing) {
      for (const e of existing) if (e.to === edge.to) return;
    }
    this.edges.push(edge);
    push(outOfKind, edge.from, edge);
    push(kindMap(this.inByKind, edge.kind), edge.to, edge);
  }

  out(id: string, kind?: EdgeKind): readonly GraphEdge[] {
    if (kind) return this.outByKind.get(kind)?.get(id) ?? NO_EDGES;
    return allKinds(this.outByKind, id);
  }

  in(id: string, kind?: EdgeKind): readonly GraphEdge[] {
    if (kind) return this.inByKind.get(kind)?.get(id) ?? NO_EDGES;
    return allKinds(this.inByKind, id);
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  /** The nodes at the end of `kind` edges from `id`. */
  targets(id: string, kind: EdgeKind): GraphNode[] {
    const out: GraphNode[] = [];
    for (const e of this.out(id, kind)) {
      const n = this.nodes.get(e.to);
      if (n) out.push(n);
    }
    return out;
  }
}

function allKinds(index: Map<EdgeKind, Map<string, GraphEdge[]>>, id: string): readonly GraphEdge[] {
  const out: GraphEdge[] = [];
  for (const byId of index.values()) {
    const edges = byId.get(id);
    if (edges) out.push(...edges);
  }
  return out;
}

function kindMap(index: Map<EdgeKind, Map<string, GraphEdge[]>>, kind: EdgeKind): Map<string, GraphEdge[]> {
  let m = index.get(kind);
  if (!m) {
    m = new Map();
    index.set(kind, m);
  }
  return m;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
