import { isUnknown, UNKNOWN, type Unknown } from '../../../model/unknown.js';
import { appendTo, type DraftIndex, inheritRefs, type JoinSpec, parentsOf, type TypeSpec } from '../draft.js';
import { type Maybe, orDefault, type Props } from '../props.js';
import { mapList, stringList, stringsOf } from './common.js';

/** The primary network interface (device index 0), where public IP and subnet may be set instead. */
function primaryInterface(props: Props): Record<string, unknown> | Unknown | undefined {
  const interfaces = props.objects('NetworkInterfaces');
  if (interfaces === undefined) return undefined;
  if (isUnknown(interfaces)) return UNKNOWN;
  const found = interfaces.find((item) => !isUnknown(item) && String(item.DeviceIndex ?? '0') === '0');
  return found ?? (interfaces.some(isUnknown) ? UNKNOWN : undefined);
}

function instanceSecurityGroups(props: Props, nic: Record<string, unknown> | Unknown | undefined): unknown {
  if (isUnknown(nic)) return UNKNOWN;
  const sources: [Maybe<(string | Unknown)[]>, string][] = [
    [stringList(props, 'SecurityGroupIds'), 'GroupId'],
    [stringList(props, 'SecurityGroups'), 'GroupName'],
    [nic === undefined ? undefined : stringsOf(props, nic.GroupSet, 'NetworkInterfaces.GroupSet'), 'GroupId'],
  ];
  const groups: Record<string, unknown>[] = [];
  for (const [list, field] of sources) {
    if (isUnknown(list)) return UNKNOWN;
    for (const item of list ?? []) groups.push({ [field]: item });
  }
  // No group given: EC2 puts the instance in the VPC's default group.
  return groups.length > 0 ? groups : [{ GroupId: UNKNOWN, GroupName: 'default' }];
}

/** EBS `Encrypted` when omitted: false, unless the volume comes from a snapshot that decides it. */
function ebsEncrypted(encrypted: Maybe<boolean>, snapshotId: unknown): boolean | Unknown {
  if (encrypted !== undefined) return encrypted;
  return snapshotId === undefined ? false : UNKNOWN;
}

function blockDevices(props: Props): unknown {
  return mapList(props.objects('BlockDeviceMappings'), (mapping, i) => {
    const label = `BlockDeviceMappings[${i}]`;
    const ebs = props.toObj(mapping.Ebs, `${label}.Ebs`, 'BlockDeviceMappings');
    const at = (name: string) => `${label}.Ebs.${name}`;
    return {
      DeviceName: props.toStr(mapping.DeviceName, `${label}.DeviceName`, 'BlockDeviceMappings'),
      NoDevice: mapping.NoDevice === undefined ? undefined : '',
      Ebs:
        ebs === undefined || isUnknown(ebs)
          ? ebs
          : {
              Encrypted: ebsEncrypted(
                props.toBool(ebs.Encrypted, at('Encrypted'), 'BlockDeviceMappings'),
                ebs.SnapshotId,
              ),
              KmsKeyId: props.toStr(ebs.KmsKeyId, at('KmsKeyId'), 'BlockDeviceMappings'),
              VolumeSize: props.toNum(ebs.VolumeSize, at('VolumeSize'), 'BlockDeviceMappings'),
              VolumeType: props.toStr(ebs.VolumeType, at('VolumeType'), 'BlockDeviceMappings'),
              SnapshotId: props.toStr(ebs.SnapshotId, at('SnapshotId'), 'BlockDeviceMappings'),
              DeleteOnTermination: orDefault(
                props.toBool(ebs.DeleteOnTermination, at('DeleteOnTermination'), 'BlockDeviceMappings'),
                true,
              ),
            },
    };
  });
}

function metadataOptions(props: Props): unknown {
  const options = props.obj('MetadataOptions');
  if (isUnknown(options)) return UNKNOWN;
  const str = (name: string) => props.toStr(options?.[name], `MetadataOptions.${name}`, 'MetadataOptions');
  // IMDSv1 stays on unless the template (or the AMI) requires tokens.
  return {
    HttpTokens: orDefault(str('HttpTokens'), 'optional'),
    HttpEndpoint: orDefault(str('HttpEndpoint'), 'enabled'),
    HttpPutResponseHopLimit: props.toNum(
      options?.HttpPutResponseHopLimit,
      'HttpPutResponseHopLimit',
      'MetadataOptions',
    ),
    InstanceMetadataTags: str('InstanceMetadataTags'),
  };
}

