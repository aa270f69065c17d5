import type { Resource } from '../../model/resource.js';
import type { Evidence } from '../../model/result.js';
import { cidrWithin, parseCidr } from '../../util/cidr.js';
import { asObj, objectItems } from '../../util/narrow.js';
import type { EvalContext } from '../context.js';
import { SpecError } from '../spec-error.js';
import { type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, FilterSpec, TypedFilter } from './types.js';

interface Entry {
  index: number;
  ruleNumber: number;
  allow: boolean;
  protocol: string;
  cidr: string | undefined;
  from?: number;
  to?: number;
}

function entries(config: Record<string, unknown>): Entry[] {
  return objectItems(config.Entries)
    .map((e, index) => {
      const range = asObj(e.PortRange);
      const from = typeof range.From === 'number' ? range.From : undefined;
      const to = typeof range.To === 'number' ? range.To : from;
      const cidr =
        typeof e.CidrBlock === 'string'
          ? e.CidrBlock
          : typeof e.Ipv6CidrBlock === 'string'
            ? e.Ipv6CidrBlock
            : undefined;
      return {
        index,
        egress: e.Egress === true,
        ruleNumber: typeof e.RuleNumber === 'number' ? e.RuleNumber : Number(e.RuleNumber),
        allow: String(e.RuleAction ?? '').toLowerCase() === 'allow',
        protocol: String(e.Protocol ?? '-1').toLowerCase(),
        cidr,
        ...(from !== undefined ? { from, to } : {}),
      };
    })
    .filter((e) => !e.egress)
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
}

function applies(entry: Entry, port: number, source: string): boolean {
  if (!entry.cidr || !cidrWithin(source, entry.cidr)) return false;
  if (entry.protocol === '-1' || entry.protocol === 'all') return true;
  if (entry.protocol !== '6' && entry.protocol !== 'tcp') return false;
  if (entry.from === undefined) return true;
  return entry.from <= port && port <= (entry.to ?? entry.from);
}

/**
 * `network-acl-ingress`: true when a network ACL lets one of `Ports` (TCP) in from one of `Cidrs`.
 * Inbound entries are walked in RuleNumber order as AWS does: the first entry that covers the
 * (port, source) pair decides, so a lower-numbered deny protects the port (CIS 5.1).
 */
export const networkAclIngressFilter: TypedFilter = {
  name: 'network-acl-ingress',
  description: 'a network ACL admits TCP ports from sources, first matching rule wins',
  resourceTypes: ['aws.ec2.network-acl'],
  options: ['Ports', 'Cidrs'],
  compile(spec: FilterSpec, env): CompiledFilter {
    const ports = spec.Ports ?? [22, 3389];
    if (
      !Array.isArray(ports) ||
      ports.length === 0 ||
      ports.some((p) => !Number.isInteger(p) || p < 0 || p > 65535)
    )
      throw new SpecError([...env.at, 'Ports'], 'Ports must be a non-empty list of port numbers');
    const cidrs = spec.Cidrs ?? ['0.0.0.0/0', '::/0'];
    if (!Array.isArray(cidrs) || cidrs.some((c) => typeof c !== 'string' || !parseCidr(c)))
      throw new SpecError([...env.at, 'Cidrs'], 'Cidrs must be a list of CIDR ranges');
    const paths = ['Entries'];
    return {
      paths,
      evaluate(resource: Resource, ctx: EvalContext): Verdict {
        const undecided = ctx.undecided(paths);
        if (undecided) return undecided;
        const list = entries(resource.config);
        const evidence: Evidence[] = [];
        for (const port of ports as number[]) {
          for (const source of cidrs as string[]) {
            const first = list.find((e) => applies(e, port, source));
            if (first?.allow)
              evidence.push({
                path: `Entries[${first.index}]`,
                value: first.cidr,
                note: `rule ${first.ruleNumber} allows TCP ${port} from ${source}`,
              });
          }
        }
        return verdict(evidence.length > 0, evidence);
      },
    };
  },
};
