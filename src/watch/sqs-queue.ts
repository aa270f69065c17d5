import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

/** One received message, with what the loop needs to decide its fate. */
export interface QueueMessage {
  id: string;
  body: string;
  receiptHandle: string;
  /** How many times SQS has handed this message out (1 on first delivery). */
  receiveCount: number;
  /** When SQS accepted the message (epoch ms). */
  sentAt: number;
}

export interface QueueOptions {
  url: string;
  region: string;
  endpoint?: string;
  /** Seconds a received message stays invisible while it is processed. */
  visibilityTimeout: number;
  waitSeconds: number;
}

/** The region in an SQS URL (`https://sqs.eu-west-1.amazonaws.com/…`), when it names one. */
export function regionOfQueueUrl(url: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(url)?.[1];
}

function toMessage(m: Message): QueueMessage | undefined {
  if (!m.MessageId || !m.ReceiptHandle) return undefined;
  const count = Number(m.Attributes?.ApproximateReceiveCount ?? '1');
  const sent = Number(m.Attributes?.SentTimestamp ?? Number.NaN);
  return {
    id: m.MessageId,
    body: m.Body ?? '',
    receiptHandle: m.ReceiptHandle,
    receiveCount: Number.isFinite(count) && count > 0 ? count : 1,
    sentAt: Number.isFinite(sent) ? sent : Date.now(),
  };
}

/** The SQS side of the watch loop: long-poll, delete, move aside. */
export class EventQueue {
  private readonly client: SQSClient;

  constructor(private readonly opts: QueueOptions) {
    this.client = new SQSClient({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    });
  }

  /** Up to `max` (≤ 10) messages; resolves empty when `signal` aborts the long poll. */
  async receive(max: number, signal: AbortSignal): Promise<QueueMessage[]> {
    try {
      const out = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.opts.url,
          MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
          WaitTimeSeconds: this.opts.waitSeconds,
          VisibilityTimeout: this.opts.visibilityTimeout,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          // The older name of the same request field; some SQS-compatible servers read only this one.
          AttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      return (out.Messages ?? []).flatMap((m) => toMessage(m) ?? []);
    } catch (err) {
      if (signal.aborted) return [];
      throw err;
    }
  }

  async delete(m: QueueMessage): Promise<void> {
    await this.client.send(
      new DeleteMessageCommand({ QueueUrl: this.opts.url, ReceiptHandle: m.receiptHandle }),
    );
  }

  /** Copies the message to the dead-letter queue, then deletes it here (a crash in between duplicates, never loses). */
  async moveAside(m: QueueMessage, deadLetterUrl: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: deadLetterUrl, MessageBody: m.body }));
    await this.delete(m);
  }

  destroy(): void {
    this.client.destroy();
  }
}
