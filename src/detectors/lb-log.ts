import { splitFields } from './tokenize.js';

/** One load-balancer request, from a Classic ELB or an ALB access log line. */
export interface LbRequest {
  kind: 'classic' | 'application';
  time: number;
  /** Load balancer name as logged: `my-elb` (classic) or `app/my-alb/50dc6c495c0c9188` (ALB). */
  balancer: string;
  /** Client IP without port; '' when the log masks it. */
  client: string;
  status: number;
  method: string;
  path: string;
  userAgent: string;
}

const ALB_TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);

function ipOf(endpoint: string): string {
  if (endpoint === '-' || endpoint === '') return '';
  if (endpoint.startsWith('[')) return endpoint.slice(1, endpoint.indexOf(']'));
  const colon = endpoint.lastIndexOf(':');
  // More than one colon without brackets: an IPv6 address followed by :port.
  return colon > 0 ? endpoint.slice(0, colon) : endpoint;
}

/** `GET http://host:80/a/b?x=1 HTTP/1.1` → method and path (without the query string). */
function splitRequest(request: string): { method: string; path: string } {
  const parts = request.split(' ');
  const method = parts.length > 1 ? parts[0]! : '-';
  const url = parts.length > 1 ? parts[1]! : request;
  const scheme = url.indexOf('://');
  let path = url;
  if (scheme >= 0) {
    const slash = url.indexOf('/', scheme + 3);
    path = slash >= 0 ? url.slice(slash) : '/';
  }
  const q = path.indexOf('?');
  return { method, path: q >= 0 ? path.slice(0, q) : path };
}

const ISO_PREFIX = /^\d{4}-\d\d-\d\dT/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Parses the three access-log shapes: ALB (`type time elb client:port target:port …`), Classic ELB
 * (`time elb client:port backend:port …`) and Classic ELB with the client/backend fields removed (as
 * published with masked addresses). Returns undefined for anything else.
 */
export function parseLbLine(line: string): LbRequest | undefined {
  const f = splitFields(line);
  let kind: LbRequest['kind'] = 'classic';
  // Index of the time field, and of the ELB status code (request and user agent follow at +4, +5).
  let at = 0;
  let status = 7;
  let client = '';
  if (f.length >= 14 && ALB_TYPES.has(f[0]!)) {
    kind = 'application';
    at = 1;
    status = 8;
    client = ipOf(f[3]!);
  } else if (f.length >= 13 && ISO_PREFIX.test(f[0]!) && !NUMBER.test(f[2]!)) {
    client = ipOf(f[2]!);
  } else if (f.length >= 11 && ISO_PREFIX.test(f[0]!)) {
    status = 5;
  } else return undefined;
  const time = Date.parse(f[at]!);
  const elbStatus = f[status]!;
  const code = Number(elbStatus === '-' ? f[status + 1] : elbStatus);
  const request = f[status + 4];
  if (Number.isNaN(time) || !Number.isInteger(code) || request === undefined) return undefined;
  const { method, path } = splitRequest(request);
  return {
    kind,
    time,
    balancer: f[at + 1]!,
    client,
    status: code,
    method,
    path,
    userAgent: f[status + 5] ?? '',
  };
}
