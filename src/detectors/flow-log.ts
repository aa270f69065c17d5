import { InputError } from '../util/errors.js';

/** The default (version 2) flow log format. */
export const DEFAULT_FLOW_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/** Fields the brute-force detector reads; anything else in a custom format is ignored. */
export interface FlowRecord {
  account: string;
  interfaceId: string;
  instanceId: string;
  region: string;
  srcaddr: string;
  dstaddr: string;
  dstport: number;
  protocol: number;
  packets: number;
  bytes: number;
  /** Start of the aggregation window, epoch seconds. */
  start: number;
  action: string;
}

/** Field positions of one format; built once per file. */
export interface FlowFormat {
  fields: readonly string[];
  index: Record<string, number>;
}

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

export function flowFormat(fields: readonly string[]): FlowFormat {
  const index: Record<string, number> = {};
  fields.forEach((f, i) => {
    index[f] = i;
  });
  for (const needed of ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'action'])
    if (index[needed] === undefined)
      throw new InputError(`flow log format lacks the ${needed} field (fields: ${fields.join(' ')})`);
  return { fields, index };
}

/**
 * A format given as the flow log's `LogFormat` string (`${version} ${srcaddr} …`) or as
 * space-separated field names. Field names are written with hyphens as in the S3 header line.
 */
export function parseFormatString(text: string): FlowFormat {
  const names = text
    .trim()
    .split(/\s+/)
    .map((t) => t.replace(/^\$\{(.*)\}$/, '$1').replaceAll('_', '-'));
  for (const n of names) if (!FIELD_NAME.test(n)) throw new InputError(`not a flow log field name: ${n}`);
  return flowFormat(names);
}

/** True for the header line that S3 delivery writes at the top of each file. */
export function isHeaderLine(line: string): boolean {
  const space = line.indexOf(' ');
  const first = space < 0 ? line : line.slice(0, space);
  return (
    FIELD_NAME.test(first) && /\b(srcaddr|dstaddr|action)\b/.test(line) && !/\d+\.\d+\.\d+\.\d+/.test(line)
  );
}

function num(v: string | undefined): number {
  return v === undefined || v === '-' ? Number.NaN : Number(v);
}

function str(v: string | undefined): string {
  return v === undefined || v === '-' ? '' : v;
}

/** One record line → fields, or undefined for NODATA/SKIPDATA and lines that do not match the format. */
export function parseFlowLine(line: string, format: FlowFormat): FlowRecord | undefined {
  const f = line.split(' ');
  if (f.length !== format.fields.length) return undefined;
  const at = (name: string) => {
    const i = format.index[name];
    return i === undefined ? undefined : f[i];
  };
  const status = at('log-status');
  if (status !== undefined && status !== 'OK') return undefined;
  const record: FlowRecord = {
    account: str(at('account-id')),
    interfaceId: str(at('interface-id')),
    instanceId: str(at('instance-id')),
    region: str(at('region')),
    srcaddr: str(at('srcaddr')),
    dstaddr: str(at('dstaddr')),
    dstport: num(at('dstport')),
    protocol: num(at('protocol')),
    packets: num(at('packets')),
    bytes: num(at('bytes')),
    start: num(at('start')),
    action: str(at('action')),
  };
  if (record.srcaddr === '' || Number.isNaN(record.dstport) || Number.isNaN(record.protocol))
    return undefined;
  return record;
}
