import { createTransport, type Transporter } from 'nodemailer';
import { findingText, messageText, subject } from '../render.js';
import { type Channel, DeliveryError, type Message } from '../types.js';

export interface EmailConfig {
  name: string;
  host: string;
  port: number;
  /** Implicit TLS (465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Refuse to send without TLS (the default for anything but loopback). */
  requireTls?: boolean;
  user?: string;
  password?: string;
  from: string;
  to: string[];
}

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function emailHtml(m: Message): string {
  const items = m.findings
    .map((f) => `<pre style="white-space:pre-wrap">${escapeHtml(findingText(f))}</pre>`)
    .join('\n<hr>\n');
  return `<h2>${escapeHtml(subject(m))}</h2>\n${items}`;
}

export function emailChannel(config: EmailConfig): Channel {
  let transport: Transporter | undefined;
  const loopback = /^(127\.|localhost$|::1$)/.test(config.host);
  return {
    name: config.name,
    type: 'email',
    aggregates: true,
    async send(m, deliveryId) {
      transport ??= createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure ?? false,
        requireTLS: config.requireTls ?? !loopback,
        ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      });
      try {
        await transport.sendMail({
          from: config.from,
          to: config.to,
          subject: subject(m),
          text: messageText(m),
          html: emailHtml(m),
          headers: { 'X-Warden-Delivery': deliveryId },
        });
      } catch (err) {
        const e = err as { responseCode?: number; code?: string; message?: string };
        // 5xx SMTP replies are permanent (bad recipient, rejected); the rest may pass later.
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
        throw new DeliveryError(`${config.name}: SMTP ${e.responseCode ?? e.code ?? 'error'}`, !permanent);
      }
    },
  };
}
