import { firstKnown, ifKnown, pushUnique } from '../config.js';
import { isMarker, type Marker } from '../markers.js';
import type { ResourceSpec, TypeTable } from '../types.js';
import { blocks, bool, firstBlock, known, mapList, num, str, strList, type Values } from '../values.js';

function blockDevice(b: Values): Record<string, unknown> {
  return {
    DeviceName: str(b.device_name),
    Ebs: {
      VolumeId: str(b.volume_id),
      SnapshotId: str(b.snapshot_id),
      Encrypted: bool(b.encrypted),
      KmsKeyId: str(b.kms_key_id),
      VolumeSize: num(b.volume_size),
      VolumeType: str(b.volume_type),
      DeleteOnTermination: bool(b.delete_on_termination),
    },
  };
}

/** Root device first, then EBS devices; an unknown part stays an unknown element. */
function blockDeviceMappings(root: unknown, ebs: unknown): unknown[] {
  const out: unknown[] = [];
  const rootBlock = firstBlock(root);
  if (rootBlock !== undefined) out.push(isMarker(rootBlock) ? rootBlock : blockDevice(rootBlock));
  const ebsBlocks = blocks(ebs);
  if (isMarker(ebsBlocks)) out.push(ebsBlocks);
  else for (const b of ebsBlocks) out.push(isMarker(b) ? b : blockDevice(b));
  return out;
}

/** VPC group ids win; `security_groups` (names) only speak for instances outside a VPC. */
function instanceGroups(ids: unknown, names: unknown): unknown {
  const byId = strList(ids);
  if (isMarker(byId) || byId.length > 0) return mapList(byId, (id) => ({ GroupId: id }));
  return mapList(strList(names), (n) => ({ GroupName: n }));
}

function metadataOptions(value: unknown): unknown {
  const block = firstBlock(value);
  if (isMarker(block)) return block;
  // EC2's defaults when the launch request names none.
  return {
    HttpTokens: str(block?.http_tokens) ?? 'optional',
    HttpEndpoint: str(block?.http_endpoint) ?? 'enabled',
  };
}

const instance: ResourceSpec = {
  provider: 'aws',
  type: 'aws.ec2.instance',
  nameKey: 'InstanceId',
  refs: {
    iam_instance_profile: 'IamInstanceProfile',
    key_name: 'KeyName',
    subnet_id: 'SubnetId',
    vpc_security_group_ids: 'SecurityGroups',
    security_groups: 'SecurityGroups',
    ami: 'ImageId',
    root_block_device: 'BlockDeviceMappings',
    ebs_block_device: 'BlockDeviceMappings',
  },
  // user_data and user_data_base64 are deliberately never read: they routinely carry secrets.
  translate: (v) => ({
    InstanceId: str(v.id),
    ImageId: str(v.ami),
    InstanceType: str(v.instance_type),
    KeyName: str(v.key_name),
    SubnetId: str(v.subnet_id),
    PrivateIpAddress: str(v.private_ip),
    PublicIpAddress: str(v.public_ip),
    AssociatePublicIpAddress: bool(v.associate_public_ip_address),
    SecurityGroups: instanceGroups(v.vpc_security_group_ids, v.security_groups),
    IamInstanceProfile: known(str(v.iam_instance_profile), (name) => ({ Name: name })),
    MetadataOptions: metadataOptions(v.metadata_options),
    BlockDeviceMappings: blockDeviceMappings(v.root_block_device, v.ebs_block_device),
    State: known(str(v.instance_state), (s) => ({ Name: s })),
  }),
};

const volume: ResourceSpec = {
  provider: 'aws',
  type: 'aws.ec2.volume',
  nameKey: 'VolumeId',
  refs: { kms_key_id: 'KmsKeyId', snapshot_id: 'SnapshotId' },
  translate: (v) => ({
    VolumeId: str(v.id),
    AvailabilityZone: str(v.availability_zone),
    Size: num(v.size),
    // EC2 defaults: gp2, and unencrypted unless the request (or account default) says otherwise.
    VolumeType: str(v.type) ?? 'gp2',
    Encrypted: bool(v.encrypted, false),
    KmsKeyId: str(v.kms_key_id),
    Iops: ifKnown(num(v.iops)) || undefined,
    SnapshotId: ifKnown(str(v.snapshot_id)),
    MultiAttachEnabled: bool(v.multi_attach_enabled, false),
    Attachments: [],
  }),
};

function snapshotSpec(): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.ec2.snapshot',
    nameKey: 'SnapshotId',
    refs: { volume_id: 'VolumeId', source_snapshot_id: 'SourceSnapshotId', kms_key_id: 'KmsKeyId' },
    translate: (v) => ({
      SnapshotId: str(v.id),
      VolumeId: str(v.volume_id),
      Description: str(v.description),
      Encrypted: bool(v.encrypted),
      KmsKeyId: str(v.kms_key_id),
      VolumeSize: num(v.volume_size),
      OwnerId: ifKnown(str(v.owner_id)),
      CreateVolumePermissions: [],
    }),
  };
}

