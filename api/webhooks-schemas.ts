import { z } from 'zod';
import { text } from './edge';

const LOCALHOST = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Receivers must use https; plain http only on localhost, and only where allowed (development, tests). */
export function createWebhookSchema({ allowHttpLocalhost }: { allowHttpLocalhost: boolean }) {
  return z
    .object({
      url: z
        .string()
        .url()
        .max(2000)
        .refine((u) => {
          if (!URL.canParse(u)) return true; // reported by .url()
          const url = new URL(u);
          if (url.protocol === 'https:') return true;
          return allowHttpLocalhost && url.protocol === 'http:' && LOCALHOST.has(url.hostname);
        }, 'expected an https URL (plain http is accepted only for localhost outside production)')
        .refine(
          (u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password),
          'credentials in the URL are not accepted',
        ),
      description: text({ max: 200 }).optional(),
    })
    .strict();
}

export const webhookSchema = z.object({
  id: z.string().uuid(),
  url: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
});

export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string().describe('HMAC-SHA256 signing secret; shown only in this answer'),
});
