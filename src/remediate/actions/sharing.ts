import { z } from 'zod';
import { asArray, isRec, type RemediationAction, regionOf } from './types.js';

const options = z.object({ type: z.literal('unshare') }).strict();

/**
 * Removes the public share ("all") of an EBS snapshot, an AMI or an RDS snapshot; shares with named
 * accounts stay.
 */
export const unshare: RemediationAction<z.infer<typeof options>> = {
  type: 'unshare',
  resourceTypes: ['aws.ec2.snapshot', 'aws.ec2.image', 'aws.rds.snapshot'],
  options,
  plan(r) {
    const region = regionOf(r);
    const hasAll = (list: unknown) => asArray(list).some((p) => isRec(p) && p.Group === 'all');
    if (r.type === 'aws.ec2.snapshot') {
      if (!hasAll(r.config.CreateVolumePermissions)) return { refused: 'the snapshot is not public' };
      return {
        calls: [
          {
            service: 'ec2',
            command: 'ModifySnapshotAttribute',
            input: {
              SnapshotId: String(r.config.SnapshotId ?? r.name),
              Attribute: 'createVolumePermission',
              OperationType: 'remove',
              GroupNames: ['all'],
            },
            region,
          },
        ],
      };
    }
    if (r.type === 'aws.ec2.image') {
      if (!hasAll(r.config.LaunchPermissions) && r.config.Public !== true)
        return { refused: 'the image is not public' };
      return {
        calls: [
          {
            service: 'ec2',
            command: 'ModifyImageAttribute',
            input: {
              ImageId: String(r.config.ImageId ?? r.name),
              LaunchPermission: { Remove: [{ Group: 'all' }] },
            },
            region,
          },
        ],
      };
    }
    const restore = asArray(r.config.Attributes).find((a) => isRec(a) && a.AttributeName === 'restore');
    if (!isRec(restore) || !asArray(restore.AttributeValues).includes('all'))
      return { refused: 'the snapshot is not public' };
    return {
      calls: [
        {
          service: 'rds',
          command: 'ModifyDBSnapshotAttribute',
          input: {
            DBSnapshotIdentifier: String(r.config.DBSnapshotIdentifier ?? r.name),
            AttributeName: 'restore',
            ValuesToRemove: ['all'],
          },
          region,
        },
      ],
    };
  },
};
