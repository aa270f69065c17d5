import { evidenceLines, resourceLabel } from '../render.js';
import type { Channel, FindingNote } from '../types.js';
import { post } from './http.js';

export interface JiraConfig {
  name: string;
  /** Site base URL, e.g. https://acme.atlassian.net */
  url: string;
  /** Account e-mail and API token (basic auth, as Jira Cloud requires for API tokens). */
  user: string;
  token: string;
  project: string;
  issueType?: string;
}

/** REST v2 create-issue body (v2 takes wiki-markup text; v3 would need Atlassian Document Format). */
export function jiraIssue(config: Pick<JiraConfig, 'project' | 'issueType'>, f: FindingNote) {
  const description = [
    `*Resource:* ${resourceLabel(f)}`,
    `{noformat}${f.resource.id}{noformat}`,
    `*Policy:* ${f.policy} (severity ${f.severity})`,
    `*Why:* ${f.message}`,
    ...evidenceLines(f.evidence).map((l) => `* {{${l.replaceAll('}', ')')}}}`),
    `*How to fix:* ${f.remediation || 'see the policy documentation'}`,
    '',
    `Warden fingerprint: ${f.fingerprint}`,
  ].join('\n');
  return {
    fields: {
      project: { key: config.project },
      issuetype: { name: config.issueType ?? 'Bug' },
      summary: `[Warden] ${f.title}: ${f.resource.name}`.slice(0, 255),
      description,
      labels: ['warden', `warden-${f.severity}`],
    },
  };
}

export function jiraChannel(config: JiraConfig): Channel {
  const auth = `Basic ${Buffer.from(`${config.user}:${config.token}`).toString('base64')}`;
  const endpoint = `${config.url.replace(/\/+$/, '')}/rest/api/2/issue`;
  return {
    name: config.name,
    type: 'jira',
    aggregates: false,
    async send(m) {
      // Jira tracks open problems; a resolution is left to the workflow (and to the next scan).
      for (const f of m.findings) {
        if (f.state !== 'open') continue;
        await post(config.name, endpoint, JSON.stringify(jiraIssue(config, f)), {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: auth,
        });
      }
    },
  };
}
