import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  EC2Client,
  type Image,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import type { Resource } from '../../../../model/resource.js';
import { arn, liveResource, plainObject, recordError } from '../../resource.js';
import type { CollectorContext } from '../../types.js';
import { type Listed, listAll, listOnce } from './list.js';

export const VOLUME = 'aws.ec2.volume';
export const SNAPSHOT = 'aws.ec2.snapshot';
export const IMAGE = 'aws.ec2.image';

export function listVolumes(ctx: CollectorContext): Promise<Listed<Volume>> {
  const client = ctx.client(EC2Client);
  return listAll(
    ctx,
    'DescribeVolumes',
    VOLUME,
    () => paginateDescribeVolumes({ client, pageSize: 500 }, {}),
    (p) => p.Volumes,
  );
}

export function volumeResources(ctx: CollectorContext, volumes: readonly Volume[]): Resource[] {
  return volumes.flatMap((v) => {
    if (!v.VolumeId) return [];
    const config = plainObject(v);
    config.Encrypted = v.Encrypted === true;
    config.Attachments ??= [];
    config.Tags ??= [];
    return [
      liveResource(ctx, {
        type: VOLUME,
        id: arn(ctx, 'ec2', `volume/${v.VolumeId}`),
        nativeName: v.VolumeId,
        config,
      }),
    ];
  });
}

/** `[{Group: 'all'} | {UserId}]`, the shape both sharing attributes use. */
function permissions(
  list: readonly { Group?: string; UserId?: string }[] | undefined,
): Record<string, string>[] {
  return (list ?? []).flatMap((p): Record<string, string>[] =>
    p.Group ? [{ Group: p.Group }] : p.UserId ? [{ UserId: p.UserId }] : [],
  );
}

/** Snapshots the account owns (never the public catalogue), with who may create volumes from them. */
export async function snapshotResources(ctx: CollectorContext): Promise<Listed<Resource>> {
  const client = ctx.client(EC2Client);
  const listed = await listAll<{ Snapshots?: Snapshot[] }, Snapshot>(
    ctx,
    'DescribeSnapshots',
    SNAPSHOT,
    () => paginateDescribeSnapshots({ client, pageSize: 1000 }, { OwnerIds: ['self'] }),
    (p) => p.Snapshots,
  );
  return listed.ok ? { ok: true, items: await snapshotsOf(ctx, listed.items) } : listed;
}

/** Snapshot resources from Describe items, with their sharing attribute when a policy reads it. */
export function snapshotsOf(ctx: CollectorContext, snapshots: readonly Snapshot[]): Promise<Resource[]> {
  const client = ctx.client(EC2Client);
  const wantsSharing = ctx.needs(SNAPSHOT, 'CreateVolumePermissions');
  return Promise.all(
    snapshots.flatMap((s) => {
      if (!s.SnapshotId) return [];
      const config = plainObject(s);
      config.Encrypted = s.Encrypted === true;
      config.Tags ??= [];
      const r = liveResource(ctx, {
        type: SNAPSHOT,
        id: `arn:${ctx.partition}:ec2:${ctx.region}::snapshot/${s.SnapshotId}`,
        nativeName: s.SnapshotId,
        config,
      });
      if (!wantsSharing) return [Promise.resolve(r)];
      return [
        ctx
          .limit('ec2', () =>
            client.send(
              new DescribeSnapshotAttributeCommand({
                SnapshotId: s.SnapshotId,
                Attribute: 'createVolumePermission',
              }),
            ),
          )
          .then(
            (out) => {
              config.CreateVolumePermissions = permissions(out.CreateVolumePermissions);
              return r;
            },
            (err) => {
              recordError(
                r,
                'CreateVolumePermissions',
                ctx.toCallError(err, 'ec2', 'DescribeSnapshotAttribute'),
              );
              return r;
            },
          ),
      ];
    }),
  );
}

/** AMIs the account owns, with their launch permissions. */
export async function imageResources(ctx: CollectorContext): Promise<Listed<Resource>> {
  const client = ctx.client(EC2Client);
  // The SDK has no paginator for DescribeImages: follow NextToken by hand, bounded.
  const listed = await listOnce<Image>(ctx, 'DescribeImages', IMAGE, async () => {
    const out: Image[] = [];
    let token: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const res = await client.send(
        new DescribeImagesCommand({ Owners: ['self'], ...(token ? { NextToken: token } : {}) }),
      );
      out.push(...(res.Images ?? []));
      token = res.NextToken;
      if (!token) break;
    }
    return out;
  });
  return listed.ok ? { ok: true, items: await imagesOf(ctx, listed.items) } : listed;
}

/** Image resources from Describe items, with their launch permissions when a policy reads them. */
export function imagesOf(ctx: CollectorContext, images: readonly Image[]): Promise<Resource[]> {
  const client = ctx.client(EC2Client);
  const wantsSharing = ctx.needs(IMAGE, 'LaunchPermissions');
  return Promise.all(
    images.flatMap((img) => {
      if (!img.ImageId) return [];
      const config = plainObject(img);
      config.Public = img.Public === true;
      config.Tags ??= [];
      const r = liveResource(ctx, {
        type: IMAGE,
        id: `arn:${ctx.partition}:ec2:${ctx.region}::image/${img.ImageId}`,
        nativeName: img.Name ?? img.ImageId,
        config,
      });
      if (!wantsSharing) return [Promise.resolve(r)];
      return [
        ctx
          .limit('ec2', () =>
            client.send(
              new DescribeImageAttributeCommand({ ImageId: img.ImageId, Attribute: 'launchPermission' }),
            ),
          )
          .then(
            (out) => {
              config.LaunchPermissions = permissions(out.LaunchPermissions);
              return r;
            },
            (err) => {
              recordError(r, 'LaunchPermissions', ctx.toCallError(err, 'ec2', 'DescribeImageAttribute'));
              return r;
            },
          ),
      ];
    }),
  );
}
