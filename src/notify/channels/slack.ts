import { evidenceLines, resourceLabel, subject } from '../render.js';
import type { Channel, FindingNote, Message } from '../types.js';
import { post } from './http.js';

export interface SlackConfig {
  name: string;
  /** Incoming webhook URL (a secret: it is the credential). */
  url: string;
}

/** Slack caps a message at 50 blocks; keep room for the header, footer and dividers. */
const MAX_FINDINGS = 20;
const EMOJI: Record<string, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':white_circle:',
  info: ':information_source:',
};

/** Slack mrkdwn needs &, < and > escaped; resource names and messages are untrusted. */
function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function findingBlock(f: FindingNote) {
  const mark =
    f.state === 'resolved'
      ? ':white_check_mark: *Resolved*'
      : `${EMOJI[f.severity]} *${f.severity.toUpperCase()}*`;
  const why = evidenceLines(f.evidence, 3).map((l) => `• \`${esc(l)}\``);
  const text = [
    `${mark} ${esc(f.title)}`,
    `*Resource:* ${esc(resourceLabel(f))}\n\`${esc(f.resource.id)}\``,
    `*Policy:* \`${esc(f.policy)}\``,
    `*Why:* ${esc(f.message)}`,
    ...why,
    `*Fix:* ${esc(f.remediation || 'see the policy documentation')}`,
  ].join('\n');
  // Section text is limited to 3000 characters.
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: text.length > 2900 ? `${text.slice(0, 2899)}…` : text },
  };
}

/** The Block Kit payload of a message (exported for tests and previews). */
export function slackPayload(m: Message) {
  const title = subject(m);
  const shown = m.findings.slice(0, MAX_FINDINGS);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
  ];
  for (const f of shown) blocks.push(findingBlock(f), { type: 'divider' });
  const more = m.findings.length - shown.length;
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Warden ${m.run.kind} \`${esc(m.run.id)}\`${more > 0 ? ` — ${more} more finding${more === 1 ? '' : 's'} not shown` : ''}`,
      },
    ],
  });
  // `text` is the notification fallback (mobile push, screen readers).
  return { text: title, blocks };
}

export function slackChannel(config: SlackConfig): Channel {
  return {
    name: config.name,
    type: 'slack',
    aggregates: true,
    async send(m) {
      await post(config.name, config.url, JSON.stringify(slackPayload(m)), {
        'content-type': 'application/json',
      });
    },
  };
}
