import { createHmac, timingSafeEqual } from 'node:crypto';
import { VERSION } from '../../version.js';
import type { Channel, Message } from '../types.js';
import { post } from './http.js';

export interface WebhookConfig {
  name: string;
  url: string;
  /** Shared secret for the signature. */
  secret: string;
}

/**
 * Signature scheme (documented in docs/notifications.md):
 *   X-Warden-Timestamp: <unix seconds>
 *   X-Warden-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   X-Warden-Delivery:  <outbox item id> (the same on every retry: receivers dedupe on it)
 * Receivers recompute the HMAC over the raw bytes, compare in constant time, and reject timestamps
 * more than 5 minutes away from their clock (replay protection).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds || !headers.signature)
    return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The JSON body: the run and its findings in the notification shape. */
export function webhookBody(m: Message): string {
  return JSON.stringify({ tool: { name: 'warden', version: VERSION }, run: m.run, findings: m.findings });
}

export function webhookChannel(config: WebhookConfig, now: () => number = Date.now): Channel {
  return {
    name: config.name,
    type: 'webhook',
    aggregates: true,
    async send(m, deliveryId) {
      const body = webhookBody(m);
      const ts = Math.floor(now() / 1000);
      await post(config.name, config.url, body, {
        'content-type': 'application/json',
        'user-agent': `warden/${VERSION}`,
        'x-warden-timestamp': String(ts),
        'x-warden-signature': signWebhook(config.secret, ts, body),
        'x-warden-delivery': deliveryId,
      });
    },
  };
}
