import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBSnapshots,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { Resource } from '../../../model/resource.js';
import { liveResource, plainObject } from '../resource.js';
import type { AwsCallError, Collector, CollectorContext, CollectorOutput, RefreshTarget } from '../types.js';
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

const INSTANCE = 'aws.rds.instance';
const CLUSTER = 'aws.rds.cluster';
const SNAPSHOT = 'aws.rds.snapshot';

/** What AWS answers for an identifier that names nothing (any more). */
const NOT_FOUND = /^(DBInstanceNotFound|DBClusterNotFound|DBSnapshotNotFound)(Fault)?$/;

/** The identifier of a touched RDS resource: its name, or the last segment of `arn:…:db:<id>`. */
function identifier(t: RefreshTarget): string | undefined {
  return t.name ?? t.id?.split(':').at(-1);
}

/**
 * One resource by identifier: one Describe call (plus the snapshot's attributes when a policy reads
 * them). NotFound is gone; any other error is a failed re-read, reported for the type.
 */
async function readOne(
  ctx: CollectorContext,
  rds: RDSClient,
  t: RefreshTarget,
  failures: AwsCallError[],
): Promise<Resource | undefined> {
  const id = identifier(t);
  if (!id) return undefined;
  const op =
    t.type === INSTANCE
      ? 'DescribeDBInstances'
      : t.type === CLUSTER
        ? 'DescribeDBClusters'
        : 'DescribeDBSnapshots';
  try {
    const one = async (): Promise<Resource | undefined> => {
      if (t.type === INSTANCE) {
        const out = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
        const i = out.DBInstances?.[0];
        return i && build(ctx, INSTANCE, i, i.DBInstanceArn, i.DBInstanceIdentifier);
      }
      if (t.type === CLUSTER) {
        const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
        const c = out.DBClusters?.[0];
        return c && build(ctx, CLUSTER, c, c.DBClusterArn, c.DBClusterIdentifier);
      }
      const out = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }));
      const s = out.DBSnapshots?.[0];
      // The full collection holds the account's manual snapshots only.
      return s && s.SnapshotType === 'manual'
        ? build(ctx, SNAPSHOT, s, s.DBSnapshotArn, s.DBSnapshotIdentifier)
        : undefined;
    };
    const r = await ctx.limit(SERVICE, one);
    if (r && r.type === SNAPSHOT && ctx.needs(SNAPSHOT, 'Attributes')) await snapshotAttributes(ctx, rds, r);
    return r;
  } catch (err) {
    const error = ctx.toCallError(err, SERVICE, op);
    if (NOT_FOUND.test(error.code)) return undefined;
    error.resourceType = t.type;
    failures.push(error);
    return undefined;
  }
}

async function refreshRds(
  ctx: CollectorContext,
  touched: readonly RefreshTarget[],
): Promise<CollectorOutput | undefined> {
  if (touched.some((t) => identifier(t) === undefined)) return undefined;
  const rds = ctx.client(RDSClient);
  const failures: AwsCallError[] = [];
  const found = await Promise.all(touched.map((t) => readOne(ctx, rds, t, failures)));
  return { resources: found.filter((r): r is Resource => r !== undefined), failures };
}

export const rdsCollector: Collector = {
  service: SERVICE,
  types: [INSTANCE, CLUSTER, SNAPSHOT],
  scope: 'regional',
  refresh: refreshRds,
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
