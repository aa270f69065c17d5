import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import { type NetRule, readRules } from '../../policy/filters/network-rules.js';
import { objectItems } from '../../util/narrow.js';
import type { Graph, GraphNode } from '../model.js';
import type { Fact } from './admin-privilege.js';

/**
 * `internet-exposed` per port: a path from the internet to the resource. For an instance: a public
 * address (or an internet-facing load balancer in front), a subnet whose route table sends 0.0.0.0/0
 * or ::/0 to an internet gateway (a NAT gateway only carries traffic out), a security group rule and
 * a network ACL that allow the port from the world. Each part is evidence; `via` lists the nodes.
 */

const WORLD = new Set(['0.0.0.0/0', '::/0']);
const COMMON_PORTS = [22, 80, 443, 3389];
const LIVE = new Set(['live', 'snapshot', 'event']);

interface Step {
  /** The config attribute the step starts from, for the evidence. */
  at?: string;
  ok: boolean | 'unknown';
  notes: string[];
  via: string[];
  reason?: string;
}

const isTcp = (protocol: string) =>
  protocol === 'tcp' || protocol === 'all' || protocol === '6' || protocol === '-1';
const covers = (from: number | undefined, to: number | undefined, port: number) =>
  from === undefined || (from <= port && port <= (to ?? from));

function publicAddress(instance: Resource, subnets: GraphNode[]): Step {
  const c = instance.config;
  if (typeof c.PublicIpAddress === 'string' && c.PublicIpAddress !== '') {
    return { ok: true, at: 'PublicIpAddress', notes: [`public IP ${c.PublicIpAddress}`], via: [] };
  }
  if (LIVE.has(instance.source.kind)) return { ok: false, notes: [], via: [] };
  if (c.AssociatePublicIpAddress === true)
    return {
      ok: true,
      at: 'AssociatePublicIpAddress',
      notes: ['public IP (AssociatePublicIpAddress = true)'],
      via: [],
    };
  if (c.AssociatePublicIpAddress === false) return { ok: false, notes: [], via: [] };
  const mapping = subnets.find((s) => s.resource.config.MapPublicIpOnLaunch === true);
  if (mapping)
    return {
      ok: true,
      at: 'SubnetId',
      notes: [`public IP on launch (subnet ${mapping.label} maps public IPs)`],
      via: [],
    };
  return { ok: false, notes: [], via: [] };
}

/** A subnet's route table sends the default route to an internet gateway. */
function internetRoute(graph: Graph, subnets: GraphNode[]): Step {
  for (const subnet of subnets) {
    for (const rt of graph.out(subnet.id, 'routes-via')) {
      for (const route of graph.out(rt.to, 'routes-to')) {
        const gw = graph.node(route.to);
        const destination = String(route.data?.destination ?? '');
        if (gw?.type === 'aws.ec2.internet-gateway' && WORLD.has(destination)) {
          const table = graph.node(rt.to)?.label ?? rt.to;
          return {
            ok: true,
            at: 'SubnetId',
            notes: [
              `subnet ${subnet.label} routes ${destination} to internet gateway ${gw.label} (route table ${table})`,
            ],
            via: [subnet.id, rt.to, gw.id],
          };
        }
      }
    }
  }
  return { ok: false, notes: [], via: [] };
}

const worldRuleCache = new WeakMap<Resource, NetRule[]>();

/** The group's allow rules open to the whole internet (read once per group and scan). */
function worldRules(sg: Resource): NetRule[] {
  let rules = worldRuleCache.get(sg);
  if (!rules) {
    rules = readRules(sg, 'ingress').rules.filter((r) => r.allow && WORLD.has(r.cidr) && isTcp(r.protocol));
    worldRuleCache.set(sg, rules);
  }
  return rules;
}

function securityGroups(graph: Graph, resource: Resource, port: number): Step {
  const groups = graph.targets(resource.id, 'protected-by');
  if (groups.length === 0 && (resource.unknown ?? []).some((p) => p.startsWith('SecurityGroups'))) {
    return { ok: 'unknown', notes: [], via: [], reason: 'the security groups are known only after apply' };
  }
  for (const sg of groups) {
    const rule = worldRules(sg.resource).find((r) => covers(r.from, r.to, port));
    if (rule) {
      const ports =
        rule.from === undefined
          ? 'all ports'
          : rule.from === rule.to
            ? `${rule.from}`
            : `${rule.from}-${rule.to}`;
      return {
        ok: true,
        at: 'SecurityGroups',
        notes: [`security group ${sg.label} allows tcp ${ports} from ${rule.cidr}`],
        via: [sg.id],
      };
    }
  }
  const undecided = groups.find((sg) =>
    (sg.resource.unknown ?? []).some((p) => p.startsWith('IpPermissions') && !p.endsWith('UserIdGroupPairs')),
  );
  if (undecided)
    return {
      ok: 'unknown',
      notes: [],
      via: [],
      reason: `rules of ${undecided.label} are known only after apply`,
    };
  return { ok: false, notes: [], via: [] };
}

