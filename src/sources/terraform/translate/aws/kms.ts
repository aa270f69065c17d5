import { pushUnique } from '../config.js';
import type { ResourceSpec, TypeTable } from '../types.js';
import { bool, jsonDocument, known, str } from '../values.js';

const key: ResourceSpec = {
  provider: 'aws',
  type: 'aws.kms.key',
  // A key's name is its alias (joined below); the key id only when it has none.
  nameKey: 'Aliases.0',
  keys: ['id', 'key_id', 'arn'],
  refs: { policy: 'Policy' },
  translate: (v) => ({
    KeyId: str(v.key_id),
    Arn: str(v.arn),
    Description: str(v.description) ?? '',
    KeyManager: 'CUSTOMER',
    KeyState: known(bool(v.is_enabled, true), (enabled) => (enabled ? 'Enabled' : 'Disabled')),
    KeySpec: str(v.customer_master_key_spec) ?? 'SYMMETRIC_DEFAULT',
    KeyUsage: str(v.key_usage) ?? 'ENCRYPT_DECRYPT',
    KeyRotationEnabled: bool(v.enable_key_rotation, false),
    MultiRegion: bool(v.multi_region, false),
    Aliases: [],
    Policy: jsonDocument(v.policy),
  }),
};

export const KMS_TYPES: TypeTable = {
  aws_kms_key: { resource: key, readBack: ['policy', 'multi_region', 'rotation_period_in_days'] },
  aws_kms_alias: {
    joins: [
      {
        parents: ['aws_kms_key', 'aws_kms_replica_key'],
        via: 'target_key_id',
        refAttr: 'Aliases',
        apply: (parent, v) => pushUnique(parent.config, 'Aliases', [str(v.name)]),
      },
    ],
  },
};
