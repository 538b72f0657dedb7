// The one module that reads process.env. Validated once; a bad value stops start-up with a readable message.
import { z } from 'zod';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/**
 * Every duration in the configuration, in either shape: with a unit (`500ms`, `30 seconds`, `10 minutes`,
 * `14 days`) or a bare number of seconds (`900`). In milliseconds; undefined when it is neither.
 */
export function durationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2] === undefined ? 1000 : Object.hasOwn(UNIT_MS, m[2]) ? UNIT_MS[m[2]] : undefined;
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

const DURATION_WORDS = 'expected seconds ("900") or a duration such as "15 minutes"';

/** A duration as Temporal reads it (`10 minutes`); a bare number is seconds, and is passed on with its unit. */
const duration = z
  .string()
  .refine((v) => durationMs(v) !== undefined, DURATION_WORDS)
  .transform((v) => (/^\s*\d+(\.\d+)?\s*$/.test(v) ? `${v.trim()} seconds` : v));

/** The `*_SECONDS` names: a number of seconds, or a duration with its unit (`15 minutes`), as seconds. */
const seconds = (least: 'zero' | 'positive') =>
  z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const ms = typeof v === 'number' ? v * 1000 : durationMs(v);
      if (ms !== undefined) return ms / 1000;
      ctx.addIssue({ code: 'custom', message: DURATION_WORDS });
      return z.NEVER;
    })
    .pipe(least === 'zero' ? z.number().min(0) : z.number().positive());

