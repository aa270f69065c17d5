import type { Evidence } from '../../model/result.js';
import { cidrWithin, parseCidr } from '../../util/cidr.js';
import { SpecError } from '../spec-error.js';
import { verdict } from '../verdict.js';
import { describeRule, type NetRule, RULE_READERS, readRules } from './network-rules.js';
import type { CompiledFilter, CompileEnv, FilterSpec, TypedFilter } from './types.js';
import { compileValueTest } from './value.js';

function portList(v: unknown, at: (string | number)[]): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((p) => !Number.isInteger(p) || p < 0 || p > 65535)) {
    throw new SpecError(at, 'must be a list of port numbers (0-65535)');
  }
  return v as number[];
}

function cidrList(v: unknown, at: (string | number)[]): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new SpecError(at, 'must be a list of CIDR ranges');
  v.forEach((c, i) => {
    if (typeof c !== 'string' || !parseCidr(c))
      throw new SpecError([...at, i], `not a CIDR: ${JSON.stringify(c)}`);
  });
  return v as string[];
}

function covers(rule: NetRule, port: number): boolean {
  return rule.from === undefined || (rule.from <= port && port <= (rule.to ?? rule.from));
}

function protocolCarriesPorts(rule: NetRule, wanted: string | undefined): boolean {
  if (rule.protocol === 'all') return true;
  if (wanted !== undefined) return rule.protocol === wanted;
  return rule.protocol === 'tcp' || rule.protocol === 'udp';
}

/**
 * `ingress` / `egress`: matches when an allow rule of the resource opens one of `Ports` (any port when
 * omitted) over `IpProtocol` (tcp or udp when omitted; all-protocol rules always count) to a source
 * that satisfies `Cidr` (a value test on the CIDR string). When `AllowedCidrs` is a non-empty list it
 * replaces the `Cidr` test: any source outside those ranges matches (an allow-list of known ranges).
 */
function networkFilter(direction: 'ingress' | 'egress'): TypedFilter {
  return {
    name: direction,
    description: `${direction} rules of security groups, NSGs, firewalls: ports, protocol and source ranges`,
    resourceTypes: Object.keys(RULE_READERS),
    options: ['Ports', 'OnlyPorts', 'IpProtocol', 'Cidr', 'AllowedCidrs'],
    compile(spec: FilterSpec, env: CompileEnv): CompiledFilter {
      const at = env.at;
      const ports = portList(spec.Ports, [...at, 'Ports']);
      const onlyPorts = portList(spec.OnlyPorts, [...at, 'OnlyPorts']);
      const wantedProtocol =
        spec.IpProtocol === undefined ? undefined : String(spec.IpProtocol).toLowerCase();
      const allowed = cidrList(spec.AllowedCidrs, [...at, 'AllowedCidrs']);
      let cidrTest: ((cidr: string, now: Date) => boolean) | undefined;
      if (spec.Cidr !== undefined) {
        const c = spec.Cidr;
        const cidrSpec =
          c && typeof c === 'object' && !Array.isArray(c)
            ? (c as Record<string, unknown>)
            : { value: c, op: 'eq' };
        cidrTest = compileValueTest(cidrSpec, [...at, 'Cidr']);
      }
      const matches = (rule: NetRule, now: Date): boolean => {
        if (!rule.allow) return false;
        if (ports && !(protocolCarriesPorts(rule, wantedProtocol) && ports.some((p) => covers(rule, p))))
          return false;
        if (
          !ports &&
          wantedProtocol !== undefined &&
          rule.protocol !== 'all' &&
          rule.protocol !== wantedProtocol
        ) {
          return false;
        }
        if (onlyPorts) {
          // OnlyPorts: the rule matches if it opens anything beyond the listed ports.
          const within =
            rule.from !== undefined && onlyPorts.some((p) => rule.from === p && (rule.to ?? rule.from) === p);
          if (within) return false;
        }
        if (allowed && allowed.length > 0) return !allowed.some((a) => cidrWithin(rule.cidr, a));
        return cidrTest ? cidrTest(rule.cidr, now) : true;
      };
      const paths = env.resourceTypes.flatMap((t) => RULE_READERS[t]?.({}, direction).paths ?? []);
      return {
        paths: [...new Set(paths)],
        evaluate(resource, ctx) {
          const set = readRules(resource, direction);
          const evidence: Evidence[] = [];
          for (const rule of set.rules) {
            if (matches(rule, ctx.now))
              evidence.push({ path: rule.path, value: rule.cidr, note: describeRule(rule) });
          }
          if (evidence.length > 0) return verdict(true, evidence);
          return ctx.undecided(set.paths) ?? verdict(false);
        },
      };
    },
  };
}

export const ingressFilter = networkFilter('ingress');
export const egressFilter = networkFilter('egress');
