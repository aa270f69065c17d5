import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RecordingServer {
  base: string;
  seen: Seen[];
  server: Server;
  close(): Promise<void>;
}

/** A loopback HTTP server recording every request and answering through `handler`. */
export async function recordingServer(
  handler: (req: Seen, res: ServerResponse, base: string) => void,
): Promise<RecordingServer> {
  const seen: Seen[] = [];
  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(entry);
      handler(entry, res, base);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * A Jenkins that speaks the real formats: Basic auth with user + API token, a CSRF crumb required
 * on POST (bound to its session cookie), `buildWithParameters` answering 201 with the queue item,
 * and the queue item turning into build `number` on the second poll.
 */
export function fakeJenkins(opts: { user: string; apiToken: string; job: string; number: number }) {
  let polls = 0;
  const jobPath = opts.job
    .split('/')
    .map((s) => `/job/${s}`)
    .join('');
  return recordingServer((req, res, base) => {
    const basic = `Basic ${Buffer.from(`${opts.user}:${opts.apiToken}`).toString('base64')}`;
    if (req.headers.authorization !== basic) {
      res.writeHead(401).end();
      return;
    }
    if (req.method === 'GET' && req.url === '/crumbIssuer/api/json') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': 'JSESSIONID.1=node0; Path=/; HttpOnly',
      });
      res.end(JSON.stringify({ crumb: 'c7f1', crumbRequestField: 'Jenkins-Crumb' }));
      return;
    }
    if (req.method === 'POST' && req.url === `${jobPath}/buildWithParameters`) {
      if (req.headers['jenkins-crumb'] !== 'c7f1' || req.headers.cookie !== 'JSESSIONID.1=node0') {
        res.writeHead(403, { 'content-type': 'text/html' }).end('No valid crumb was included in the request');
        return;
      }
      res.writeHead(201, { location: `${base}/queue/item/7/` }).end();
      return;
    }
    if (req.method === 'GET' && req.url === '/queue/item/7/api/json') {
      polls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          polls < 2
            ? { _class: 'hudson.model.Queue$WaitingItem' }
            : {
                _class: 'hudson.model.Queue$LeftItem',
                executable: { url: `${base}${jobPath}/${opts.number}/` },
              },
        ),
      );
      return;
    }
    res.writeHead(404).end();
  });
}

/** GitHub's REST API for workflow_dispatch (204) and the workflow's dispatch runs. */
export function fakeGithub(opts: { token: string; repository: string; workflow: string; run: number }) {
  const root = `/repos/${opts.repository}/actions/workflows/${opts.workflow}`;
  return recordingServer((req, res) => {
    if (
      req.headers.authorization !== `Bearer ${opts.token}` ||
      req.headers['x-github-api-version'] !== '2022-11-28'
    ) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
      return;
    }
    const path = req.url.split('?')[0];
    if (req.method === 'POST' && path === `${root}/dispatches`) {
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && path === `${root}/runs`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          total_count: 1,
          workflow_runs: [
            {
              id: opts.run,
              event: 'workflow_dispatch',
              created_at: '2026-11-23T10:00:05Z',
              html_url: `https://github.com/${opts.repository}/actions/runs/${opts.run}`,
            },
          ],
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
}
