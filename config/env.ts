// The one module that reads process.env. Validated once; a bad value stops start-up with a readable message.
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_DIR: z.string().default('.data/pg'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('letters'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_HOST: z.string().default('127.0.0.1'),
  DIGIPOST_BASE_URL: z.string().url().default('http://127.0.0.1:8282'),
  DIGIPOST_BROKER_ID: z.string().regex(/^\d+$/, 'expected the numeric Digipost broker id').default('9999'),
  /** PEM file (PKCS#8 or PKCS#1) with the broker's private key. */
  DIGIPOST_PRIVATE_KEY_FILE: z.string().default('.data/digipost-broker-key.pem'),
  /** Overrides DIGIPOST_PRIVATE_KEY_FILE: the broker key as PKCS#12 (.p12, as issued) or PEM. */
  DIGIPOST_KEY_FILE: z.string().min(1).optional(),
  /** Passphrase of DIGIPOST_KEY_FILE (PKCS#12 or encrypted PEM). */
  DIGIPOST_KEY_PASSPHRASE: z.string().optional(),
  /** Send on behalf of this sender id (needs Digipost's broker authorisation); default: the broker itself. */
  DIGIPOST_SENDER_ID: z.string().regex(/^\d+$/, 'expected a numeric Digipost sender id').optional(),
  RETURN_ADDRESS_NAME: z.string().default('Postgang demo kommune'),
  RETURN_ADDRESS_LINE: z.string().default('Postboks 1'),
  RETURN_ADDRESS_POSTAL_CODE: z
    .string()
    .regex(/^\d{4}$/)
    .default('0037'),
  RETURN_ADDRESS_CITY: z.string().default('Oslo'),
});

export type Env = z.infer<typeof schema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
