import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateTerraform } from '../../../src/sources/terraform/index.js';
import { byId, tf } from './helpers.js';

describe('terraform → native model: Azure', () => {
  it('applies azurerm defaults for blob public access, old and new attribute names', () => {
    const inv = translateTerraform(
      [
        tf('azurerm_storage_account.modern', { name: 'modern', location: 'West Europe' }),
        tf('azurerm_storage_account.closed', {
          name: 'closed',
          location: 'westeurope',
          allow_nested_items_to_be_public: false,
        }),
        tf('azurerm_storage_account.v2', {
          name: 'vtwo',
          location: 'westeurope',
          allow_blob_public_access: false,
          enable_https_traffic_only: false,
        }),
      ],
      'terraform-hcl',
    );
    const modern = byId(inv, 'azurerm_storage_account.modern');
    assert.equal(modern.region, 'westeurope');
    assert.equal(modern.name, 'modern');
    assert.deepEqual(modern.config.properties, {
      allowBlobPublicAccess: true,
      supportsHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      publicNetworkAccess: 'Enabled',
      networkAcls: { defaultAction: 'Allow' },
    });
    assert.equal(
      (byId(inv, 'azurerm_storage_account.closed').config.properties as Record<string, unknown>)
        .allowBlobPublicAccess,
      false,
    );
    const v2 = byId(inv, 'azurerm_storage_account.v2').config.properties as Record<string, unknown>;
    assert.deepEqual([v2.allowBlobPublicAccess, v2.supportsHttpsTrafficOnly], [false, false]);
  });

  it('gives containers their account by name, by ARM id or by reference', () => {
    const accountId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/open';
    const inv = translateTerraform(
      [
        tf('azurerm_storage_account.open', { name: 'open', id: accountId }),
        tf('azurerm_storage_account.shut', { name: 'shut', allow_nested_items_to_be_public: false }),
        tf('azurerm_storage_container.by_name', {
          name: 'a',
          storage_account_name: 'open',
          container_access_type: 'container',
        }),
        tf('azurerm_storage_container.by_id', {
          name: 'b',
          storage_account_id: accountId.toUpperCase(),
          container_access_type: 'blob',
        }),
        tf(
          'azurerm_storage_container.by_ref',
          { name: 'c' },
          { refs: [{ attribute: 'storage_account_name', target: 'azurerm_storage_account.shut' }] },
        ),
        tf('azurerm_storage_container.orphan', {
          name: 'd',
          storage_account_name: 'elsewhere',
          container_access_type: 'blob',
        }),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'azurerm_storage_container.by_name').config, {
      name: 'a',
      properties: { publicAccess: 'Container' },
      storageAccount: { name: 'open', properties: { allowBlobPublicAccess: true } },
    });
    assert.deepEqual(byId(inv, 'azurerm_storage_container.by_id').config.storageAccount, {
      name: 'open',
      properties: { allowBlobPublicAccess: true },
    });
    const byRef = byId(inv, 'azurerm_storage_container.by_ref');
    assert.deepEqual(byRef.config.properties, { publicAccess: 'None' });
    assert.deepEqual(byRef.config.storageAccount, {
      name: 'shut',
      properties: { allowBlobPublicAccess: false },
    });
    assert.deepEqual(byRef.refs, [{ attribute: 'storageAccount', target: 'azurerm_storage_account.shut' }]);
    // An account outside the input stays absent: the policy cannot tell, and says so.
    assert.equal('storageAccount' in byId(inv, 'azurerm_storage_container.orphan').config, false);
  });

  it('joins NSG rule resources into their group next to inline rules', () => {
    const inv = translateTerraform(
      [
        tf('azurerm_network_security_group.nsg', {
          name: 'nsg',
          location: 'northeurope',
          security_rule: [
            {
              name: 'ssh',
              priority: 100,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              source_address_prefix: '*',
              source_port_range: '*',
              destination_port_range: '22',
              destination_address_prefix: '*',
              source_address_prefixes: [],
            },
          ],
        }),
        tf('azurerm_network_security_rule.rdp', {
          name: 'rdp',
          network_security_group_name: 'nsg',
          priority: 110,
          direction: 'inbound',
          access: 'allow',
          protocol: 'tcp',
          source_address_prefixes: ['10.0.0.0/8', '192.168.0.0/16'],
          destination_port_ranges: ['3389', '5985-5986'],
        }),
        tf('azurerm_network_security_rule.lost', { name: 'x', network_security_group_name: 'other' }),
      ],
      'terraform-hcl',
    );
    const nsg = byId(inv, 'azurerm_network_security_group.nsg');
    assert.deepEqual((nsg.config.properties as { securityRules: unknown[] }).securityRules, [
      {
        name: 'ssh',
        properties: {
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefix: '*',
          sourcePortRange: '*',
          destinationAddressPrefix: '*',
          destinationPortRange: '22',
        },
      },
      {
        name: 'rdp',
        properties: {
          priority: 110,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefixes: ['10.0.0.0/8', '192.168.0.0/16'],
          destinationPortRanges: ['3389', '5985-5986'],
        },
      },
    ]);
    assert.deepEqual(inv.unsupported, { 'azurerm_network_security_rule (parent not in input)': 1 });
  });
});