/** Network ACLs evaluate rules in number order; the first that matches a world source decides. */
function naclAllows(graph: Graph, subnets: GraphNode[], port: number): Step {
  const notes: string[] = [];
  const via: string[] = [];
  for (const subnet of subnets) {
    const acls = graph.targets(subnet.id, 'guarded-by-nacl');
    if (acls.length === 0) {
      notes.push(`subnet ${subnet.label} has no network ACL of its own (the default allows all)`);
      return { ok: true, at: 'SubnetId', notes, via };
    }
    for (const acl of acls) {
      const entries = objectItems(acl.resource.config.Entries)
        .filter((e) => e.Egress !== true)
        .sort((a, b) => Number(a.RuleNumber) - Number(b.RuleNumber));
      for (const e of entries) {
        const cidr = String(e.CidrBlock ?? e.Ipv6CidrBlock ?? '');
        const range = (e.PortRange ?? {}) as { From?: number; To?: number };
        const protocol = String(e.Protocol ?? '-1');
        if (!WORLD.has(cidr) || !isTcp(protocol)) continue;
        if (protocol !== '-1' && !covers(range.From, range.To, port)) continue;
        if (String(e.RuleAction).toLowerCase() === 'allow') {
          return {
            ok: true,
            at: 'SubnetId',
            notes: [`network ACL ${acl.label} rule ${String(e.RuleNumber)} allows ${port} from ${cidr}`],
            via: [acl.id],
          };
        }
        break;
      }
    }
  }
  return { ok: false, notes: [], via: [] };
}

function candidatePorts(graph: Graph, resource: Resource): number[] {
  const ports = new Set(COMMON_PORTS);
  for (const sg of graph.targets(resource.id, 'protected-by')) {
    for (const r of worldRules(sg.resource)) ports.add(r.from ?? 0);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The port-independent half of an instance's exposure: its subnets, public address and route. */
interface Reach {
  subnets: GraphNode[];
  address: Step;
  route: Step;
  undecided?: Fact;
}

const ANY_PORT = -1;

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

/**
 * The instance's own groups let the load balancer's traffic in on `port`: a rule naming one of the load
 * balancer's groups, or an address range (the load balancer's private addresses are not in the input,
 * so any range counts). Without groups in the input, the VPC's default group admits only itself.
 */
function admits(graph: Graph, instance: Resource, lb: GraphNode, port: number): Step {
  const groups = graph.targets(instance.id, 'protected-by');
  if (groups.length === 0 && (instance.unknown ?? []).some((p) => p.startsWith('SecurityGroups'))) {
    return { ok: 'unknown', notes: [], via: [], reason: 'the security groups are known only after apply' };
  }
  const lbGroups = new Set(graph.out(lb.id, 'protected-by').map((e) => e.to));
  for (const sg of groups) {
    const rule = readRules(sg.resource, 'ingress').rules.find(
      (r) => r.allow && isTcp(r.protocol) && covers(r.from, r.to, port),
    );
    if (rule) {
      return {
        ok: true,
        notes: [`security group ${sg.label} admits ${port} from ${rule.cidr}`],
        via: [sg.id],
      };
    }
    for (const e of graph.out(sg.id, 'allows-from')) {
      if (!lbGroups.has(e.to) || !portsCover(e.data?.ports, port)) continue;
      const from = graph.node(e.to)?.label ?? e.to;
      return {
        ok: true,
        notes: [`security group ${sg.label} admits ${port} from the load balancer's group ${from}`],
        via: [sg.id],
      };
    }
  }
  return { ok: false, notes: [], via: [] };
}

/** `allows-from` edge ports as the builder wrote them (`22-22`, `all ports`); none known = any. */
function portsCover(ports: unknown, port: number): boolean {
  if (typeof ports !== 'string' || ports === 'all ports') return true;
  const m = /^(\d+)-(\d+)$/.exec(ports);
  return !m || (Number(m[1]) <= port && port <= Number(m[2]));
}

const NO: Fact = Object.freeze({ truth: false, evidence: [], via: [] }) as Fact;

function no(): Fact {
  return NO;
}

function combine(steps: Step[], port: number): Fact {
  const failed = steps.find((s) => s.ok === false);
  if (failed) return no();
  const undecided = steps.find((s) => s.ok === 'unknown');
  if (undecided)
    return {
      truth: 'unknown',
      evidence: [],
      via: [],
      reason: undecided.reason ?? 'exposure is known only after apply',
    };
  const evidence: Evidence[] = steps.flatMap((s) =>
    s.notes.map((note) => ({ path: s.at ?? 'graph', value: port, note })),
  );
  return { truth: true, evidence, via: steps.flatMap((s) => s.via) };
}
