import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of moto that answers chosen operations with AWS's real error documents
 * (access denied, throttling) in each protocol's own format, and forwards everything else. It lets
 * tests see what a scan does when IAM refuses a call or AWS says "slow down".
 */
export interface RequestInfo {
  /** Signing name from the Authorization header (`ec2`, `s3`, `iam`, `config`, …). */
  service: string;
  region: string;
  /** `DescribeVolumes`; for REST APIs `METHOD /path`. */
  operation: string;
  protocol: 'ec2' | 'query' | 'json' | 'rest-xml' | 'rest-json';
  /** Form parameters of query-protocol calls (`RoleArn` of an AssumeRole). */
  params: URLSearchParams;
  /** The raw request body (JSON protocols). */
  body: string;
}

/** A canned error, a whole reply of the test's own (an API moto lacks), or `undefined` to forward. */
export type Answer = 'deny' | 'throttle' | ErrorDoc | undefined;

export interface AwsProxy {
  endpoint: string;
  /** Operations answered with an error so far, `service:operation` → count. */
  answered: Map<string, number>;
  stop(): Promise<void>;
}

const QUERY_SERVICES = new Set([
  'iam',
  'sts',
  'rds',
  'sns',
  'elasticloadbalancing',
  'autoscaling',
  'cloudformation',
]);

function classify(req: IncomingMessage, body: string): RequestInfo {
  const params = new URLSearchParams(body);
  const auth = String(req.headers.authorization ?? '');
  const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(auth);
  const region = scope?.[1] ?? 'us-east-1';
  const service = scope?.[2] ?? 'unknown';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    return { service, region, operation: target.split('.').at(-1) ?? target, protocol: 'json', params, body };
  }
  const action = params.get('Action');
  if (action && service === 'ec2')
    return { service, region, operation: action, protocol: 'ec2', params, body };
  if (action && QUERY_SERVICES.has(service))
    return { service, region, operation: action, protocol: 'query', params, body };
  const path = (req.url ?? '/').split('?')[0];
  return {
    service,
    region,
    operation: `${req.method} ${path}${req.url?.includes('?') ? `?${req.url.split('?')[1]?.split('=')[0]}` : ''}`,
    protocol: service === 's3' ? 'rest-xml' : 'rest-json',
    params,
    body,
  };
}

export interface ErrorDoc {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The error documents AWS sends, per protocol (codes, status codes and layout as the services use them). */
function errorDocument(info: RequestInfo, answer: 'deny' | 'throttle'): ErrorDoc {
  const requestId = 'c0ffee00-0000-4000-8000-000000000000';
  const denyMessage = `User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: ${info.service}:${info.operation} because no identity-based policy allows the ${info.service}:${info.operation} action`;
  switch (info.protocol) {
    case 'ec2': {
      const [code, message, status] =
        answer === 'deny'
          ? ['UnauthorizedOperation', `You are not authorized to perform this operation. ${denyMessage}`, 403]
          : ['RequestLimitExceeded', 'Request limit exceeded.', 503];
      return {
        status,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    }
    case 'query': {
      const [code, message, status] =
        answer === 'deny' ? ['AccessDenied', denyMessage, 403] : ['Throttling', 'Rate exceeded', 400];
      return {
        status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse xmlns="https://${info.service}.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
    case 'json': {
      const [code, message] =
        answer === 'deny' ? ['AccessDeniedException', denyMessage] : ['ThrottlingException', 'Rate exceeded'];
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: code, message }),
      };
    }
    case 'rest-xml': {
      const [code, message, status] =
        answer === 'deny'
          ? ['AccessDenied', 'Access Denied', 403]
          : ['SlowDown', 'Please reduce your request rate.', 503];
      return {
        status,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId><HostId>aG9zdA==</HostId></Error>`,
      };
    }
    case 'rest-json': {
      const [code, message, status] =
        answer === 'deny'
          ? ['AccessDeniedException', denyMessage, 403]
          : ['TooManyRequestsException', 'Rate exceeded', 429];
      return {
        status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': code,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ Type: 'User', message, Message: message }),
      };
    }
  }
}

export async function startAwsProxy(
  target: string,
  decide: (info: RequestInfo) => Answer,
): Promise<AwsProxy> {
  const upstream = new URL(target);
  const answered = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const info = classify(req, body.toString('utf8'));
      const answer = decide(info);
      if (answer) {
        const key = `${info.service}:${info.operation}`;
        answered.set(key, (answered.get(key) ?? 0) + 1);
        const doc = typeof answer === 'string' ? errorDocument(info, answer) : answer;
        res.writeHead(doc.status, { ...doc.headers, 'content-length': Buffer.byteLength(doc.body) });
        res.end(doc.body);
        return;
      }
      const fwd = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      fwd.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    answered,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
