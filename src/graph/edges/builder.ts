import type { Resource } from '../../model/resource.js';
import { objectItems } from '../../util/narrow.js';
import { inputScope, type Lookup } from '../lookup.js';
import type { EdgeKind, Graph, GraphEdge, GraphNode } from '../model.js';

/** Adds edges to the graph, resolving what a resource names by id (live) or by reference (IaC). */
export class Builder {
  constructor(
    readonly graph: Graph,
    readonly lookup: Lookup,
  ) {}

  edge(kind: EdgeKind, from: Resource, to: Resource, evidence: string, data?: Record<string, unknown>): void {
    const e: GraphEdge = { kind, from: from.id, to: to.id, evidence };
    if (data) e.data = data;
    this.graph.addEdge(e);
  }

  /**
   * The resources of `types` that `from` names by `ids` (live) or, for any not found that way, by the
   * IaC references of `attribute`; ids only match within the same input (IaC) or account (live, non-ARN).
   */
  resolve(
    from: Resource,
    types: readonly string[],
    attribute: string,
    ids: readonly unknown[],
    withRefs = true,
  ): { to: Resource; evidence: string }[] {
    const found: { to: Resource; evidence: string }[] = [];
    // A handful of targets at most: a scan is cheaper than a Set per call.
    const seen = (r: Resource) => found.some((f) => f.to === r);
    const scope = inputScope(from);
    for (const id of ids) {
      const arn = typeof id === 'string' && id.startsWith('arn:');
      for (const type of types) {
        for (const to of this.lookup.byId(type, id)) {
          if (seen(to) || inputScope(to) !== scope) continue;
          if (!arn && to.account !== from.account) continue;
          found.push({ to, evidence: `${attribute} = ${String(id)}` });
        }
      }
    }
    if (!from.refs || !withRefs) return found;
    for (const to of this.lookup.byRef(from, attribute, types)) {
      if (seen(to)) continue;
      found.push({ to, evidence: `${attribute} references ${to.source.address ?? to.id}` });
    }
    return found;
  }

  /** Adds a `kind` edge from `from` to every resource `resolve` finds. */
  link(
    kind: EdgeKind,
    from: Resource,
    types: readonly string[],
    attribute: string,
    ids: readonly unknown[],
    data?: Record<string, unknown>,
  ): void {
    for (const f of this.resolve(from, types, attribute, ids)) this.edge(kind, from, f.to, f.evidence, data);
  }

  external(node: GraphNode): GraphNode {
    return this.graph.addNode(node);
  }
}

/** Adds the edges that start at one resource of a given type. */
export type EdgeBuilder = (b: Builder, r: Resource) => void;

export const SUBNET = ['aws.ec2.subnet'];
export const SG = ['aws.ec2.security-group'];
export const VPC = ['aws.ec2.vpc'];
export const ROLE = ['aws.iam.role'];

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const field = (items: unknown, key: string): unknown[] => objectItems(items).map((i) => i[key]);

export function vpcKeyed(map: Map<string, Resource>, r: Resource): void {
  if (typeof r.config.VpcId === 'string') map.set(`${r.account}|${r.config.VpcId}`, r);
}

export function resourceNode(r: Resource): GraphNode {
  return { id: r.id, type: r.type, label: r.name || r.id, resource: r, external: false };
}

/** A node for something the inventory names but does not hold (principal, managed policy, key pair). */
export function externalNode(
  id: string,
  type: string,
  label: string,
  config: Record<string, unknown>,
  from: Resource,
  account = '',
): GraphNode {
  return {
    id,
    type,
    label,
    external: true,
    resource: {
      id,
      provider: 'aws',
      type,
      account,
      region: '',
      name: label,
      tags: {},
      config,
      source: { kind: from.source.kind },
    },
  };
}
