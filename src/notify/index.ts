export { channelsFrom } from './channel-factory.js';
export { snsChannel, sqsChannel } from './channels/aws.js';
export { emailChannel } from './channels/email.js';
export { jiraChannel, jiraIssue } from './channels/jira.js';
export { PAGERDUTY_ENDPOINT, pagerDutyChannel, pagerDutyEvent } from './channels/pagerduty.js';
export { slackChannel, slackPayload } from './channels/slack.js';
export { signWebhook, verifyWebhook, webhookBody, webhookChannel } from './channels/webhook.js';
export { loadNotifyConfig, type NotifyConfig, parseNotifyConfig } from './config.js';
export { type DeliverySummary, deliverNow } from './deliver.js';
export { enqueueRun, noteFromResult } from './notifier.js';
export {
  DEAD_SENTINEL,
  dedupKey,
  MemoryOutbox,
  type NewOutboxItem,
  type OutboxItem,
  type OutboxPayload,
  type OutboxStore,
} from './outbox.js';
export { routeFinding, teamsOf } from './routing.js';
export * from './types.js';
export { backoffMs, OutboxWorker, type RetryPolicy, type RoundResult, type WorkerOptions } from './worker.js';
