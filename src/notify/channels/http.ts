import { DeliveryError } from '../types.js';

const TIMEOUT_MS = 15_000;

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.min(at - Date.now(), 3_600_000));
}

/**
 * POSTs and classifies the answer: 2xx delivered; 408, 429 and 5xx (and network errors) retryable;
 * other 4xx permanent. Error texts name the channel and status only: URLs can hold tokens (Slack
 * webhooks do), so they never appear in errors or logs.
 */
export async function post(
  channel: string,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      headers,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).name;
    throw new DeliveryError(`${channel}: receiver unreachable (${why})`, true);
  }
  if (res.ok) return res;
  // Read a little of the answer for the error; never more (hostile receivers).
  const text = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new DeliveryError(
    `${channel}: HTTP ${res.status}${text ? ` ${text}` : ''}`,
    retryable,
    retryAfter(res.headers.get('retry-after')),
  );
}
