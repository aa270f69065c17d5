import { delay, type PipelineTrigger, TriggerError, type TriggerResult } from './types.js';

export interface GithubOptions {
  /** API root; `https://api.github.com` or a GitHub Enterprise `/api/v3` URL. */
  apiUrl?: string;
  repository: string;
  /** Workflow file name (`deploy.yml`) or numeric id. */
  workflow: string;
  ref: string;
  token: string;
  waitForRunMs?: number;
  pollIntervalMs?: number;
}

interface RunList {
  workflow_runs?: { id?: number; html_url?: string; created_at?: string; event?: string }[];
}

/**
 * Triggers a GitHub Actions `workflow_dispatch`. The dispatch API answers 204 without the run, so
 * the run is found afterwards among the workflow's dispatch runs created since the request.
 */
export class GithubTrigger implements PipelineTrigger {
  readonly system = 'github' as const;
  private readonly api: string;

  constructor(private readonly options: GithubOptions) {
    this.api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    if (!/^[\w.-]+\/[\w.-]+$/.test(options.repository)) {
      throw new TriggerError(`repository must be OWNER/NAME, got "${options.repository}"`);
    }
  }

  private workflowUrl(): string {
    return `${this.api}/repos/${this.options.repository}/actions/workflows/${encodeURIComponent(this.options.workflow)}`;
  }

  private headers(): Record<string, string> {
    return {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${this.options.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'warden',
    };
  }

  describe(inputs: Record<string, string>): string {
    const names = Object.keys(inputs).sort().join(', ');
    return `POST ${this.workflowUrl()}/dispatches ref=${this.options.ref} (${names || 'no inputs'})`;
  }

  async trigger(inputs: Record<string, string>): Promise<TriggerResult> {
    // GitHub's clock decides `created`; allow a little skew so our own run is not missed.
    const since = new Date(Date.now() - 60_000).toISOString();
    const res = await fetch(`${this.workflowUrl()}/dispatches`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ ref: this.options.ref, inputs }),
    });
    if (res.status !== 204 && res.status !== 200) {
      throw new TriggerError(
        `GitHub answered ${res.status} to workflow_dispatch of ${this.options.workflow} in ${this.options.repository}`,
        res.status,
      );
    }
    const result: TriggerResult = { system: 'github', inputs, queuedUrl: `${this.workflowUrl()}` };
    const runUrl = await this.findRun(since);
    if (runUrl) result.runUrl = runUrl;
    return result;
  }

  private async findRun(since: string): Promise<string | undefined> {
    const budget = this.options.waitForRunMs ?? 10_000;
    const interval = this.options.pollIntervalMs ?? 1000;
    const polls = Math.max(1, Math.ceil(budget / interval));
    const url = `${this.workflowUrl()}/runs?event=workflow_dispatch&created=${encodeURIComponent(`>=${since}`)}&per_page=5`;
    for (let i = 0; i < polls; i++) {
      const res = await fetch(url, { headers: this.headers() });
      if (res.ok) {
        const body = (await res.json()) as RunList;
        const newest = (body.workflow_runs ?? [])
          .filter((r) => typeof r.html_url === 'string')
          .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)))[0];
        if (newest?.html_url) return newest.html_url;
      }
      if (i < polls - 1) await delay(interval);
    }
    return undefined;
  }
}