/** Development and test only: production refuses to start with it (see loadEnv). */
const DEV_SECRETS_KEY = Buffer.alloc(32, 'postgang-dev-secrets-key').toString('base64');
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
  // A secured cluster (self-hosted with TLS/mTLS, or Temporal Cloud); temporal/connection.ts builds the options.
  /** `true` for TLS with the system's CA store; implied by any other TEMPORAL_TLS_* setting or an API key. */
  TEMPORAL_TLS: z.stringbool().optional(),
  /** PEM file with the CA that signed the server's certificate (self-hosted with a private CA). */
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  /** mTLS: PEM files with this process's client certificate and its private key (both or neither). */
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  /** The name in the server's certificate when it differs from the host in TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key (sent as `Authorization: Bearer`); needs TLS, which it turns on. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  // Worker capacity (worker/main.ts); defaults and why: README "Worker settings".
  /** Activities one worker process runs at once (SDK default 100). */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  /**
   * Local activities one worker process runs at once (SDK default 100): producing a letter renders its PDF in
   * one, and on a few cores more than a handful at once only holds more documents in memory.
   */
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().min(1).default(16),
  /** Workflow tasks one worker process runs at once (SDK default 40). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  /** Workflows kept in the sticky cache; bounds the worker's memory (the SDK's default grows with the heap). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(300),
  /**
   * The worker's HTTP port: GET /metrics (SDK and application series), /health, /ready. Unset: no endpoint
   * (tests run many workers side by side); `npm start`, `npm run start:cluster` and docker-compose set it.
   */
  WORKER_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  WORKER_HTTP_HOST: z.string().default('127.0.0.1'),
  /** Where the SDK runtime serves its own Prometheus metrics (default: 127.0.0.1 and WORKER_HTTP_PORT + 1). */
  WORKER_SDK_METRICS_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'expected host:port')
    .optional(),
  /** Seconds between the application gauges' database counts (letters by status, backlog) on /metrics. */
  METRICS_GAUGE_TTL_SECONDS: seconds('zero').default(5),
  // `npm run start:cluster` (temporal/cluster.ts): the full Temporal server's own databases on PostgreSQL.
  // Host, port, user and password default to DATABASE_URL's (the user needs CREATEDB for the first start).
  TEMPORAL_SQL_HOST: z.string().min(1).optional(),
  TEMPORAL_SQL_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TEMPORAL_SQL_USER: z.string().min(1).optional(),
  TEMPORAL_SQL_PASSWORD: z.string().optional(),
  TEMPORAL_SQL_DATABASE: z.string().min(1).default('temporal'),
  TEMPORAL_SQL_VISIBILITY_DATABASE: z.string().min(1).default('temporal_visibility'),
  /** Fixed at the cluster's first start; 4 is what the measurements (temporal-notes.md §5.1) used on 2 cores. */
  TEMPORAL_HISTORY_SHARDS: z.coerce.number().int().min(1).default(4),
  /** Worker processes `npm run start:cluster` runs side by side on the task queue. */
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  /** The Temporal Web UI; the admin panel links each letter, run and item to its workflow there. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_HOST: z.string().default('127.0.0.1'),
  DIGIPOST_BASE_URL: z.string().url().default('http://127.0.0.1:8282'),
  DIGIPOST_BROKER_ID: z.string().regex(/^\d+$/, 'expected the numeric Digipost broker id').default('9999'),
  /** PEM file (PKCS#8 or PKCS#1) with the broker's private key. */
  DIGIPOST_PRIVATE_KEY_FILE: z.string().default('.data/digipost-broker-key.pem'),
  /** The local demo tenant's API key, seeded by `npm start` only (never by the API or worker). */
  DEMO_API_KEY: z.string().min(8).default('demo-local-key'),
  /** Chromium for the admin panel's browser test (default: `chromium` on PATH, Debian's package). */
  CHROMIUM_PATH: z.string().min(1).optional(),
  /** The local demo operator's password (username `operator`), seeded by `npm start` only. */
  DEMO_OPERATOR_PASSWORD: z.string().min(10).default('demo-operator'),
  /** How long a sent letter listens for a late PRINT_FAILED / SHREDDED event. */
  LETTER_EVENT_WINDOW: duration.default('14 days'),
  /** How long a letter not sent waits for an address correction before it closes. */
  LETTER_CORRECTION_WINDOW: duration.default('30 days'),
  /** How often a committed run asks Digipost about letters still Venter. */
  RUN_DELIVERY_POLL_INTERVAL: duration.default('10 minutes'),
  /** How long the run preview reuses a recipient's Digipost identification (README "Run preview"). */
  DIGIPOST_IDENTIFICATION_CACHE_SECONDS: seconds('zero').pipe(z.number().int()).default(86_400),
  /** Identification calls the run preview has in flight at Digipost at once. */
  PREVIEW_IDENTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** How often the letter sweeper sends signals still owed to letter workflows and starts stranded letters. */
  LETTER_SWEEP_INTERVAL: duration.default('1 minute'),
  /** What the sweeper leaves alone: signals and RECEIVED letters younger than this are still in hand. */
  LETTER_SWEEP_GRACE_SECONDS: seconds('zero').default(120),
  /**
   * Only these tenants' letters are swept (comma-separated ids), when several systems, each with its own
   * Temporal, share one database (the tests do). Default: every tenant.
   */
  LETTER_SWEEP_TENANTS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  /** How often document events are polled (one poller per broker account). */
  DIGIPOST_EVENTS_INTERVAL: duration.default('5 minutes'),
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
  /** SMTP relay used to forward inbound letters by e-mail. */
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
  SMTP_SECURE: z.stringbool().default(false),
  SMTP_USERNAME: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Postmottak <postmottak@postgang.invalid>'),
  /** Service root of the Noark 5 Tjenestegrensesnitt; everything else is found through its links. */
  ARCHIVE_BASE_URL: z.string().url().default('http://127.0.0.1:8383/noark5v5/api/'),
  ARCHIVE_USERNAME: z.string().optional(),
  ARCHIVE_PASSWORD: z.string().optional(),
  ARCHIVE_CLIENT_ID: z.string().optional(),
  ARCHIVE_CLIENT_SECRET: z.string().optional(),
  /** Token URL for the archive login; when unset it is discovered through the root's OIDC rel. */
  ARCHIVE_TOKEN_URL: z.string().url().optional(),
  /**
   * The local Noark 5 simulator's behaviour where a real server and the standard differ (`npm start`,
   * `npm run sim:archive`): `observed` (what an independent TG server does) or `standard` (TG 1.1's text).
   */
  ARCHIVE_SIMULATOR_MODE: z.enum(['observed', 'standard']).default('observed'),
  /** SvarInn (KS SvarUt's mottaker API); every receiving system polls it with its own credentials. */
  SVARINN_BASE_URL: z.string().url().default('https://svarut.ks.no'),
  /** How often each receiving system's poller asks SvarInn for new items (KS recommends 15 minutes). */
  SVARINN_POLL_INTERVAL_SECONDS: seconds('positive').default(900),
  /** A corrupt or unverifiable download is tried this many times before the item is reported unreadable. */
  SVARINN_DOWNLOAD_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** Inbound items nobody has triaged after this long are flagged for operators. */
  INBOUND_FLAG_UNTRIAGED_AFTER_SECONDS: seconds('positive').default(24 * 3600),
  /** A receiving system's digest e-mail of flagged items goes at most this often (daily). */
  INBOUND_DIGEST_INTERVAL_SECONDS: seconds('positive').default(24 * 3600),
  /**
   * An automatic triage rule waits this long, during which an operator's own decision wins (README: "Rules
   * and the operator's override"). 0: rules act at once.
   */
  INBOUND_AUTO_TRIAGE_DELAY_SECONDS: seconds('zero').default(30 * 60),
  /** A deleted item's files are purged after this long; its metadata and reason are kept. */
  INBOUND_DELETED_RETENTION_SECONDS: seconds('positive').default(30 * 24 * 3600),
  /** 32 bytes, base64: encrypts receiving systems' SvarInn passwords and private keys at rest (AES-256-GCM). */
  INBOUND_SECRETS_KEY: z
    .string()
    .refine((k) => Buffer.from(k, 'base64').length === 32, 'expected 32 bytes in base64')
    .default(DEV_SECRETS_KEY),
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
  /** Webhook deliveries only to this machine (the fuzz run: it registers hosts that are not ours). */
  WEBHOOK_LOOPBACK_ONLY: z.stringbool().default(false),
  /** How many active webhook subscriptions one tenant may have. */
  WEBHOOK_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1000).default(20),
  /**
   * Express `trust proxy`: which proxies' X-Forwarded-For/-Proto to believe (`false`, `true`, a hop count, or
   * addresses/subnets comma-separated). Behind a TLS-terminating proxy it makes the session cookie `Secure`
   * and login throttling see the client's own address.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[\w.:/,\s-]+)$/, 'expected true, false, a hop count or addresses')
    .default('false'),
  /** When set, the codec endpoint requires `Authorization: Bearer <token>`; production serves it only then. */
  CODEC_ENDPOINT_TOKEN: z.string().min(16).optional(),
});

