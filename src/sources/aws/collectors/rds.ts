import {
  DescribeDBSnapshotAttributesCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBSnapshots,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { Resource } from '../../../model/resource.js';
import { liveResource, plainObject } from '../resource.js';
import type { AwsCallError, Collector, CollectorContext } from '../types.js';
import { collectPages, enrich, listAll } from './support/calls.js';
import { str, type TagList, tagList } from './support/resource.js';

/**
 * RDS instances, clusters and the account's own manual snapshots, one Describe walk each. The
 * snapshots' `restore` attribute (who may restore them: `all` = public) is one call per snapshot,
 * made only when a policy reads `Attributes`.
 */
const SERVICE = 'rds';

/** The describe item as plain JSON with AWS's `TagList` renamed to the `Tags` every type uses. */
function rdsConfig(item: object): Record<string, unknown> {
  const { TagList: tags, ...rest } = plainObject(item);
  return { ...rest, Tags: tagList(tags as TagList) };
}

function build(
  ctx: CollectorContext,
  type: string,
  item: { TagList?: TagList },
  arn: unknown,
  name: unknown,
): Resource | undefined {
  const id = str(arn);
  const nativeName = str(name);
  if (!id || !nativeName) return undefined;
  return liveResource(ctx, { type, id, nativeName, config: rdsConfig(item) });
}

async function snapshotAttributes(ctx: CollectorContext, rds: RDSClient, snapshot: Resource): Promise<void> {
  const id = String(snapshot.config.DBSnapshotIdentifier);
  const out = await enrich(
    ctx,
    snapshot,
    { service: SERVICE, operation: 'DescribeDBSnapshotAttributes', path: 'Attributes' },
    () => rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id })),
  );
  if (out.kind !== 'ok') return;
  snapshot.config.Attributes = (out.value.DBSnapshotAttributesResult?.DBSnapshotAttributes ?? []).map(
    (a) => ({
      AttributeName: str(a.AttributeName),
      AttributeValues: (a.AttributeValues ?? []).filter((v): v is string => typeof v === 'string'),
    }),
  );
}

export const rdsCollector: Collector = {
  service: SERVICE,
  types: ['aws.rds.instance', 'aws.rds.cluster', 'aws.rds.snapshot'],
  scope: 'regional',
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const rds = ctx.client(RDSClient);
    const keep = (r: Resource | undefined): r is Resource => r !== undefined;
    const [instances, clusters, snapshots] = await Promise.all([
      listAll(
        ctx,
        failures,
        { service: SERVICE, operation: 'DescribeDBInstances', type: 'aws.rds.instance' },
        () => collectPages(paginateDescribeDBInstances({ client: rds }, {}), (p) => p.DBInstances),
      ),
      listAll(
        ctx,
        failures,
        { service: SERVICE, operation: 'DescribeDBClusters', type: 'aws.rds.cluster' },
        () => collectPages(paginateDescribeDBClusters({ client: rds }, {}), (p) => p.DBClusters),
      ),
      listAll(
        ctx,
        failures,
        { service: SERVICE, operation: 'DescribeDBSnapshots', type: 'aws.rds.snapshot' },
        () =>
          collectPages(
            paginateDescribeDBSnapshots({ client: rds }, { SnapshotType: 'manual' }),
            (p) => p.DBSnapshots,
          ),
      ),
    ]);
    const resources: Resource[] = [
      ...(instances ?? [])
        .map((i) => build(ctx, 'aws.rds.instance', i, i.DBInstanceArn, i.DBInstanceIdentifier))
        .filter(keep),
      ...(clusters ?? [])
        .map((c) => build(ctx, 'aws.rds.cluster', c, c.DBClusterArn, c.DBClusterIdentifier))
        .filter(keep),
    ];
    const snaps = (snapshots ?? [])
      .map((s) => build(ctx, 'aws.rds.snapshot', s, s.DBSnapshotArn, s.DBSnapshotIdentifier))
      .filter(keep);
    if (ctx.needs('aws.rds.snapshot', 'Attributes'))
      await Promise.all(snaps.map((s) => snapshotAttributes(ctx, rds, s)));
    resources.push(...snaps);
    return { resources, failures };
  },
};
