import type { Result } from '../../model/result.js';
import { InputError } from '../../util/errors.js';

/**
 * Pipeline inputs derived from a finding. Action inputs in a policy are templates over the finding:
 * `${resource.name}`, `${resource.id}`, `${resource.type}`, `${resource.account}`, `${resource.region}`,
 * `${policy}`, `${fingerprint}` and `${unique}` (8 hex characters of the fingerprint, stable per
 * finding, so a re-run asks for the same new key pair name instead of minting another).
 */
export function renderInputs(templates: Record<string, unknown>, finding: Result): Record<string, string> {
  const values: Record<string, string> = {
    'resource.name': finding.resource.name,
    'resource.id': finding.resource.id,
    'resource.type': finding.resource.type,
    'resource.account': finding.resource.account,
    'resource.region': finding.resource.region,
    policy: finding.policy,
    fingerprint: finding.fingerprint,
    unique: finding.fingerprint.slice(0, 8),
  };
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates)) {
    if (typeof template !== 'string' && typeof template !== 'number' && typeof template !== 'boolean') {
      throw new InputError(`redeploy input "${name}" must be a string, number or boolean`);
    }
    out[name] = String(template).replace(/\$\{([\w.]+)\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined)
        throw new InputError(`redeploy input "${name}" uses unknown placeholder \${${key}}`);
      return value;
    });
  }
  return out;
}

/**
 * What to ask the pipeline for when a policy's redeploy action names no inputs: the change that
 * makes the finding go away in the IaC the pipeline applies.
 */
export const DEFAULT_REDEPLOY_INPUTS: Readonly<Record<string, Record<string, string>>> = {
  'aws-ec2-public-instance-shares-key-with-admin-instance': {
    instance: '${resource.name}',
    key_pair_name: 'warden-${resource.name}-${unique}',
  },
  'aws-s3-bucket-public': { bucket: '${resource.name}', block_public_access: 'true' },
  'aws-rds-storage-unencrypted': { db_instance: '${resource.name}', encryption: 'true' },
  'aws-ebs-volume-unencrypted': { volume: '${resource.name}', encryption: 'true' },
  'aws-kms-key-rotation-disabled': { key: '${resource.name}', enable_key_rotation: 'true' },
  'aws-ec2-sg-admin-ports-open': { security_group: '${resource.name}', restrict_admin_ports: 'true' },
};

export function inputsFor(finding: Result, templates?: Record<string, unknown>): Record<string, string> {
  const chosen = templates ?? DEFAULT_REDEPLOY_INPUTS[finding.policy] ?? { resource: '${resource.id}' };
  return renderInputs({ ...chosen, warden_policy: '${policy}', warden_finding: '${fingerprint}' }, finding);
}