function imageSpec(): ResourceSpec {
  return {
    provider: 'aws',
    type: 'aws.ec2.image',
    nameKey: 'Name',
    translate: (v) => ({
      ImageId: str(v.id),
      Name: str(v.name),
      Description: str(v.description),
      Public: bool(v.public, false),
      RootDeviceName: str(v.root_device_name),
      BlockDeviceMappings: blockDeviceMappings(undefined, v.ebs_block_device),
      LaunchPermissions: [],
    }),
  };
}

/** AWS names the key type after the public key's algorithm. */
function keyType(publicKey: unknown): string | undefined {
  if (typeof publicKey !== 'string') return undefined;
  if (publicKey.startsWith('ssh-ed25519')) return 'ed25519';
  if (publicKey.startsWith('ssh-rsa')) return 'rsa';
  return undefined;
}

const keyPair: ResourceSpec = {
  provider: 'aws',
  type: 'aws.ec2.key-pair',
  nameKey: 'KeyName',
  keys: ['id', 'key_name', 'key_pair_id', 'arn'],
  identity: { id: 'key_name' },
  translate: (v) => ({
    KeyName: str(v.key_name),
    KeyPairId: str(v.key_pair_id),
    KeyFingerprint: str(v.fingerprint),
    KeyType: firstKnown<string>(str(v.key_type), keyType(v.public_key)),
  }),
};

const SNAPSHOTS = ['aws_ebs_snapshot', 'aws_ebs_snapshot_copy', 'aws_ebs_snapshot_import'] as const;
const IMAGES = ['aws_ami', 'aws_ami_copy', 'aws_ami_from_instance'] as const;

function launchPermission(v: Values): Record<string, unknown> | Marker | undefined {
  const account = str(v.account_id);
  if (account !== undefined) return account === 'all' ? { Group: 'all' } : { UserId: account };
  const group = str(v.group);
  if (group !== undefined) return { Group: group };
  const org = str(v.organization_arn);
  if (org !== undefined) return { OrganizationArn: org };
  const ou = str(v.organizational_unit_arn);
  return ou === undefined ? undefined : { OrganizationalUnitArn: ou };
}

const IMAGE_READ_BACK = ['ebs_block_device', 'ephemeral_block_device', 'public'];

export const EC2_TYPES: TypeTable = {
  aws_instance: {
    resource: instance,
    names: ['iam_instance_profile', 'key_name'],
    readBack: [
      'ebs_block_device',
      'ephemeral_block_device',
      'network_interface',
      'metadata_options',
      'security_groups',
    ],
  },
  aws_ebs_volume: {
    resource: volume,
    readBack: ['encrypted', 'kms_key_id', 'type', 'iops', 'throughput', 'snapshot_id'],
  },
  aws_volume_attachment: {
    joins: [
      {
        parents: ['aws_ebs_volume'],
        via: 'volume_id',
        refAttr: 'Attachments',
        apply: (parent, v) => {
          pushUnique(parent.config, 'Attachments', [
            {
              InstanceId: str(v.instance_id),
              Device: str(v.device_name),
              VolumeId: parent.config.VolumeId,
              State: 'attached',
            },
          ]);
        },
      },
    ],
  },
  aws_ebs_snapshot: { resource: snapshotSpec() },
  aws_ebs_snapshot_copy: { resource: snapshotSpec() },
  aws_ebs_snapshot_import: { resource: snapshotSpec() },
  aws_snapshot_create_volume_permission: {
    joins: [
      {
        parents: SNAPSHOTS,
        via: 'snapshot_id',
        refAttr: 'CreateVolumePermissions',
        apply: (parent, v) => {
          const account = str(v.account_id);
          const entry = known(account, (a) => (a === 'all' ? { Group: 'all' } : { UserId: a }));
          pushUnique(parent.config, 'CreateVolumePermissions', [entry]);
        },
      },
    ],
  },
  aws_ami: { resource: imageSpec(), readBack: IMAGE_READ_BACK },
  aws_ami_copy: { resource: imageSpec(), readBack: IMAGE_READ_BACK },
  aws_ami_from_instance: { resource: imageSpec(), readBack: IMAGE_READ_BACK },
  aws_ami_launch_permission: {
    joins: [
      {
        parents: IMAGES,
        via: 'image_id',
        refAttr: 'LaunchPermissions',
        apply: (parent, v) => pushUnique(parent.config, 'LaunchPermissions', [launchPermission(v)]),
      },
    ],
  },
  aws_key_pair: { resource: keyPair, readBack: ['key_type'] },
};
