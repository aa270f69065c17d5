import { snsChannel, sqsChannel } from './channels/aws.js';
import { emailChannel } from './channels/email.js';
import { jiraChannel } from './channels/jira.js';
import { pagerDutyChannel } from './channels/pagerduty.js';
import { slackChannel } from './channels/slack.js';
import { webhookChannel } from './channels/webhook.js';
import type { NotifyConfig } from './config.js';
import type { Channel } from './types.js';

/** Builds the configured channels by name. */
export function channelsFrom(config: Pick<NotifyConfig, 'channels'>): Map<string, Channel> {
  const out = new Map<string, Channel>();
  for (const [name, c] of Object.entries(config.channels)) {
    switch (c.type) {
      case 'slack':
        out.set(name, slackChannel({ name, url: c.url }));
        break;
      case 'webhook':
        out.set(name, webhookChannel({ name, url: c.url, secret: c.secret }));
        break;
      case 'email':
        out.set(name, emailChannel({ name, ...c }));
        break;
      case 'pagerduty':
        out.set(name, pagerDutyChannel({ name, ...c }));
        break;
      case 'jira':
        out.set(name, jiraChannel({ name, ...c }));
        break;
      case 'sns':
        out.set(name, snsChannel({ name, ...c }));
        break;
      case 'sqs':
        out.set(name, sqsChannel({ name, ...c }));
        break;
    }
  }
  return out;
}
