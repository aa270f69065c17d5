import { AWS_TYPES } from './aws/index.js';
import { AZURE_TYPES } from './azure.js';
import { GCP_TYPES } from './gcp.js';
import { OPENSTACK_TYPES } from './openstack.js';
import type { TypeEntry, TypeTable } from './types.js';

/** Every Terraform type Warden understands; anything else is counted in `Inventory.unsupported`. */
export const TYPES: TypeTable = { ...AWS_TYPES, ...AZURE_TYPES, ...GCP_TYPES, ...OPENSTACK_TYPES };

/** The same table as a Map: looked up for every resource, often more than once. */
const BY_TYPE = new Map<string, TypeEntry>(Object.entries(TYPES));

export function typeEntry(type: string): TypeEntry | undefined {
  return BY_TYPE.get(type);
}
