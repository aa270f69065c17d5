import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { subject } from '../render.js';
import { type Channel, DeliveryError, type Message } from '../types.js';
import { webhookBody } from './webhook.js';

export interface SnsConfig {
  name: string;
  topicArn: string;
  region?: string;
  /** Endpoint override (tests, VPC endpoints). */
  endpoint?: string;
}

export interface SqsConfig {
  name: string;
  queueUrl: string;
  region?: string;
  endpoint?: string;
}

function regionOf(arnOrUrl: string, fallback?: string): string {
  return (
    fallback ?? /(?:arn:[\w-]+:sns:|sqs\.)([a-z]{2}(?:-gov)?-[a-z]+-\d)/.exec(arnOrUrl)?.[1] ?? 'us-east-1'
  );
}

function toDeliveryError(channel: string, err: unknown): DeliveryError {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  const retryable =
    status === undefined ||
    status === 429 ||
    status >= 500 ||
    !!e.$retryable ||
    /Throttl/i.test(e.name ?? '');
  return new DeliveryError(`${channel}: ${e.name ?? 'error'}${status ? ` (HTTP ${status})` : ''}`, retryable);
}

const severityAttribute = (m: Message) => {
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const top =
    m.findings.map((f) => f.severity).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'info';
  return { DataType: 'String', StringValue: top };
};

/** SNS Publish: subject line + the JSON body, with the top severity as a filterable attribute. */
export function snsChannel(config: SnsConfig): Channel {
  const client = new SNSClient({
    region: regionOf(config.topicArn, config.region),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    maxAttempts: 1,
  });
  return {
    name: config.name,
    type: 'sns',
    aggregates: true,
    async send(m) {
      try {
        await client.send(
          new PublishCommand({
            TopicArn: config.topicArn,
            // SNS subjects: ≤100 printable ASCII characters, no line breaks.
            Subject: subject(m)
              .replace(/[^\x20-\x7e]/g, '-')
              .slice(0, 100),
            Message: webhookBody(m),
            MessageAttributes: { severity: severityAttribute(m) },
          }),
        );
      } catch (err) {
        throw toDeliveryError(config.name, err);
      }
    },
  };
}

/** SQS SendMessage: the JSON body; the delivery id as a deduplication attribute for consumers. */
export function sqsChannel(config: SqsConfig): Channel {
  const client = new SQSClient({
    region: regionOf(config.queueUrl, config.region),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    maxAttempts: 1,
  });
  return {
    name: config.name,
    type: 'sqs',
    aggregates: true,
    async send(m, deliveryId) {
      try {
        await client.send(
          new SendMessageCommand({
            QueueUrl: config.queueUrl,
            MessageBody: webhookBody(m),
            MessageAttributes: {
              severity: severityAttribute(m),
              delivery: { DataType: 'String', StringValue: deliveryId },
            },
          }),
        );
      } catch (err) {
        throw toDeliveryError(config.name, err);
      }
    },
  };
}
