import type { Volume } from '@aws-sdk/client-ec2';
import type { Resource } from '../../../../model/resource.js';
import type { AwsCallError, Collector, CollectorOutput } from '../../types.js';
import {
  INSTANCE,
  instanceResource,
  KEY_PAIR,
  keyPairResource,
  listInstances,
  listKeyPairs,
} from './instances.js';
import type { Listed } from './list.js';
import { collectNetwork, NETWORK_TYPES } from './network.js';
import { refreshEc2 } from './refresh.js';
import { listSecurityGroups, SECURITY_GROUP, securityGroupResource } from './security-groups.js';
import {
  IMAGE,
  imageResources,
  listVolumes,
  SNAPSHOT,
  snapshotResources,
  VOLUME,
  volumeResources,
} from './storage.js';

export const EC2_TYPES = [
  INSTANCE,
  SECURITY_GROUP,
  KEY_PAIR,
  VOLUME,
  SNAPSHOT,
  IMAGE,
  ...NETWORK_TYPES,
] as const;

/** A list that was not asked for: empty, not failed. */
function skipped<T>(): Promise<Listed<T>> {
  return Promise.resolve({ ok: true, items: [] });
}

/**
 * EC2 and VPC resources of one region. One collector so joins stay local: the volume list fills the
 * instances' block devices and the flow-log list fills the VPCs, each read once. `types` narrows the
 * lists made (`--via-config` reads the rest from AWS Config).
 */
export function makeEc2Collector(types: readonly string[] = EC2_TYPES): Collector {
  const wants = new Set(types);
  const when = <T>(type: string, f: () => Promise<Listed<T>>): Promise<Listed<T>> =>
    wants.has(type) ? f() : skipped<T>();
  return {
    service: 'ec2',
    scope: 'regional',
    types: [...wants],
    refresh: (ctx, touched) =>
      touched.every((t) => wants.has(t.type)) ? refreshEc2(ctx, touched) : Promise.resolve(undefined),
    async collect(ctx): Promise<CollectorOutput> {
      const [instances, volumes, groups, keys, snapshots, images, network] = await Promise.all([
        when(INSTANCE, () => listInstances(ctx)),
        // Instances need the volumes for their block devices even when volumes are not wanted.
        wants.has(VOLUME) || wants.has(INSTANCE) ? listVolumes(ctx) : skipped<Volume>(),
        when(SECURITY_GROUP, () => listSecurityGroups(ctx)),
        when(KEY_PAIR, () => listKeyPairs(ctx)),
        when(SNAPSHOT, () => snapshotResources(ctx)),
        when(IMAGE, () => imageResources(ctx)),
        collectNetwork(ctx, wants),
      ]);
      const resources: Resource[] = [...network.resources];
      const failures: AwsCallError[] = [...network.failures];
      const add = <T>(
        listed: { ok: true; items: T[] } | { ok: false; error: AwsCallError },
        f: (item: T) => Resource | Resource[] | undefined,
      ) => {
        if (!listed.ok) {
          failures.push(listed.error);
          return;
        }
        for (const item of listed.items) {
          const r = f(item);
          if (Array.isArray(r)) resources.push(...r);
          else if (r) resources.push(r);
        }
      };
      add(instances, (i) => instanceResource(ctx, i, volumes));
      if (!volumes.ok) failures.push(volumes.error);
      else if (wants.has(VOLUME)) resources.push(...volumeResources(ctx, volumes.items));
      add(groups, (g) => securityGroupResource(ctx, g));
      add(keys, (k) => keyPairResource(ctx, k));
      add(snapshots, (s) => s);
      add(images, (i) => i);
      return { resources, failures };
    },
  };
}

export const ec2Collector: Collector = makeEc2Collector();
