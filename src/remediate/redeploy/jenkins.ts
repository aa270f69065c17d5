import { delay, type PipelineTrigger, TriggerError, type TriggerResult } from './types.js';

export interface JenkinsOptions {
  /** Base URL, e.g. https://jenkins.example.com/ (a context path is kept). */
  url: string;
  /** Job path with folders as `folder/job` → `/job/folder/job/job`. */
  job: string;
  /** User + API token (Basic auth), the usual way for automation. */
  user?: string;
  apiToken?: string;
  /** The job's "Trigger builds remotely" token, sent as `token=`. */
  buildToken?: string;
  /** How long to wait for the queue item to become a build before returning the queue URL only. */
  waitForBuildMs?: number;
  pollIntervalMs?: number;
}

interface Crumb {
  field: string;
  value: string;
  cookie?: string;
}

/**
 * Triggers a parameterised Jenkins job (`buildWithParameters`). The CSRF crumb is fetched only when
 * Jenkins asks for it (403 mentioning the crumb): API-token requests are exempt on current Jenkins,
 * password or anonymous sessions are not, and the crumb is bound to the session cookie it came with.
 */
export class JenkinsTrigger implements PipelineTrigger {
  readonly system = 'jenkins' as const;
  private readonly base: string;

  constructor(private readonly options: JenkinsOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  private jobUrl(): string {
    const segments = this.options.job.split('/').filter(Boolean);
    return `${this.base}${segments.map((s) => `/job/${encodeURIComponent(s)}`).join('')}`;
  }

  describe(inputs: Record<string, string>): string {
    const names = Object.keys(inputs).sort().join(', ');
    return `POST ${this.jobUrl()}/buildWithParameters (${names || 'no parameters'})`;
  }

  private authHeaders(): Record<string, string> {
    const { user, apiToken } = this.options;
    if (user && apiToken) {
      return { authorization: `Basic ${Buffer.from(`${user}:${apiToken}`).toString('base64')}` };
    }
    return {};
  }

  private async fetchCrumb(): Promise<Crumb> {
    const res = await fetch(`${this.base}/crumbIssuer/api/json`, { headers: this.authHeaders() });
    if (!res.ok) throw new TriggerError(`Jenkins crumb issuer answered ${res.status}`, res.status);
    const body = (await res.json()) as { crumb?: unknown; crumbRequestField?: unknown };
    if (typeof body.crumb !== 'string' || typeof body.crumbRequestField !== 'string') {
      throw new TriggerError('Jenkins crumb issuer answered without a crumb');
    }
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    return { field: body.crumbRequestField, value: body.crumb, ...(cookie ? { cookie } : {}) };
  }

  private async post(inputs: Record<string, string>, crumb?: Crumb): Promise<Response> {
    const form = new URLSearchParams(inputs);
    if (this.options.buildToken) form.set('token', this.options.buildToken);
    const headers: Record<string, string> = {
      ...this.authHeaders(),
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (crumb) {
      headers[crumb.field] = crumb.value;
      if (crumb.cookie) headers.cookie = crumb.cookie;
    }
    return fetch(`${this.jobUrl()}/buildWithParameters`, {
      method: 'POST',
      headers,
      body: form.toString(),
      redirect: 'manual',
    });
  }

  async trigger(inputs: Record<string, string>): Promise<TriggerResult> {
    let res = await this.post(inputs);
    if (res.status === 403 && /crumb/i.test(await res.text())) {
      res = await this.post(inputs, await this.fetchCrumb());
    }
    if (res.status !== 201 && res.status !== 200) {
      throw new TriggerError(
        `Jenkins answered ${res.status} to buildWithParameters on ${this.options.job}`,
        res.status,
      );
    }
    const location = res.headers.get('location') ?? undefined;
    const result: TriggerResult = { system: 'jenkins', inputs, ...(location ? { queuedUrl: location } : {}) };
    if (location) {
      const runUrl = await this.waitForBuild(location);
      if (runUrl) result.runUrl = runUrl;
    }
    return result;
  }

  /** Follows the queue item until Jenkins assigns a build, within a fixed number of polls. */
  private async waitForBuild(queueUrl: string): Promise<string | undefined> {
    const budget = this.options.waitForBuildMs ?? 10_000;
    const interval = this.options.pollIntervalMs ?? 500;
    const polls = Math.max(1, Math.ceil(budget / interval));
    const itemUrl = `${queueUrl.replace(/\/+$/, '')}/api/json`;
    for (let i = 0; i < polls; i++) {
      const res = await fetch(itemUrl, { headers: this.authHeaders() });
      if (res.ok) {
        const item = (await res.json()) as { executable?: { url?: unknown }; cancelled?: unknown };
        if (typeof item.executable?.url === 'string') return item.executable.url;
        if (item.cancelled === true) throw new TriggerError(`Jenkins cancelled queue item ${queueUrl}`);
      }
      if (i < polls - 1) await delay(interval);
    }
    return undefined;
  }
}
