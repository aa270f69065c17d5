import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FindingNote, RunRef } from '../../../src/notify/index.js';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** Sets how the next requests are answered (default 200 `ok`). */
  respond: (
    fn: (req: Received) => { status: number; body?: string; headers?: Record<string, string> },
  ) => void;
  close: () => Promise<void>;
}

/** A real HTTP server on loopback that records every request. */
export async function startReceiver(port = 0): Promise<Receiver> {
  const requests: Received[] = [];
  let responder = (_: Received) => ({ status: 200, body: 'ok', headers: {} as Record<string, string> });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      const answer = responder(r);
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...(answer.headers ?? {}) });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    respond: (fn) => {
      responder = (r) => {
        const a = fn(r);
        return { status: a.status, body: a.body ?? '', headers: a.headers ?? {} };
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const RUN: RunRef = { id: 'scan-20261123-1300', kind: 'scan' };

export function finding(over: Partial<FindingNote> = {}): FindingNote {
  return {
    fingerprint: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    policy: 'aws-ec2-sg-admin-ports-open',
    title: 'Security group allows SSH or RDP from the internet',
    severity: 'high',
    state: 'open',
    resource: {
      id: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0a1b',
      type: 'aws.ec2.security-group',
      provider: 'aws',
      account: '111122223333',
      region: 'eu-west-1',
      name: 'bastion-sg',
    },
    tags: { team: 'payments', env: 'prod' },
    message: 'Security group allows SSH or RDP from the internet: tcp 22 from 0.0.0.0/0',
    evidence: [
      { path: 'IpPermissions[0].IpRanges[0].CidrIp', value: '0.0.0.0/0', note: 'tcp 22 from 0.0.0.0/0' },
    ],
    remediation: 'Remove the rule or narrow its source to known administration ranges.',
    frameworks: { 'cis-aws-3.0': ['5.2'] },
    ...over,
  };
}