/**
 * Whether the instance gets a public address. Left undefined when only the subnet decides, for the
 * link pass to read the subnet's MapPublicIpOnLaunch; default subnets (no subnet given) map one.
 */
function associatePublicIp(
  props: Props,
  nicValue: (name: string, read: (v: unknown) => unknown) => unknown,
): unknown {
  const fromNic = nicValue('AssociatePublicIpAddress', (v) =>
    props.toBool(v, 'NetworkInterfaces.AssociatePublicIpAddress'),
  );
  if (fromNic !== undefined) return fromNic;
  const subnetGiven = props.has('SubnetId') || nicValue('SubnetId', (v) => v) !== undefined;
  if (props.has('LaunchTemplate') && !subnetGiven) return UNKNOWN;
  return subnetGiven ? undefined : true;
}

export const instance: TypeSpec = {
  type: 'aws.ec2.instance',
  refAttributes: {
    SecurityGroupIds: 'SecurityGroups',
    'NetworkInterfaces.*.SubnetId': 'SubnetId',
    'NetworkInterfaces.*.GroupSet': 'SecurityGroups',
  },
  translate(props) {
    const nic = primaryInterface(props);
    const nicValue = (name: string, read: (value: unknown) => unknown) =>
      nic === undefined ? undefined : isUnknown(nic) ? UNKNOWN : read(nic[name]);
    // A launch template can supply any of these; the template alone cannot say which.
    const fromTemplate = props.has('LaunchTemplate') ? UNKNOWN : undefined;
    const profile = props.str('IamInstanceProfile');
    return {
      InstanceId: UNKNOWN,
      ImageId: props.str('ImageId') ?? fromTemplate,
      InstanceType: props.str('InstanceType') ?? fromTemplate ?? 'm1.small',
      KeyName: props.str('KeyName') ?? fromTemplate,
      // Without a subnet the instance lands in a default subnet the template does not know.
      SubnetId:
        props.str('SubnetId') ??
        nicValue('SubnetId', (v) => props.toStr(v, 'NetworkInterfaces.SubnetId')) ??
        UNKNOWN,
      VpcId: UNKNOWN,
      PrivateIpAddress: props.str('PrivateIpAddress') ?? UNKNOWN,
      PublicIpAddress: UNKNOWN,
      AssociatePublicIpAddress: associatePublicIp(props, nicValue),
      SecurityGroups:
        fromTemplate && !props.has('SecurityGroupIds') ? UNKNOWN : instanceSecurityGroups(props, nic),
      IamInstanceProfile: profile === undefined ? fromTemplate : { Name: profile },
      MetadataOptions: props.has('MetadataOptions') || !fromTemplate ? metadataOptions(props) : UNKNOWN,
      BlockDeviceMappings: blockDevices(props) ?? fromTemplate ?? [],
      State: { Name: 'running' },
    };
  },
};

export const volume: TypeSpec = {
  type: 'aws.ec2.volume',
  refAttributes: { KmsKeyId: 'KmsKeyId', SnapshotId: 'SnapshotId' },
  translate(props) {
    return {
      VolumeId: UNKNOWN,
      AvailabilityZone: props.str('AvailabilityZone'),
      Size: props.num('Size'),
      VolumeType: orDefault(props.str('VolumeType'), 'gp2'),
      Iops: props.num('Iops'),
      Encrypted: ebsEncrypted(props.bool('Encrypted'), props.raw('SnapshotId')),
      KmsKeyId: props.str('KmsKeyId'),
      SnapshotId: props.str('SnapshotId'),
      Attachments: [],
    };
  },
};

/** AWS::EC2::VolumeAttachment → the volume's `Attachments`. */
export const volumeAttachment: JoinSpec = (props: Props, index: DraftIndex) => {
  const parents = parentsOf(props, index, 'VolumeId', volume.type);
  for (const parent of parents) {
    appendTo(parent, 'Attachments', {
      InstanceId: props.str('InstanceId'),
      Device: props.str('Device'),
      State: 'attached',
    });
    inheritRefs(parent, props, 'Attachments');
  }
  return parents.length;
};

export const keyPair: TypeSpec = {
  type: 'aws.ec2.key-pair',
  nameKey: 'KeyName',
  translate(props) {
    return {
      KeyName: props.str('KeyName'),
      KeyPairId: UNKNOWN,
      KeyFingerprint: UNKNOWN,
      KeyType: orDefault(props.str('KeyType'), 'rsa'),
    };
  },
};
