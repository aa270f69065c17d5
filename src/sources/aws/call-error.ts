import { AwsCallError } from './types.js';

/**
 * The IAM action behind an operation, for the "missing permission" line of the summary. Most
 * actions are `<prefix>:<Operation>`; the table lists the ones AWS names differently.
 */
const ACTION_OVERRIDES: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:HeadBucket': 's3:ListBucket',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
  'lambda:ListFunctions20150331': 'lambda:ListFunctions',
};

/** IAM prefix per service label (a client's serviceId or a collector's service name). */
const PREFIXES: Record<string, string> = {
  'config service': 'config',
  'config-service': 'config',
  configservice: 'config',
  accessanalyzer: 'access-analyzer',
  'access-analyzer': 'access-analyzer',
  'elastic load balancing v2': 'elasticloadbalancing',
  'elastic load balancing': 'elasticloadbalancing',
  elbv2: 'elasticloadbalancing',
  elb: 'elasticloadbalancing',
  'cloudwatch logs': 'logs',
  's3 control': 's3',
  s3control: 's3',
};

/** Short service label for the summary and the IAM prefix (`EC2` → `ec2`, `Config Service` → `config`). */
export function serviceLabel(serviceId: string): string {
  const k = serviceId.toLowerCase();
  return PREFIXES[k] ?? k.replace(/\s+/g, '-');
}

export function iamActionFor(service: string, operation: string): string {
  const action = `${serviceLabel(service)}:${operation.replace(/Command$/, '')}`;
  return ACTION_OVERRIDES[action] ?? action;
}

const DENIED = /AccessDenied|UnauthorizedOperation|AuthorizationError|AccessDeniedException|Forbidden/i;

/** Keeps AWS's message readable and bounded: one line, no request ids or signatures. */
function cleanMessage(raw: string): string {
  return raw
    .replace(/\s+/g, ' ')
    .replace(/(Encoded authorization failure message:).*/i, '$1 <omitted>')
    .slice(0, 300)
    .trim();
}

export function toCallError(err: unknown, service: string, operation: string): AwsCallError {
  if (err instanceof AwsCallError) return err;
  const e = (err ?? {}) as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode;
  // An answer that is not the service's format (an HTML error page, a proxy, an emulator that lacks
  // the API) is reported by its HTTP status, not as the parser's SyntaxError.
  const unparsable = e.name === 'SyntaxError' || /Deserialization error/.test(String(e.message ?? ''));
  const code =
    (unparsable && `InvalidResponse${status ? `(HTTP ${status})` : ''}`) ||
    (typeof e.Code === 'string' && e.Code) ||
    (typeof e.name === 'string' && e.name !== 'Error' && e.name) ||
    (typeof e.code === 'string' && e.code) ||
    (status ? `HTTP ${status}` : 'Error');
  const message = unparsable
    ? 'the service answered in an unexpected format'
    : cleanMessage(typeof e.message === 'string' && e.message ? e.message : String(code));
  const op = operation.replace(/Command$/, '');
  // AWS often names the exact action it refused ("not authorized to perform: ec2:DescribeVolumes").
  const named = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
  const iamAction = DENIED.test(code) ? (named ?? iamActionFor(service, op)) : undefined;
  return new AwsCallError(serviceLabel(service), op, code, message, iamAction);
}
