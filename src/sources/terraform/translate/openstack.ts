import { pushUnique } from './config.js';
import { isMarker, type Marker } from './markers.js';
import type { ResourceSpec, TypeTable } from './types.js';
import { blocks, bool, mapList, num, str, strList, type Values } from './values.js';

/** Neutron's null, which Terraform state writes as '' or 0. */
const orNull = <T>(value: T | Marker | undefined): T | Marker | null => (value === undefined ? null : value);

/** Every new Neutron security group allows all egress, over IPv4 and IPv6, unless told not to. */
const DEFAULT_EGRESS = ['IPv4', 'IPv6'].map((ethertype) => ({
  direction: 'egress',
  ethertype,
  protocol: null,
  port_range_min: null,
  port_range_max: null,
  remote_ip_prefix: null,
}));

const secgroup: ResourceSpec = {
  provider: 'openstack',
  type: 'openstack.networking.secgroup',
  nameKey: 'name',
  keys: ['id', 'name'],
  translate: (v) => {
    const deleteDefaults = bool(v.delete_default_rules, false);
    return {
      id: str(v.id),
      name: str(v.name),
      description: str(v.description) ?? '',
      stateful: bool(v.stateful, true),
      security_group_rules: isMarker(deleteDefaults)
        ? deleteDefaults
        : deleteDefaults
          ? []
          : DEFAULT_EGRESS.map((r) => ({ ...r })),
    };
  },
};

/** Port 0 is Terraform's spelling of "no port range" (Neutron null, every port). */
function portBound(value: unknown, other: unknown): number | Marker | null {
  const n = num(value);
  const m = num(other);
  if (n === 0 && (m === 0 || m === undefined)) return null;
  return orNull(n);
}

function rule(v: Values): Record<string, unknown> {
  return {
    direction: str(v.direction),
    ethertype: str(v.ethertype) ?? 'IPv4',
    protocol: orNull(str(v.protocol)),
    port_range_min: portBound(v.port_range_min, v.port_range_max),
    port_range_max: portBound(v.port_range_max, v.port_range_min),
    remote_ip_prefix: orNull(str(v.remote_ip_prefix)),
    remote_group_id: str(v.remote_group_id),
    description: str(v.description),
  };
}

const port: ResourceSpec = {
  provider: 'openstack',
  type: 'openstack.networking.port',
  nameKey: 'name',
  keys: ['id', 'name'],
  refs: { security_group_ids: 'security_groups', network_id: 'network_id', fixed_ip: 'fixed_ips' },
  translate: (v) => {
    const ids = strList(v.security_group_ids);
    const all = strList(v.all_security_group_ids);
    return {
      id: str(v.id),
      name: str(v.name),
      network_id: str(v.network_id),
      device_id: str(v.device_id),
      admin_state_up: bool(v.admin_state_up, true),
      port_security_enabled: bool(v.port_security_enabled, true),
      security_groups: !isMarker(ids) && ids.length === 0 && !isMarker(all) && all.length > 0 ? all : ids,
      fixed_ips: mapList(blocks(v.fixed_ip), (f) => ({
        subnet_id: str((f as Values).subnet_id),
        ip_address: str((f as Values).ip_address),
      })),
    };
  },
};

export const OPENSTACK_TYPES: TypeTable = {
  openstack_networking_secgroup_v2: { resource: secgroup, readBack: ['stateful', 'delete_default_rules'] },
  openstack_networking_secgroup_rule_v2: {
    readBack: ['port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id', 'protocol'],
    joins: [
      {
        parents: ['openstack_networking_secgroup_v2'],
        via: 'security_group_id',
        refAttr: 'security_group_rules',
        apply: (parent, v) => pushUnique(parent.config, 'security_group_rules', [rule(v)]),
      },
    ],
  },
  openstack_networking_port_v2: {
    resource: port,
    readBack: ['port_security_enabled', 'security_group_ids', 'fixed_ip', 'admin_state_up'],
  },
};
