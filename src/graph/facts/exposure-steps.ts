import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import { type NetRule, readRules } from '../../policy/filters/network-rules.js';
import { objectItems } from '../../util/narrow.js';
import type { Graph, GraphNode } from '../model.js';
import type { Fact } from './admin-privilege.js';

/** The hops of an internet exposure path, each checked on its own and combined by `ExposureFacts`. */
const WORLD = new Set(['0.0.0.0/0', '::/0']);
const COMMON_PORTS = [22, 80, 443, 3389];
const LIVE = new Set(['live', 'snapshot', 'event']);

export interface Step {
  /** The config attribute the step starts from, for the evidence. */
  at?: string;
  ok: boolean | 'unknown';
  notes: string[];
  via: string[];
  reason?: string;
}

export const isTcp = (protocol: string) =>
  protocol === 'tcp' || protocol === 'all' || protocol === '6' || protocol === '-1';
export const covers = (from: number | undefined, to: number | undefined, port: number) =>
  from === undefined || (from <= port && port <= (to ?? from));

export function publicAddress(instance: Resource, subnets: GraphNode[]): Step {
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
export function internetRoute(graph: Graph, subnets: GraphNode[]): Step {
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

export function securityGroups(graph: Graph, resource: Resource, port: number): Step {
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
export function naclAllows(graph: Graph, subnets: GraphNode[], port: number): Step {
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

export function candidatePorts(graph: Graph, resource: Resource): number[] {
  const ports = new Set(COMMON_PORTS);
  for (const sg of graph.targets(resource.id, 'protected-by')) {
    for (const r of worldRules(sg.resource)) ports.add(r.from ?? 0);
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * The instance's own groups let the load balancer's traffic in on `port`: a rule naming one of the load
 * balancer's groups, or an address range (the load balancer's private addresses are not in the input,
 * so any range counts). Without groups in the input, the VPC's default group admits only itself.
 */
export function admits(graph: Graph, instance: Resource, lb: GraphNode, port: number): Step {
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

export function no(): Fact {
  return NO;
}

export function combine(steps: Step[], port: number): Fact {
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
