import { EC2Client, paginateDescribeSecurityGroups, type SecurityGroup } from '@aws-sdk/client-ec2';
import type { Resource } from '../../../../model/resource.js';
import { arn, liveResource, plainObject } from '../../resource.js';
import type { CollectorContext } from '../../types.js';
import { type Listed, listAll } from './list.js';

export const SECURITY_GROUP = 'aws.ec2.security-group';

/** The rule lists always carry their four source lists, so "no IPv6 range" never reads as unknown. */
export function rules(list: unknown): Record<string, unknown>[] {
  if (!Array.isArray(list)) return [];
  return list.map((rule) => {
    const r = plainObject(rule);
    return {
      ...r,
      IpRanges: Array.isArray(r.IpRanges) ? r.IpRanges : [],
      Ipv6Ranges: Array.isArray(r.Ipv6Ranges) ? r.Ipv6Ranges : [],
      UserIdGroupPairs: Array.isArray(r.UserIdGroupPairs) ? r.UserIdGroupPairs : [],
      PrefixListIds: Array.isArray(r.PrefixListIds) ? r.PrefixListIds : [],
    };
  });
}

export function securityGroupResource(ctx: CollectorContext, sg: SecurityGroup): Resource | undefined {
  if (!sg.GroupId) return undefined;
  const config = plainObject(sg);
  config.IpPermissions = rules(sg.IpPermissions);
  config.IpPermissionsEgress = rules(sg.IpPermissionsEgress);
  config.Tags ??= [];
  return liveResource(ctx, {
    type: SECURITY_GROUP,
    id: arn(ctx, 'ec2', `security-group/${sg.GroupId}`),
    nativeName: sg.GroupName ?? sg.GroupId,
    config,
  });
}

export function listSecurityGroups(ctx: CollectorContext): Promise<Listed<SecurityGroup>> {
  const client = ctx.client(EC2Client);
  return listAll(
    ctx,
    'DescribeSecurityGroups',
    SECURITY_GROUP,
    () => paginateDescribeSecurityGroups({ client, pageSize: 1000 }, {}),
    (p) => p.SecurityGroups,
  );
}