/** Where webhooks may go: production only public https; WEBHOOK_LOOPBACK_ONLY only this machine. */
export const webhookDestinationsOf = (env: Env) =>
  env.NODE_ENV === 'production' ? 'public' : env.WEBHOOK_LOOPBACK_ONLY ? 'loopback' : 'any';

/** TRUST_PROXY as Express reads it. */
export function trustProxyOf(env: Env): boolean | number | string {
  const v = env.TRUST_PROXY.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** Rules across variables. */
const checked = schema.superRefine((env, ctx) => {
  if (!!env.TEMPORAL_TLS_CERT_FILE !== !!env.TEMPORAL_TLS_KEY_FILE)
    ctx.addIssue({
      code: 'custom',
      path: [env.TEMPORAL_TLS_CERT_FILE ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE'],
      message: 'TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (mTLS needs both)',
    });
  const tlsSettings = env.TEMPORAL_TLS_CA_FILE || env.TEMPORAL_TLS_CERT_FILE || env.TEMPORAL_TLS_SERVER_NAME;
  if (env.TEMPORAL_TLS === false && (tlsSettings || env.TEMPORAL_API_KEY))
    ctx.addIssue({
      code: 'custom',
      path: ['TEMPORAL_TLS'],
      message: 'is false, but TLS settings or TEMPORAL_API_KEY are set (they need TLS)',
    });
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
  if (parsed.data.NODE_ENV === 'production' && parsed.data.INBOUND_SECRETS_KEY === DEV_SECRETS_KEY)
    throw new Error('Invalid configuration:\n  INBOUND_SECRETS_KEY: must be set in production');
  return parsed.data;
}
