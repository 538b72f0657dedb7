// The one module that reads process.env. Validated once; a bad value stops start-up with a readable message.
import { z } from 'zod';

const codecKeysPattern = /^[\w-]+:[A-Za-z0-9+/]+={0,2}(,[\w-]+:[A-Za-z0-9+/]+={0,2})*$/;
const allKeysAre32Bytes = (spec: string) =>
  spec.split(',').every((k) => Buffer.from(k.split(':')[1] ?? '', 'base64').length === 32);

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
  /** The local demo tenant's API key, seeded by `npm start` only (never by the API or worker). */
  DEMO_API_KEY: z.string().min(8).default('demo-local-key'),
  RETURN_ADDRESS_NAME: z.string().default('Postgang demo kommune'),
  RETURN_ADDRESS_LINE: z.string().default('Postboks 1'),
  RETURN_ADDRESS_POSTAL_CODE: z
    .string()
    .regex(/^\d{4}$/)
    .default('0037'),
  RETURN_ADDRESS_CITY: z.string().default('Oslo'),
  /** Payload codec keys, `kid:base64(32 bytes)` comma-separated; production must set them (temporal/codec.ts). */
  PAYLOAD_CODEC_KEYS: z
    .string()
    .regex(codecKeysPattern, 'expected "kid1:base64,kid0:base64" with 32-byte AES keys')
    .refine(allKeysAre32Bytes, 'every payload codec key must be 32 bytes (AES-256), base64-encoded')
    .optional(),
  /** The key id that encrypts new payloads; defaults to the first key in PAYLOAD_CODEC_KEYS. */
  PAYLOAD_CODEC_ACTIVE_KEY: z.string().optional(),
  /** Outside production without PAYLOAD_CODEC_KEYS: a local key generated into this file (mode 600). */
  PAYLOAD_CODEC_KEY_FILE: z.string().default('.data/payload-codec-key'),
  /** Origins (the Temporal Web UI's) allowed to call the codec endpoint from a browser, comma-separated. */
  CODEC_CORS_ORIGINS: z.string().default('http://127.0.0.1:8233,http://localhost:8233'),
  /** When set, the codec endpoint requires `Authorization: Bearer <token>`; production serves it only then. */
  CODEC_ENDPOINT_TOKEN: z.string().min(16).optional(),
});

/** Rules across variables. */
const checked = schema.superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && !env.PAYLOAD_CODEC_KEYS)
    ctx.addIssue({ code: 'custom', path: ['PAYLOAD_CODEC_KEYS'], message: 'required in production' });
  const kids = env.PAYLOAD_CODEC_KEYS?.split(',').map((k) => k.split(':')[0]) ?? [];
  if (new Set(kids).size !== kids.length)
    ctx.addIssue({ code: 'custom', path: ['PAYLOAD_CODEC_KEYS'], message: 'a key id appears twice' });
  if (env.PAYLOAD_CODEC_ACTIVE_KEY && !kids.includes(env.PAYLOAD_CODEC_ACTIVE_KEY))
    ctx.addIssue({
      code: 'custom',
      path: ['PAYLOAD_CODEC_ACTIVE_KEY'],
      message: 'must be one of the key ids in PAYLOAD_CODEC_KEYS',
    });
});

export type Env = z.infer<typeof schema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = checked.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
