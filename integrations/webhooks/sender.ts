// Sends one signed webhook request. The signature (documented for receivers in the README):
//   X-Postgang-Timestamp: unix seconds
//   X-Postgang-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>
import { createHmac } from 'node:crypto';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  eventId: string;
  body: string;
}

export class WebhookRejected extends Error {}

/** Resolves when the receiver accepted (2xx); throws otherwise, including on timeout. */
export async function sendWebhook(
  req: WebhookRequest,
  opts: { fetch: typeof fetch; timeoutMs: number; now?: () => Date },
): Promise<void> {
  const timestamp = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
  let res: Response;
  try {
    res = await opts.fetch(req.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'postgang-webhooks/1',
        'x-postgang-event-id': req.eventId,
        'x-postgang-timestamp': String(timestamp),
        'x-postgang-signature': webhookSignature(req.secret, timestamp, req.body),
      },
      body: req.body,
    });
  } catch (e) {
    const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : String(e);
    throw new WebhookRejected(`webhook receiver unreachable: ${reason}`);
  }
  await res.text(); // not needed, but read so the connection can be reused
  if (res.status < 200 || res.status > 299)
    throw new WebhookRejected(`webhook receiver answered HTTP ${res.status}`);
}
