import type { Resource } from '../../model/resource.js';
import { buildGraph } from '../build.js';
import type { Graph } from '../model.js';
import { adminPrivilege, type Fact } from './admin-privilege.js';
import { ExposureFacts } from './internet-exposed.js';

export type { Fact } from './admin-privilege.js';

/** Names of the derived facts a policy may test (`type: fact, fact: <name>`). */
export const FACT_NAMES = ['internet-exposed', 'admin-privilege', 'shares-key-with'] as const;
export type FactName = (typeof FACT_NAMES)[number];

/** Resource types each fact is defined for. */
export const FACT_TYPES: Record<FactName, readonly string[]> = {
  'internet-exposed': ['aws.ec2.instance', 'aws.elbv2.load-balancer', 'aws.elb.load-balancer'],
  'admin-privilege': [
    'aws.ec2.instance',
    'aws.iam.role',
    'aws.iam.user',
    'aws.iam.group',
    'aws.lambda.function',
  ],
  'shares-key-with': ['aws.ec2.instance'],
};

/** The graph of one scan and its derived facts, computed on first use and cached. */
export class GraphFacts {
  private readonly exposure: ExposureFacts;
  private readonly adminCache = new Map<Resource, Fact>();

  constructor(readonly graph: Graph) {
    this.exposure = new ExposureFacts(graph);
  }

  internetExposed(resource: Resource, port?: number): Fact {
    return this.exposure.of(resource, port);
  }

  adminPrivilege(resource: Resource): Fact {
    return adminPrivilege(resource, this.graph, this.adminCache);
  }

  /** The other instances launched with the same key pair, with the key pair node. */
  sharedKey(instance: Resource): { keyPair: string; instances: string[] }[] {
    const out: { keyPair: string; instances: string[] }[] = [];
    for (const e of this.graph.out(instance.id, 'uses-key-pair')) {
      const others = this.graph
        .in(e.to, 'uses-key-pair')
        .map((x) => x.from)
        .filter((id) => id !== instance.id);
      if (others.length > 0) out.push({ keyPair: e.to, instances: others });
    }
    return out;
  }

  sharesKey(instance: Resource): Fact {
    const shared = this.sharedKey(instance);
    if (shared.length === 0) return { truth: false, evidence: [], via: [] };
    return {
      truth: true,
      via: shared.map((s) => s.keyPair),
      evidence: shared.map((s) => ({
        path: 'KeyName',
        value: instance.config.KeyName,
        note: `key pair ${this.graph.node(s.keyPair)?.label} is also used by ${s.instances.map((i) => this.graph.node(i)?.label ?? i).join(', ')}`,
      })),
    };
  }
}

const byResources = new WeakMap<readonly Resource[], GraphFacts>();

/** The graph facts of an inventory, built once per resource list (scan.ts builds it before evaluation). */
export function graphFactsFor(resources: readonly Resource[]): GraphFacts {
  let facts = byResources.get(resources);
  if (!facts) {
    facts = new GraphFacts(buildGraph(resources));
    byResources.set(resources, facts);
  }
  return facts;
}
