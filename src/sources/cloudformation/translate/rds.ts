import { UNKNOWN } from '../../../model/unknown.js';
import type { TypeSpec } from '../draft.js';
import { orDefault, type Props } from '../props.js';
import { orGenerated, stringList, wrapStrings } from './common.js';

/** Encryption is inherited, not chosen, when the storage comes from a snapshot or a source database. */
function storageEncrypted(props: Props, inheritFrom: string[]): unknown {
  const written = props.bool('StorageEncrypted');
  if (written !== undefined) return written;
  return inheritFrom.some((key) => props.has(key)) ? UNKNOWN : false;
}

export const dbInstance: TypeSpec = {
  type: 'aws.rds.instance',
  nameKey: 'DBInstanceIdentifier',
  refAttributes: { VPCSecurityGroups: 'VpcSecurityGroups', DBSubnetGroupName: 'DBSubnetGroup' },
  translate(props) {
    const subnetGroup = props.str('DBSubnetGroupName');
    return {
      DBInstanceIdentifier: orGenerated(props.str('DBInstanceIdentifier')),
      Engine: props.str('Engine'),
      EngineVersion: props.str('EngineVersion') ?? UNKNOWN,
      DBInstanceClass: props.str('DBInstanceClass'),
      // Cluster members take encryption from the cluster; the link pass copies it when the cluster is here.
      StorageEncrypted: storageEncrypted(props, [
        'DBClusterIdentifier',
        'DBSnapshotIdentifier',
        'SourceDBInstanceIdentifier',
        'SourceDBClusterIdentifier',
        'DBClusterSnapshotIdentifier',
      ]),
      KmsKeyId: props.str('KmsKeyId'),
      PubliclyAccessible: orDefault(props.bool('PubliclyAccessible'), false),
      VpcSecurityGroups:
        wrapStrings(stringList(props, 'VPCSecurityGroups'), (VpcSecurityGroupId) => ({
          VpcSecurityGroupId,
          Status: 'active',
        })) ?? [],
      DBSubnetGroup: subnetGroup === undefined ? undefined : { DBSubnetGroupName: subnetGroup },
      BackupRetentionPeriod: orDefault(props.num('BackupRetentionPeriod'), 1),
      MultiAZ: orDefault(props.bool('MultiAZ'), false),
      AutoMinorVersionUpgrade: orDefault(props.bool('AutoMinorVersionUpgrade'), true),
      DBClusterIdentifier: props.str('DBClusterIdentifier'),
      IAMDatabaseAuthenticationEnabled: orDefault(props.bool('EnableIAMDatabaseAuthentication'), false),
      DeletionProtection: orDefault(props.bool('DeletionProtection'), false),
    };
  },
};

export const dbCluster: TypeSpec = {
  type: 'aws.rds.cluster',
  nameKey: 'DBClusterIdentifier',
  refAttributes: { VpcSecurityGroupIds: 'VpcSecurityGroups', DBSubnetGroupName: 'DBSubnetGroup' },
  translate(props) {
    const engineMode = props.str('EngineMode');
    // Aurora Serverless v1 storage is always encrypted.
    const encrypted =
      engineMode === 'serverless' && !props.has('StorageEncrypted')
        ? true
        : storageEncrypted(props, ['SnapshotIdentifier', 'SourceDBClusterIdentifier']);
    return {
      DBClusterIdentifier: orGenerated(props.str('DBClusterIdentifier')),
      Engine: props.str('Engine'),
      EngineVersion: props.str('EngineVersion') ?? UNKNOWN,
      EngineMode: orDefault(engineMode, 'provisioned'),
      StorageEncrypted: encrypted,
      KmsKeyId: props.str('KmsKeyId'),
      PubliclyAccessible: props.bool('PubliclyAccessible'),
      VpcSecurityGroups:
        wrapStrings(stringList(props, 'VpcSecurityGroupIds'), (VpcSecurityGroupId) => ({
          VpcSecurityGroupId,
          Status: 'active',
        })) ?? [],
      DBSubnetGroup: props.str('DBSubnetGroupName'),
      BackupRetentionPeriod: orDefault(props.num('BackupRetentionPeriod'), 1),
      IAMDatabaseAuthenticationEnabled: orDefault(props.bool('EnableIAMDatabaseAuthentication'), false),
      DeletionProtection: orDefault(props.bool('DeletionProtection'), false),
    };
  },
};

export const dbSubnetGroup: TypeSpec = {
  type: 'aws.rds.db-subnet-group',
  nameKey: 'DBSubnetGroupName',
  refAttributes: { SubnetIds: 'Subnets' },
  translate(props) {
    return {
      DBSubnetGroupName: orGenerated(props.str('DBSubnetGroupName')),
      DBSubnetGroupDescription: props.str('DBSubnetGroupDescription'),
      VpcId: UNKNOWN,
      Subnets:
        wrapStrings(stringList(props, 'SubnetIds'), (SubnetIdentifier) => ({ SubnetIdentifier })) ?? [],
    };
  },
};
