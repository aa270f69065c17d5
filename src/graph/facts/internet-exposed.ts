import type { Resource } from '../../model/resource.js';
import { objectItems } from '../../util/narrow.js';
import type { Graph, GraphNode } from '../model.js';
import type { Fact } from './admin-privilege.js';
import {
  admits,
  candidatePorts,
  combine,
  internetRoute,
  naclAllows,
  no,
  publicAddress,
  type Step,
  securityGroups,
} from './exposure-steps.js';

/** The port-independent half of an instance's exposure: its subnets, public address and route. */
interface Reach {
  subnets: GraphNode[];
  address: Step;
  route: Step;
  undecided?: Fact;
}

const ANY_PORT = -1;

/**
 * `internet-exposed` per port: a path from the internet to the resource. For an instance: a public
 * address (or an internet-facing load balancer in front), a subnet whose route table sends 0.0.0.0/0
 * or ::/0 to an internet gateway (a NAT gateway only carries traffic out), a security group rule and
 * a network ACL that allow the port from the world. Each part is evidence; `via` lists the nodes.
 */
export class ExposureFacts {
  // One map per port (a policy asks about a handful of ports) rather than one per resource.
  private readonly cache = new Map<number, Map<Resource, Fact>>();
  private readonly reachCache = new Map<Resource, Reach>();

  constructor(private readonly graph: Graph) {}

  /** Exposure on `port`, or on any port when undefined. */
  of(resource: Resource, port?: number): Fact {
    const key = port ?? ANY_PORT;
    let forPort = this.cache.get(key);
    if (!forPort) {
      forPort = new Map();
      this.cache.set(key, forPort);
    }
    let fact = forPort.get(resource);
    if (!fact) {
      fact = port === undefined ? this.anyPort(resource) : this.onPort(resource, port);
      forPort.set(resource, fact);
    }
    return fact;
  }

  private reach(instance: Resource): Reach {
    let r = this.reachCache.get(instance);
    if (!r) {
      const subnets = this.graph.targets(instance.id, 'in-subnet');
      const address = publicAddress(instance, subnets);
      // Only a public address needs its route checked; most instances stop here.
      const route = address.ok === false ? address : internetRoute(this.graph, subnets);
      r = { subnets, address, route };
      if (subnets.length === 0 && (instance.unknown ?? []).includes('SubnetId')) {
        r.undecided = {
          truth: 'unknown',
          evidence: [],
          via: [],
          reason: 'the subnet is known only after apply',
        };
      }
      this.reachCache.set(instance, r);
    }
    return r;
  }

  private anyPort(resource: Resource): Fact {
    let undecided: Fact | undefined;
    const instance = resource.type === 'aws.ec2.instance';
    // No public address or no internet route: only a load balancer in front can expose it.
    const reach = instance ? this.reach(resource) : undefined;
    const unreachable = reach && !reach.undecided && (reach.address.ok === false || reach.route.ok === false);
    const ports = !instance
      ? this.listenerPorts(resource)
      : unreachable
        ? []
        : candidatePorts(this.graph, resource);
    for (const port of ports) {
      const f = this.of(resource, port);
      if (f.truth === true) return f;
      if (f.truth !== false) undecided ??= f;
    }
    if (resource.type === 'aws.ec2.instance') {
      for (const port of this.frontedPorts(resource)) {
        const f = this.of(resource, port);
        if (f.truth === true) return f;
      }
    }
    return undecided ?? no();
  }

  private onPort(resource: Resource, port: number): Fact {
    if (resource.type === 'aws.elbv2.load-balancer' || resource.type === 'aws.elb.load-balancer') {
      return this.loadBalancer(resource, port);
    }
    if (resource.type !== 'aws.ec2.instance') return no();
    const direct = this.direct(resource, port);
    if (direct.truth === true) return direct;
    const fronted = this.fronted(resource, port);
    if (fronted.truth === true) return fronted;
    return direct.truth === false ? fronted : direct;
  }

  private direct(instance: Resource, port: number): Fact {
    const reach = this.reach(instance);
    if (reach.undecided) return reach.undecided;
    if (reach.address.ok === false || reach.route.ok === false) return no();
    const groups = securityGroups(this.graph, instance, port);
    if (groups.ok === false) return no();
    return combine([reach.address, reach.route, groups, naclAllows(this.graph, reach.subnets, port)], port);
  }

  private loadBalancer(lb: Resource, port: number): Fact {
    if (lb.config.Scheme !== 'internet-facing') return no();
    const subnets = this.graph.targets(lb.id, 'in-subnet');
    const steps: Step[] = [
      { ok: true, at: 'Scheme', notes: [`load balancer ${lb.name} is internet-facing`], via: [] },
      internetRoute(this.graph, subnets),
    ];
    // Network load balancers without security groups pass everything their listeners accept.
    if (this.graph.out(lb.id, 'protected-by').length > 0) steps.push(securityGroups(this.graph, lb, port));
    if (!this.listenerPorts(lb).includes(port)) return no();
    return combine(steps, port);
  }

  private listenerPorts(lb: Resource): number[] {
    const ports = objectItems(lb.config.Listeners).map((l) => l.Port);
    for (const d of objectItems(lb.config.ListenerDescriptions))
      ports.push((d.Listener as { LoadBalancerPort?: unknown })?.LoadBalancerPort);
    return ports.filter((p): p is number => typeof p === 'number');
  }

  /** Target ports on which an internet-facing load balancer sends traffic to the instance. */
  private frontedPorts(instance: Resource): number[] {
    return this.graph
      .in(instance.id, 'targets')
      .map((e) => Number(e.data?.port))
      .filter(Number.isInteger);
  }

  private fronted(instance: Resource, port: number): Fact {
    let undecided: Step | undefined;
    for (const t of this.graph.in(instance.id, 'targets')) {
      if (Number(t.data?.port) !== port) continue;
      const holder = this.graph.node(t.from);
      if (!holder) continue;
      const lbs =
        holder.type === 'aws.elbv2.target-group'
          ? this.graph
              .in(holder.id, 'forwards-to')
              .map((e) => ({ lb: this.graph.node(e.from), listener: e.data?.port }))
          : [{ lb: holder, listener: undefined }];
      for (const { lb, listener } of lbs) {
        if (!lb) continue;
        const lbPorts = typeof listener === 'number' ? [listener] : this.listenerPorts(lb.resource);
        for (const lp of lbPorts) {
          const f = this.of(lb.resource, lp);
          if (f.truth !== true) continue;
          const admitted = admits(this.graph, instance, lb, port);
          if (admitted.ok !== true) {
            if (admitted.ok === 'unknown') undecided ??= admitted;
            continue;
          }
          const through = holder.id === lb.id ? '' : ` through target group ${holder.label}`;
          return {
            truth: true,
            via: [lb.id, ...(holder.id === lb.id ? [] : [holder.id]), ...f.via, ...admitted.via],
            evidence: [
              {
                path: 'targets',
                value: lb.id,
                note: `load balancer ${lb.label} (listener ${lp}) forwards${through} to port ${port}`,
              },
              ...f.evidence,
              ...admitted.notes.map((note) => ({ path: 'SecurityGroups', value: port, note })),
            ],
          };
        }
      }
    }
    if (undecided)
      return { truth: 'unknown', evidence: [], via: [], reason: undecided.reason ?? 'not decided' };
    return no();
  }
}
