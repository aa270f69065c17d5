import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventText, tally } from '../../../src/events/index.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const NSG = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Network/networkSecurityGroups/web-nsg`;

/** `az monitor activity-log list` / REST shape. */
function restEvent(op: string, resourceId: string, status = 'Succeeded', id = 'e1') {
  return {
    authorization: { action: op, scope: resourceId },
    caller: 'alice@contoso.example',
    channels: 'Operation',
    claims: { appid: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c' },
    correlationId: '7e2c2f1a-0000-4000-8000-000000000001',
    eventDataId: id,
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: { value: 'Administrative', localizedValue: 'Administrative' },
    eventTimestamp: '2026-11-23T13:10:00.1234567Z',
    id: `${resourceId}/events/${id}/ticks/638680000000000000`,
    level: 'Informational',
    operationId: 'op-1',
    operationName: { value: op, localizedValue: 'Create or Update Security Rule' },
    resourceGroupName: 'rg-web',
    resourceProviderName: { value: 'Microsoft.Network', localizedValue: 'Microsoft.Network' },
    resourceType: { value: 'Microsoft.Network/networkSecurityGroups/securityRules', localizedValue: '' },
    resourceId,
    status: { value: status, localizedValue: status },
    subStatus: { value: 'Created', localizedValue: 'Created (HTTP Status Code: 201)' },
    submissionTimestamp: '2026-11-23T13:11:02Z',
    subscriptionId: SUB,
    tenantId: '72f988bf-0000-0000-0000-000000000000',
  };
}

describe('Azure Activity Log', () => {
  it('maps a security rule write to its NSG and a container write to the container (REST shape)', () => {
    const parsed = parseEventText(
      JSON.stringify({
        value: [
          restEvent(
            'Microsoft.Network/networkSecurityGroups/securityRules/write',
            `${NSG}/securityRules/allow-ssh`,
          ),
          restEvent(
            'Microsoft.Storage/storageAccounts/blobServices/containers/write',
            `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/acmedata/blobServices/default/containers/public`,
            'Succeeded',
            'e2',
          ),
        ],
      }),
      'activity.json',
    );
    const events = parsed.outcomes.map((o) => (o.kind === 'change' ? o.event : o));
    assert.deepEqual(events, [
      {
        provider: 'azure',
        source: 'Microsoft.Network',
        name: 'Microsoft.Network/networkSecurityGroups/securityRules/write',
        account: SUB,
        region: '',
        time: '2026-11-23T13:10:00.123Z',
        actor: 'alice@contoso.example',
        touched: [{ type: 'azure.network.nsg', id: NSG, name: 'web-nsg', region: '' }],
        rawId: 'e1',
      },
      {
        provider: 'azure',
        source: 'Microsoft.Storage',
        name: 'Microsoft.Storage/storageAccounts/blobServices/containers/write',
        account: SUB,
        region: '',
        time: '2026-11-23T13:10:00.123Z',
        actor: 'alice@contoso.example',
        touched: [
          {
            type: 'azure.storage.container',
            id: `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/acmedata/blobServices/default/containers/public`,
            name: 'public',
            region: '',
          },
        ],
        rawId: 'e2',
      },
    ]);
  });

  it('reads the diagnostic-export shape ({"records": […]}, operationName as a string)', () => {
    const record = {
      time: '2026-11-23T13:12:00.0000000Z',
      resourceId: `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/RG-DATA/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/ACMEDATA`,
      operationName: 'MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE',
      category: 'Administrative',
      resultType: 'Success',
      resultSignature: 'Succeeded.OK',
      durationMs: '512',
      callerIpAddress: '203.0.113.9',
      correlationId: 'c-1',
      identity: {
        claims: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'bob@contoso.example' },
      },
      level: 'Information',
      location: 'westeurope',
      properties: { statusCode: 'OK' },
    };
    const [o] = parseEventText(JSON.stringify({ records: [record] }), 'export.json').outcomes;
    assert.equal(o?.kind, 'change');
    if (o?.kind !== 'change') return;
    assert.equal(o.event.actor, 'bob@contoso.example');
    assert.equal(o.event.account, SUB.toUpperCase());
    assert.deepEqual(o.event.touched, [
      { type: 'azure.storage.account', id: record.resourceId, name: 'ACMEDATA', region: 'westeurope' },
    ]);
    assert.equal(
      o.event.rawId,
      `c-1|microsoft.storage/storageaccounts/write|${record.resourceId}|${record.time}`,
    );
  });

  it('ignores started, failed, read and unmodelled operations; malformed events are counted', () => {
    const vm = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;
    const text = [
      restEvent('Microsoft.Network/networkSecurityGroups/write', NSG, 'Started'),
      restEvent('Microsoft.Network/networkSecurityGroups/write', NSG, 'Failed'),
      restEvent('Microsoft.Network/networkSecurityGroups/read', NSG),
      restEvent('Microsoft.Compute/virtualMachines/write', vm),
      { ...restEvent('Microsoft.Network/networkSecurityGroups/write', 'not-an-arm-id'), resourceId: 'nsg-1' },
      { ...restEvent('Microsoft.Network/networkSecurityGroups/write', NSG), eventTimestamp: 'soon' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n');
    const parsed = parseEventText(text, 'lines.jsonl');
    assert.deepEqual(tally(parsed.outcomes), {
      changes: 0,
      malformed: 2,
      ignored: { 'read-only': 1, 'failed-call': 1, 'unknown-event': 1, 'not-a-change': 1 },
      unknown: { 'microsoft.compute/virtualmachines/write': 1 },
    });
    assert.deepEqual(
      parsed.outcomes.filter((o) => o.kind === 'malformed'),
      [
        { kind: 'malformed', error: 'resourceId is not an ARM id: nsg-1', where: 'lines.jsonl:5' },
        {
          kind: 'malformed',
          error: 'Activity Log event without a valid eventTimestamp/time',
          where: 'lines.jsonl:6',
        },
      ],
    );
  });
});

/** A Cloud Audit Logs LogEntry as `gcloud logging read --format=json` prints it. */
function auditEntry(
  method: string,
  resourceName: string,
  extra: Record<string, unknown> = {},
  service = 'compute.googleapis.com',
) {
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: { principalEmail: 'deployer@acme-prod.iam.gserviceaccount.com' },
      requestMetadata: { callerIp: '203.0.113.20', callerSuppliedUserAgent: 'google-api-go-client/0.5' },
      serviceName: service,
      methodName: method,
      authorizationInfo: [{ permission: 'compute.firewalls.create', granted: true }],
      resourceName,
      request: { '@type': 'type.googleapis.com/compute.firewalls.insert' },
    },
    insertId: '-abc123def',
    resource: { type: 'gce_firewall_rule', labels: { project_id: 'acme-prod', firewall_rule_id: '123' } },
    timestamp: '2026-11-23T13:20:00.123456Z',
    severity: 'NOTICE',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity',
    receiveTimestamp: '2026-11-23T13:20:01Z',
    ...extra,
  };
}

