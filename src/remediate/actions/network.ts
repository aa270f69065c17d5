import { z } from 'zod';
import type { AwsCall } from '../../enforce/types.js';
import { asArray, isRec, type Rec, type RemediationAction, regionOf } from './types.js';

const WORLD = new Set(['0.0.0.0/0', '::/0']);

function coversPorts(perm: Rec, ports: readonly number[]): boolean {
  const proto = String(perm.IpProtocol);
  if (proto === '-1') return true;
  if (proto !== 'tcp' && proto !== '6') return false;
  const from = typeof perm.FromPort === 'number' ? perm.FromPort : 0;
  const to = typeof perm.ToPort === 'number' ? perm.ToPort : 65535;
  return ports.some((p) => p >= from && p <= to);
}

function basePermission(perm: Rec): Rec {
  const out: Rec = { IpProtocol: perm.IpProtocol };
  if (perm.FromPort !== undefined) out.FromPort = perm.FromPort;
  if (perm.ToPort !== undefined) out.ToPort = perm.ToPort;
  return out;
}

const options = z
  .object({
    type: z.literal('remove-permissions'),
    ingress: z.literal('matched'),
    ports: z.array(z.number().int().min(0).max(65535)).min(1).default([22, 3389]),
    /** Narrow instead of revoke: re-admit the same ports from these ranges (default: the policy's allowedCidrs). */
    'narrow-to': z.union([z.literal('allowedCidrs'), z.array(z.string())]).optional(),
  })
  .strict();

/**
 * Revokes the world-open (0.0.0.0/0, ::/0) sources of ingress rules that reach the admin ports, and
 * with `narrow-to` authorises the same rule from the allowed ranges instead. Other sources of the
 * same rule are left alone: only the world entries are named in the revoke call.
 */
export const removePermissions: RemediationAction<z.infer<typeof options>> = {
  type: 'remove-permissions',
  resourceTypes: ['aws.ec2.security-group'],
  options,
  plan(resource, opts, ctx) {
    const revoke: Rec[] = [];
    const narrowTo =
      opts['narrow-to'] === 'allowedCidrs'
        ? asArray(ctx.params.allowedCidrs).map(String)
        : (opts['narrow-to'] ?? []);
    const authorize: Rec[] = [];
    for (const perm of asArray(resource.config.IpPermissions)) {
      if (!isRec(perm) || !coversPorts(perm, opts.ports)) continue;
      const v4 = asArray(perm.IpRanges).filter((r) => isRec(r) && WORLD.has(String(r.CidrIp)));
      const v6 = asArray(perm.Ipv6Ranges).filter((r) => isRec(r) && WORLD.has(String(r.CidrIpv6)));
      if (v4.length === 0 && v6.length === 0) continue;
      revoke.push({
        ...basePermission(perm),
        ...(v4.length ? { IpRanges: v4.map((r) => ({ CidrIp: (r as Rec).CidrIp })) } : {}),
        ...(v6.length ? { Ipv6Ranges: v6.map((r) => ({ CidrIpv6: (r as Rec).CidrIpv6 })) } : {}),
      });
      const v4Allowed = narrowTo.filter((c) => !c.includes(':'));
      const v6Allowed = narrowTo.filter((c) => c.includes(':'));
      if (v4Allowed.length || v6Allowed.length)
        authorize.push({
          ...basePermission(perm),
          ...(v4Allowed.length ? { IpRanges: v4Allowed.map((CidrIp) => ({ CidrIp })) } : {}),
          ...(v6Allowed.length ? { Ipv6Ranges: v6Allowed.map((CidrIpv6) => ({ CidrIpv6 })) } : {}),
        });
    }
    if (revoke.length === 0) return { refused: 'no world-open ingress rule on the ports' };
    const GroupId = String(resource.config.GroupId ?? resource.name);
    const region = regionOf(resource);
    const calls: AwsCall[] = [
      {
        service: 'ec2',
        command: 'RevokeSecurityGroupIngress',
        input: { GroupId, IpPermissions: revoke },
        region,
      },
    ];
    if (authorize.length > 0)
      calls.push({
        service: 'ec2',
        command: 'AuthorizeSecurityGroupIngress',
        input: { GroupId, IpPermissions: authorize },
        region,
      });
    return { calls };
  },
};