describe('terraform → native model: Google Cloud', () => {
  it('builds a bucket IAM policy from policy, binding and member resources in authority order', () => {
    const inv = translateTerraform(
      [
        tf('google_storage_bucket.b', { name: 'b', location: 'eu', labels: { team: 'data' } }),
        tf('google_storage_bucket_iam_member.public', {
          bucket: 'b/b',
          role: 'roles/storage.objectViewer',
          member: 'allUsers',
        }),
        tf('google_storage_bucket_iam_binding.viewers', {
          bucket: 'b',
          role: 'roles/storage.objectViewer',
          members: ['group:a@example.com'],
        }),
        tf('google_storage_bucket_iam_policy.p', {
          bucket: 'b',
          policy_data:
            '{"bindings":[{"role":"roles/storage.admin","members":["user:x@example.com"]},{"role":"roles/storage.objectViewer","members":["user:old@example.com"]}]}',
        }),
      ],
      'terraform-hcl',
    );
    const b = byId(inv, 'google_storage_bucket.b');
    assert.deepEqual(b.config.iamPolicy, {
      bindings: [
        { role: 'roles/storage.admin', members: ['user:x@example.com'] },
        { role: 'roles/storage.objectViewer', members: ['group:a@example.com', 'allUsers'] },
      ],
    });
    assert.deepEqual(b.config.iamConfiguration, {
      uniformBucketLevelAccess: { enabled: false },
      publicAccessPrevention: 'inherited',
    });
    assert.equal(b.config.location, 'EU');
    assert.equal(b.region, 'eu');
    assert.deepEqual(b.tags, { team: 'data' });
  });

  it('writes firewall defaults: ingress, priority 1000, every source when none is named', () => {
    const inv = translateTerraform(
      [
        tf('google_compute_firewall.open', {
          name: 'open',
          network: 'default',
          allow: [{ protocol: 'tcp', ports: ['22', '1000-2000'] }],
        }),
        tf('google_compute_firewall.tagged', {
          name: 'tagged',
          network: 'default',
          source_tags: ['web'],
          allow: [{ protocol: 'all' }],
        }),
        tf('google_compute_firewall.out', {
          name: 'out',
          network: 'default',
          direction: 'EGRESS',
          deny: [{ protocol: 'udp' }],
          disabled: true,
        }),
      ],
      'terraform-hcl',
    );
    assert.deepEqual(byId(inv, 'google_compute_firewall.open').config, {
      name: 'open',
      network: 'default',
      direction: 'INGRESS',
      priority: 1000,
      disabled: false,
      sourceRanges: ['0.0.0.0/0'],
      allowed: [{ IPProtocol: 'tcp', ports: ['22', '1000-2000'] }],
      denied: [],
    });
    const tagged = byId(inv, 'google_compute_firewall.tagged').config;
    assert.deepEqual([tagged.sourceRanges, tagged.sourceTags], [undefined, ['web']]);
    const out = byId(inv, 'google_compute_firewall.out');
    assert.deepEqual(
      [
        out.config.direction,
        out.config.destinationRanges,
        out.config.disabled,
        out.config.denied,
        out.region,
      ],
      ['EGRESS', ['0.0.0.0/0'], true, [{ IPProtocol: 'udp' }], ''],
    );
  });
});

describe('terraform → native model: OpenStack', () => {
  it('joins rules into security groups with Neutron nulls and default egress rules', () => {
    const inv = translateTerraform(
      [
        tf('openstack_networking_secgroup_v2.web', { name: 'web', id: 'sg-1' }),
        tf('openstack_networking_secgroup_v2.bare', { name: 'bare', delete_default_rules: true }),
        tf('openstack_networking_secgroup_rule_v2.ssh', {
          security_group_id: 'sg-1',
          direction: 'ingress',
          ethertype: 'IPv4',
          protocol: 'tcp',
          port_range_min: 22,
          port_range_max: 22,
          remote_ip_prefix: '0.0.0.0/0',
        }),
        tf('openstack_networking_secgroup_rule_v2.any', {
          security_group_id: 'sg-1',
          direction: 'ingress',
          ethertype: 'IPv6',
          protocol: '',
          port_range_min: 0,
          port_range_max: 0,
          remote_ip_prefix: '',
        }),
        tf('openstack_networking_port_v2.p', {
          name: 'p',
          network_id: 'net-1',
          security_group_ids: ['sg-1'],
          fixed_ip: [{ subnet_id: 'sub-1', ip_address: '10.0.0.5' }],
        }),
      ],
      'terraform-hcl',
    );
    const web = byId(inv, 'openstack_networking_secgroup_v2.web');
    const egress = (ethertype: string) => ({
      direction: 'egress',
      ethertype,
      protocol: null,
      port_range_min: null,
      port_range_max: null,
      remote_ip_prefix: null,
    });
    assert.deepEqual(web.config.security_group_rules, [
      egress('IPv4'),
      egress('IPv6'),
      {
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: 'tcp',
        port_range_min: 22,
        port_range_max: 22,
        remote_ip_prefix: '0.0.0.0/0',
      },
      {
        direction: 'ingress',
        ethertype: 'IPv6',
        protocol: null,
        port_range_min: null,
        port_range_max: null,
        remote_ip_prefix: null,
      },
    ]);
    assert.deepEqual(byId(inv, 'openstack_networking_secgroup_v2.bare').config.security_group_rules, []);
    assert.deepEqual(byId(inv, 'openstack_networking_port_v2.p').config, {
      name: 'p',
      network_id: 'net-1',
      admin_state_up: true,
      port_security_enabled: true,
      security_groups: ['sg-1'],
      fixed_ips: [{ subnet_id: 'sub-1', ip_address: '10.0.0.5' }],
    });
  });
});