describe('GCP audit log entries', () => {
  it('maps a finished firewall insert and a bucket IAM change to their self links', () => {
    const entries = [
      auditEntry('v1.compute.firewalls.insert', 'projects/acme-prod/global/firewalls/allow-ssh', {
        operation: { id: 'operation-1', producer: 'compute.googleapis.com', last: true },
      }),
      auditEntry(
        'storage.setIamPermissions',
        'projects/_/buckets/acme-public',
        {
          insertId: 'x2',
          resource: {
            type: 'gcs_bucket',
            labels: { project_id: 'acme-prod', bucket_name: 'acme-public', location: 'eu' },
          },
        },
        'storage.googleapis.com',
      ),
    ];
    const events = parseEventText(JSON.stringify(entries), 'gcp.json').outcomes.map((o) =>
      o.kind === 'change' ? o.event : o,
    );
    assert.deepEqual(events, [
      {
        provider: 'gcp',
        source: 'compute.googleapis.com',
        name: 'v1.compute.firewalls.insert',
        account: 'acme-prod',
        region: 'global',
        time: '2026-11-23T13:20:00.123Z',
        actor: 'deployer@acme-prod.iam.gserviceaccount.com',
        touched: [
          {
            type: 'gcp.compute.firewall',
            id: 'https://www.googleapis.com/compute/v1/projects/acme-prod/global/firewalls/allow-ssh',
            name: 'allow-ssh',
            region: 'global',
          },
        ],
        rawId: '-abc123def',
      },
      {
        provider: 'gcp',
        source: 'storage.googleapis.com',
        name: 'storage.setIamPermissions',
        account: 'acme-prod',
        region: 'eu',
        time: '2026-11-23T13:20:00.123Z',
        actor: 'deployer@acme-prod.iam.gserviceaccount.com',
        touched: [
          {
            type: 'gcp.storage.bucket',
            id: 'https://www.googleapis.com/storage/v1/b/acme-public',
            name: 'acme-public',
            region: 'eu',
          },
        ],
        rawId: 'x2',
      },
    ]);
  });

  it('ignores the first entry of an operation, failed calls, reads and other services; reads Pub/Sub deliveries', () => {
    const fw = 'projects/acme-prod/global/firewalls/allow-ssh';
    const pubsub = {
      message: {
        data: Buffer.from(JSON.stringify(auditEntry('v1.compute.firewalls.patch', fw))).toString('base64'),
        messageId: '1',
      },
      subscription: 'projects/acme-prod/subscriptions/warden',
    };
    const lines = [
      auditEntry('v1.compute.firewalls.insert', fw, { operation: { id: 'op', first: true } }),
      auditEntry('v1.compute.firewalls.insert', fw, {
        protoPayload: {
          ...auditEntry('x', fw).protoPayload,
          methodName: 'v1.compute.firewalls.insert',
          status: { code: 7, message: 'PERMISSION_DENIED' },
        },
      }),
      auditEntry('v1.compute.firewalls.get', fw),
      auditEntry('v1.compute.instances.insert', 'projects/acme-prod/zones/europe-west1-b/instances/vm-1'),
      pubsub,
      { protoPayload: { methodName: 'x' }, insertId: 'bad' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const parsed = parseEventText(lines, 'gcp.jsonl');
    assert.deepEqual(tally(parsed.outcomes), {
      changes: 1,
      malformed: 1,
      ignored: { 'read-only': 1, 'failed-call': 1, 'unknown-event': 1, 'not-a-change': 1 },
      unknown: { 'compute.googleapis.com:v1.compute.instances.insert': 1 },
    });
  });

  it('a file that is not JSON at all is malformed per line, with the line number', () => {
    const parsed = parseEventText('{"protoPayload": \nnot json\n', 'x.jsonl');
    assert.deepEqual(
      parsed.outcomes.map((o) => (o.kind === 'malformed' ? o.where : o.kind)),
      ['x.jsonl:1', 'x.jsonl:2'],
    );
  });
});
