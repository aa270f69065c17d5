import { isUnknown, UNKNOWN } from '../../../model/unknown.js';
import { appendTo, type DraftIndex, type JoinSpec, parentsOf, type TypeSpec } from '../draft.js';
import { orDefault, type Props } from '../props.js';

export const kmsKey: TypeSpec = {
  type: 'aws.kms.key',
  nameKey: 'Aliases.0',
  translate(props) {
    const enabled = props.bool('Enabled');
    return {
      KeyId: UNKNOWN,
      Arn: UNKNOWN,
      Description: orDefault(props.str('Description'), ''),
      KeyManager: 'CUSTOMER',
      KeyState: isUnknown(enabled) ? UNKNOWN : enabled === false ? 'Disabled' : 'Enabled',
      KeySpec: orDefault(props.str('KeySpec'), 'SYMMETRIC_DEFAULT'),
      KeyUsage: orDefault(props.str('KeyUsage'), 'ENCRYPT_DECRYPT'),
      Origin: orDefault(props.str('Origin'), 'AWS_KMS'),
      MultiRegion: orDefault(props.bool('MultiRegion'), false),
      KeyRotationEnabled: orDefault(props.bool('EnableKeyRotation'), false),
      Aliases: [],
      // Without KeyPolicy KMS applies its default policy (the owning account only).
      Policy: props.policyDocument(props.raw('KeyPolicy'), 'KeyPolicy', 'KeyPolicy'),
    };
  },
};

/** AWS::KMS::Alias → the key's `Aliases`. */
export const kmsAlias: JoinSpec = (props: Props, index: DraftIndex) => {
  const parents = parentsOf(props, index, 'TargetKeyId', kmsKey.type);
  for (const parent of parents) {
    appendTo(parent, 'Aliases', props.str('AliasName') ?? UNKNOWN);
    parent.refs.push({ attribute: 'Aliases', target: props.logicalId });
  }
  return parents.length;
};
