import type { Resource } from '../model/resource.js';

/**
 * Per-type reshaping before the diff, where the API's grouping hides the unit that changes.
 * A security group permission groups every source of one protocol/port range; a rule added to an
 * existing group of sources must read as one added rule, so permissions are split into one entry per
 * (protocol, ports, source) — the unit AuthorizeSecurityGroupIngress / Revoke… take.
 */
export interface RuleAtom {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  CidrIpv6?: string;
  GroupId?: string;
  PrefixListId?: string;
  Description?: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

export function splitPermissions(perms: unknown): unknown {
  if (!Array.isArray(perms)) return perms;
  const out: RuleAtom[] = [];
  for (const p of perms) {
    if (!isRec(p)) continue;
    const base: RuleAtom = { IpProtocol: String(p.IpProtocol ?? '-1') };
    if (typeof p.FromPort === 'number') base.FromPort = p.FromPort;
    if (typeof p.ToPort === 'number') base.ToPort = p.ToPort;
    const add = (extra: Partial<RuleAtom>, description: unknown) => {
      const atom: RuleAtom = { ...base, ...extra };
      if (typeof description === 'string' && description !== '') atom.Description = description;
      out.push(atom);
    };
    for (const r of Array.isArray(p.IpRanges) ? p.IpRanges : [])
      if (isRec(r)) add({ CidrIp: String(r.CidrIp) }, r.Description);
    for (const r of Array.isArray(p.Ipv6Ranges) ? p.Ipv6Ranges : [])
      if (isRec(r)) add({ CidrIpv6: String(r.CidrIpv6) }, r.Description);
    for (const r of Array.isArray(p.UserIdGroupPairs) ? p.UserIdGroupPairs : [])
      if (isRec(r)) add({ GroupId: String(r.GroupId) }, r.Description);
    for (const r of Array.isArray(p.PrefixListIds) ? p.PrefixListIds : [])
      if (isRec(r)) add({ PrefixListId: String(r.PrefixListId) }, r.Description);
  }
  return out;
}

/** The view of a resource that drift compares: its tags and its config, reshaped per type. */
export function driftView(resource: Resource): { tags: Rec; config: Rec } {
  let config = resource.config;
  if (resource.type === 'aws.ec2.security-group') {
    config = {
      ...config,
      IpPermissions: splitPermissions(config.IpPermissions),
      IpPermissionsEgress: splitPermissions(config.IpPermissionsEgress),
    };
  }
  return { tags: resource.tags ?? {}, config };
}
