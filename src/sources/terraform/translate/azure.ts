import type { Resource } from '../../../model/resource.js';
import { nonEmpty, objectAt, pushUnique } from './config.js';
import { isMarker, type Marker } from './markers.js';
import type { ResourceSpec, TypeTable } from './types.js';
import { bool, firstBlock, isObject, known, mapList, num, str, strList, type Values } from './values.js';

/**
 * azurerm ≥ 3 calls ARM's `allowBlobPublicAccess` `allow_nested_items_to_be_public` and defaults it
 * to true (unlike ARM, which defaults to false); azurerm 2 called it `allow_blob_public_access`,
 * default false. Without either attribute (HCL), the current provider's default applies.
 */
function allowBlobPublicAccess(v: Values): unknown {
  if ('allow_nested_items_to_be_public' in v) return bool(v.allow_nested_items_to_be_public, true);
  if ('allow_blob_public_access' in v) return bool(v.allow_blob_public_access, false);
  return true;
}

const capitalize = (value: unknown): string | Marker | undefined =>
  known(str(value), (s) => (s === '*' ? s : s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()));

const storageAccount: ResourceSpec = {
  provider: 'azure',
  type: 'azure.storage.account',
  nameKey: 'name',
  keys: ['id', 'name'],
  translate: (v) => {
    const rules = firstBlock(v.network_rules);
    return {
      id: str(v.id),
      name: str(v.name),
      location: str(v.location),
      kind: str(v.account_kind) ?? 'StorageV2',
      properties: {
        allowBlobPublicAccess: allowBlobPublicAccess(v),
        supportsHttpsTrafficOnly: bool(v.https_traffic_only_enabled ?? v.enable_https_traffic_only, true),
        minimumTlsVersion: str(v.min_tls_version) ?? 'TLS1_2',
        publicNetworkAccess: known(bool(v.public_network_access_enabled, true), (on) =>
          on ? 'Enabled' : 'Disabled',
        ),
        networkAcls: isMarker(rules)
          ? rules
          : { defaultAction: capitalize(rules?.default_action) ?? 'Allow' },
      },
    };
  },
};

const CONTAINER_ACCESS: Record<string, string> = { private: 'None', blob: 'Blob', container: 'Container' };

const storageContainer: ResourceSpec = {
  provider: 'azure',
  type: 'azure.storage.container',
  nameKey: 'name',
  keys: ['id', 'name'],
  refs: { storage_account_name: 'storageAccount', storage_account_id: 'storageAccount' },
  translate: (v) => ({
    id: str(v.id),
    name: str(v.name),
    properties: {
      publicAccess: known(
        str(v.container_access_type) ?? 'private',
        (a) => CONTAINER_ACCESS[a.toLowerCase()] ?? a,
      ),
    },
  }),
};

function securityRule(r: Values): Record<string, unknown> {
  return {
    name: str(r.name),
    properties: {
      description: str(r.description),
      priority: num(r.priority),
      direction: capitalize(r.direction),
      access: capitalize(r.access),
      protocol: capitalize(r.protocol),
      sourceAddressPrefix: str(r.source_address_prefix),
      sourceAddressPrefixes: nonEmpty(strList(r.source_address_prefixes)),
      sourcePortRange: str(r.source_port_range),
      sourcePortRanges: nonEmpty(strList(r.source_port_ranges)),
      destinationAddressPrefix: str(r.destination_address_prefix),
      destinationAddressPrefixes: nonEmpty(strList(r.destination_address_prefixes)),
      destinationPortRange: str(r.destination_port_range),
      destinationPortRanges: nonEmpty(strList(r.destination_port_ranges)),
    },
  };
}

const nsg: ResourceSpec = {
  provider: 'azure',
  type: 'azure.network.nsg',
  nameKey: 'name',
  keys: ['id', 'name'],
  refs: { security_rule: 'properties.securityRules' },
  translate: (v) => ({
    id: str(v.id),
    name: str(v.name),
    location: str(v.location),
    properties: { securityRules: mapList(v.security_rule, (r) => securityRule(r as Values)) },
  }),
};

function accountProperties(account: Resource): Record<string, unknown> | undefined {
  const props = account.config.properties;
  return isObject(props) ? props : undefined;
}

export const AZURE_TYPES: TypeTable = {
  azurerm_storage_account: { resource: storageAccount, readBack: ['network_rules'] },
  azurerm_storage_account_network_rules: {
    joins: [
      {
        parents: ['azurerm_storage_account'],
        via: 'storage_account_id',
        refAttr: 'properties.networkAcls',
        apply: (parent, v) => {
          const props = accountProperties(parent);
          if (props) props.networkAcls = { defaultAction: capitalize(v.default_action) ?? 'Allow' };
        },
      },
    ],
  },
  azurerm_storage_container: {
    resource: storageContainer,
    pulls: [
      {
        from: ['azurerm_storage_account'],
        via: ['storage_account_name', 'storage_account_id'],
        apply: (self, account) => {
          self.config.storageAccount = {
            name: account.config.name,
            properties: { allowBlobPublicAccess: accountProperties(account)?.allowBlobPublicAccess },
          };
        },
      },
    ],
  },
  azurerm_network_security_group: { resource: nsg, readBack: ['security_rule'] },
  azurerm_network_security_rule: {
    joins: [
      {
        parents: ['azurerm_network_security_group'],
        via: 'network_security_group_name',
        refAttr: 'properties.securityRules',
        apply: (parent, v) => {
          const props = objectAt(parent.config, 'properties');
          if (props) pushUnique(props, 'securityRules', [securityRule(v)]);
        },
      },
    ],
  },
};
