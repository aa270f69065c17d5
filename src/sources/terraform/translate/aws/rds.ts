import { firstKnown } from '../config.js';
import type { ResourceSpec, TypeTable } from '../types.js';
import { bool, known, mapList, num, str, strList, type Values } from '../values.js';

function securityGroups(ids: unknown): unknown {
  return mapList(strList(ids), (id) => ({ VpcSecurityGroupId: id, Status: 'active' }));
}

const RDS_REFS = {
  vpc_security_group_ids: 'VpcSecurityGroups',
  db_subnet_group_name: 'DBSubnetGroup',
  kms_key_id: 'KmsKeyId',
};

/** The master password (`password`, `password_wo`, `master_password`) is never read. */
const instance: ResourceSpec = {
  provider: 'aws',
  type: 'aws.rds.instance',
  nameKey: 'DBInstanceIdentifier',
  keys: ['id', 'identifier', 'arn', 'resource_id'],
  refs: { ...RDS_REFS, replicate_source_db: 'ReadReplicaSourceDBInstanceIdentifier' },
  translate: (v) => ({
    DBInstanceIdentifier: str(v.identifier),
    DBInstanceArn: str(v.arn),
    DbiResourceId: str(v.resource_id),
    Engine: str(v.engine),
    EngineVersion: firstKnown(str(v.engine_version_actual), str(v.engine_version)),
    DBInstanceClass: str(v.instance_class),
    AllocatedStorage: num(v.allocated_storage),
    StorageType: str(v.storage_type),
    // RDS defaults when the create request omits them.
    StorageEncrypted: bool(v.storage_encrypted, false),
    KmsKeyId: str(v.kms_key_id),
    PubliclyAccessible: bool(v.publicly_accessible, false),
    VpcSecurityGroups: securityGroups(v.vpc_security_group_ids),
    DBSubnetGroup: known(str(v.db_subnet_group_name), (name) => ({ DBSubnetGroupName: name })),
    BackupRetentionPeriod: num(v.backup_retention_period, 1),
    MultiAZ: bool(v.multi_az, false),
    AutoMinorVersionUpgrade: bool(v.auto_minor_version_upgrade, true),
    IAMDatabaseAuthenticationEnabled: bool(v.iam_database_authentication_enabled, false),
    DeletionProtection: bool(v.deletion_protection, false),
    ReadReplicaSourceDBInstanceIdentifier: str(v.replicate_source_db),
  }),
};

/** A cluster member: encryption and network exposure come from its cluster, so only known values are kept. */
const clusterInstance: ResourceSpec = {
  provider: 'aws',
  type: 'aws.rds.instance',
  nameKey: 'DBInstanceIdentifier',
  keys: ['id', 'identifier', 'arn'],
  refs: { cluster_identifier: 'DBClusterIdentifier', db_subnet_group_name: 'DBSubnetGroup' },
  translate: (v) => ({
    DBInstanceIdentifier: str(v.identifier),
    DBInstanceArn: str(v.arn),
    DBClusterIdentifier: str(v.cluster_identifier),
    Engine: str(v.engine),
    EngineVersion: firstKnown(str(v.engine_version_actual), str(v.engine_version)),
    DBInstanceClass: str(v.instance_class),
    StorageEncrypted: bool(v.storage_encrypted),
    KmsKeyId: str(v.kms_key_id),
    PubliclyAccessible: bool(v.publicly_accessible, false),
    DBSubnetGroup: known(str(v.db_subnet_group_name), (name) => ({ DBSubnetGroupName: name })),
    AutoMinorVersionUpgrade: bool(v.auto_minor_version_upgrade, true),
  }),
};

function clusterEncrypted(v: Values): unknown {
  // Aurora Serverless v1 clusters are always encrypted; others only when asked.
  const mode = str(v.engine_mode) ?? 'provisioned';
  return bool(v.storage_encrypted, mode === 'serverless');
}

const cluster: ResourceSpec = {
  provider: 'aws',
  type: 'aws.rds.cluster',
  nameKey: 'DBClusterIdentifier',
  keys: ['id', 'cluster_identifier', 'arn', 'cluster_resource_id'],
  refs: RDS_REFS,
  translate: (v) => ({
    DBClusterIdentifier: str(v.cluster_identifier),
    DBClusterArn: str(v.arn),
    Engine: str(v.engine) ?? 'aurora',
    EngineVersion: firstKnown(str(v.engine_version_actual), str(v.engine_version)),
    EngineMode: str(v.engine_mode) ?? 'provisioned',
    StorageEncrypted: clusterEncrypted(v),
    KmsKeyId: str(v.kms_key_id),
    VpcSecurityGroups: securityGroups(v.vpc_security_group_ids),
    DBSubnetGroup: str(v.db_subnet_group_name),
    BackupRetentionPeriod: num(v.backup_retention_period, 1),
    IAMDatabaseAuthenticationEnabled: bool(v.iam_database_authentication_enabled, false),
    DeletionProtection: bool(v.deletion_protection, false),
  }),
};

const snapshot: ResourceSpec = {
  provider: 'aws',
  type: 'aws.rds.snapshot',
  nameKey: 'DBSnapshotIdentifier',
  refs: { db_instance_identifier: 'DBInstanceIdentifier' },
  translate: (v) => ({
    DBSnapshotIdentifier: str(v.db_snapshot_identifier),
    DBSnapshotArn: str(v.db_snapshot_arn),
    DBInstanceIdentifier: str(v.db_instance_identifier),
    Encrypted: bool(v.encrypted),
    KmsKeyId: str(v.kms_key_id),
    Attributes: [{ AttributeName: 'restore', AttributeValues: strList(v.shared_accounts) }],
  }),
};

const subnetGroup: ResourceSpec = {
  provider: 'aws',
  type: 'aws.rds.db-subnet-group',
  nameKey: 'DBSubnetGroupName',
  keys: ['id', 'name', 'arn'],
  identity: { id: 'name' },
  refs: { subnet_ids: 'Subnets' },
  translate: (v) => ({
    DBSubnetGroupName: str(v.name),
    DBSubnetGroupArn: str(v.arn),
    DBSubnetGroupDescription: str(v.description) ?? 'Managed by Terraform',
    VpcId: str(v.vpc_id),
    Subnets: mapList(strList(v.subnet_ids), (s) => ({ SubnetIdentifier: s })),
  }),
};

export const RDS_TYPES: TypeTable = {
  aws_db_instance: {
    resource: instance,
    names: ['db_subnet_group_name'],
    readBack: [
      'multi_az',
      'backup_retention_period',
      'kms_key_id',
      'storage_type',
      'db_subnet_group_name',
      'engine_version',
    ],
  },
  aws_rds_cluster_instance: { resource: clusterInstance, names: ['db_subnet_group_name'] },
  aws_rds_cluster: {
    resource: cluster,
    names: ['db_subnet_group_name'],
    readBack: [
      'storage_encrypted',
      'kms_key_id',
      'backup_retention_period',
      'engine_version',
      'engine_mode',
      'db_subnet_group_name',
    ],
  },
  aws_db_snapshot: { resource: snapshot, readBack: ['shared_accounts'] },
  aws_db_subnet_group: { resource: subnetGroup },
};
