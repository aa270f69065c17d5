import { isObj, type Obj } from '../util/narrow.js';
import { stringAt } from './json-path.js';
import { type EventOutcome, malformed, type TouchedResource } from './types.js';

/**
 * Azure resource types Warden models, by the provider path of the ARM id (lower case), with how
 * many `type/name` pairs after the provider namespace make up the resource itself. Longer, more
 * specific paths come first: a security rule is part of its NSG, a container is its own resource.
 */
const AZURE_TYPES: readonly { path: string; type: string; depth: number }[] = [
  {
    path: 'microsoft.storage/storageaccounts/blobservices/containers',
    type: 'azure.storage.container',
    depth: 3,
  },
  { path: 'microsoft.storage/storageaccounts', type: 'azure.storage.account', depth: 1 },
  { path: 'microsoft.network/networksecuritygroups', type: 'azure.network.nsg', depth: 1 },
];

interface ArmId {
  subscription: string;
  /** `microsoft.network/networksecuritygroups/securityrules`, lower case. */
  typePath: string;
  /** The id cut after `n` type/name pairs. */
  cut(n: number): string;
  names: string[];
}

function parseArmId(id: string): ArmId | undefined {
  const parts = id.split('/');
  if (parts[0] !== '' || parts[1]?.toLowerCase() !== 'subscriptions' || !parts[2]) return undefined;
  const p = parts.findIndex((s) => s.toLowerCase() === 'providers');
  if (p < 0 || !parts[p + 1]) return undefined;
  const rest = parts.slice(p + 2);
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    types.push(rest[i]!.toLowerCase());
    names.push(rest[i + 1]!);
  }
  if (types.length === 0) return undefined;
  const namespace = parts[p + 1]!.toLowerCase();
  return {
    subscription: parts[2],
    typePath: [namespace, ...types].join('/'),
    cut: (n) => parts.slice(0, p + 2 + 2 * n).join('/'),
    names,
  };
}

/** `operationName` is a string in diagnostic exports and `{value, localizedValue}` in the REST API. */
function operationOf(e: Obj): string | undefined {
  return typeof e.operationName === 'string' ? e.operationName : stringAt(e, 'operationName.value');
}

const UPN_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';

function actorOf(e: Obj): string {
  if (typeof e.caller === 'string' && e.caller) return e.caller;
  const claims = isObj(e.identity) && isObj(e.identity.claims) ? e.identity.claims : {};
  for (const k of [UPN_CLAIM, 'appid', 'oid']) {
    const v = Object.hasOwn(claims, k) ? claims[k] : undefined;
    if (typeof v === 'string' && v) return v;
  }
  return 'unknown';
}

/**
 * One Azure Activity Log event, in the REST / `az monitor activity-log list` shape (`eventTimestamp`,
 * `operationName.value`, `status.value`, `eventDataId`) or the diagnostic-export shape (`time`,
 * `operationName`, `resultType`, `correlationId`). Only succeeded writes and deletes are changes.
 */
export function parseAzureActivityEvent(e: unknown, where: string): EventOutcome {
  if (!isObj(e)) return malformed('Activity Log event is not an object', where);
  const op = operationOf(e);
  const resourceId = e.resourceId;
  const time = typeof e.eventTimestamp === 'string' ? e.eventTimestamp : e.time;
  if (!op || typeof resourceId !== 'string')
    return malformed('Activity Log event without operationName/resourceId', where);
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time)))
    return malformed('Activity Log event without a valid eventTimestamp/time', where);
  const key = op.toLowerCase();
  const verb = key.slice(key.lastIndexOf('/') + 1);
  if (verb === 'read') return { kind: 'ignored', reason: 'read-only', key };
  const status = stringAt(e, 'status.value') ?? (typeof e.resultType === 'string' ? e.resultType : undefined);
  if (status && !/^(succeeded|success)$/i.test(status))
    // Started/Accepted precede the outcome event; only the final success changed anything.
    return { kind: 'ignored', reason: /^fail/i.test(status) ? 'failed-call' : 'not-a-change', key };
  const arm = parseArmId(resourceId);
  if (!arm) return malformed(`resourceId is not an ARM id: ${resourceId.slice(0, 200)}`, where);
  if (verb !== 'write' && verb !== 'delete') return { kind: 'ignored', reason: 'unknown-event', key };
  const match = AZURE_TYPES.find((t) => arm.typePath === t.path || arm.typePath.startsWith(`${t.path}/`));
  if (!match) return { kind: 'ignored', reason: 'unknown-event', key };
  const touched: TouchedResource = {
    type: match.type,
    id: arm.cut(match.depth),
    name: arm.names[match.depth - 1]!,
    region: typeof e.location === 'string' ? e.location : '',
  };
  const rawId =
    (typeof e.eventDataId === 'string' && e.eventDataId) ||
    `${String(e.correlationId ?? '')}|${key}|${resourceId}|${time}`;
  return {
    kind: 'change',
    event: {
      provider: 'azure',
      source: op.split('/')[0]!,
      name: op,
      account: (typeof e.subscriptionId === 'string' && e.subscriptionId) || arm.subscription,
      region: touched.region,
      time: new Date(time).toISOString(),
      actor: actorOf(e),
      touched: [touched],
      rawId,
    },
  };
}
