// API process: configuration validated once at start-up, then serve until SIGINT/SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { loadEnv, trustProxyOf, webhookDestinationsOf } from '../config/env';
import { createLogger } from '../config/logger';
import { openDatabase } from '../db/connection';
import { createApp } from './app';
import { codecFor, dataConverterFor } from '../temporal/data-converter';
import { ensurePollers } from '../temporal/inbound-pollers';
import { temporalConnectionOptions } from '../temporal/connection';
import type { DigipostClient } from '../integrations/digipost/client';
import { digipostClientFromEnv } from '../integrations/digipost/from-env';

const env = loadEnv();
const log = createLogger('api', env.LOG_LEVEL);
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required for `npm run api` (npm start sets it)');

const { db, close } = await openDatabase(env.DATABASE_URL);
const connection = await Connection.connect(temporalConnectionOptions(env));
// In production the codec endpoint (it decrypts personal data) is served only behind its token.
const codecServed = env.NODE_ENV !== 'production' || env.CODEC_ENDPOINT_TOKEN !== undefined;
if (!codecServed) log.warn('codec endpoint off: set CODEC_ENDPOINT_TOKEN to serve /codec to the Temporal UI');
const temporal = new Client({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  dataConverter: dataConverterFor(env),
});
// Pollers for every active receiving system (idempotent: the worker does the same at its start).
await ensurePollers(db, temporal, env.TEMPORAL_TASK_QUEUE);
// The run preview identifies recipients at Digipost with the worker's broker key; without it, it answers 503.
let digipost: DigipostClient | undefined;
try {
  digipost = digipostClientFromEnv(env);
} catch (e) {
  log.warn({ err: e }, 'run preview off: the Digipost broker key could not be loaded');
}
const app = createApp({
  digipost,
  preview: {
    cacheSeconds: env.DIGIPOST_IDENTIFICATION_CACHE_SECONDS,
    concurrency: env.PREVIEW_IDENTIFY_CONCURRENCY,
  },
  db,
  temporal,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  logger: log,
  outbound: {
    eventWindow: env.LETTER_EVENT_WINDOW,
    correctionWindow: env.LETTER_CORRECTION_WINDOW,
    deliveryPollInterval: env.RUN_DELIVERY_POLL_INTERVAL,
  },
  codec: codecServed
    ? {
        codec: codecFor(env),
        namespace: env.TEMPORAL_NAMESPACE,
        allowedOrigins: env.CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()),
        token: env.CODEC_ENDPOINT_TOKEN,
      }
    : undefined,
  allowHttpLocalhostWebhooks: env.NODE_ENV !== 'production',
  webhookDestinations: webhookDestinationsOf(env),
  maxWebhooks: env.WEBHOOK_MAX_SUBSCRIPTIONS,
  trustProxy: trustProxyOf(env),
  admin: { temporalUiUrl: env.TEMPORAL_UI_URL },
  metrics: { gaugeTtlMs: env.METRICS_GAUGE_TTL_SECONDS * 1000 },
});
const server = app.listen(env.API_PORT, env.API_HOST, () =>
  log.info({ port: env.API_PORT }, 'api listening'),
);

const stop = () => {
  log.info('api stopping');
  server.close(() => {
    void connection
      .close()
      .then(close)
      .then(() => process.exit(0));
  });
  server.closeAllConnections();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
