// Worker process: registers workflows and activities, makes sure the long-lived workflows run (the Digipost
// event poller, unfinished runs, one SvarInn poller per receiving system), shuts down cleanly on SIGINT/SIGTERM
// (the Temporal runtime installs those handlers and drains the worker).
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Client } from '@temporalio/client';
import { loadEnv, webhookDestinationsOf } from '../config/env';
import { createLogger } from '../config/logger';
import { openDatabase } from '../db/connection';
import { digipostClientFromEnv } from '../integrations/digipost/from-env';
import { createActivities } from './activities';
import { ensureBackgroundWorkflows } from './background';
import { ArchiveClient } from '../integrations/archive/client';
import { createMailForwarder } from '../integrations/mail/forward';
import { createSecretBox } from '../db/secret-box';
import { ensurePollers } from '../temporal/inbound-pollers';
import { dataConverterFor } from '../temporal/data-converter';
import { temporalConnectionOptions } from '../temporal/connection';
import { registerAppGauges } from '../metrics/app-gauges';
import { startWorkerHttp } from './http';

const env = loadEnv();
const log = createLogger('worker', env.LOG_LEVEL);
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required for `npm run worker` (npm start sets it)');

const sdkMetricsAddress =
  env.WORKER_SDK_METRICS_ADDRESS ??
  (env.WORKER_HTTP_PORT ? `127.0.0.1:${env.WORKER_HTTP_PORT + 1}` : undefined);
// Before any connection: the SDK runtime's own Prometheus exporter (served again through the worker's /metrics).
if (sdkMetricsAddress)
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } });

const { db, close } = await openDatabase(env.DATABASE_URL);
const connectionOptions = temporalConnectionOptions(env);
const connection = await NativeConnection.connect(connectionOptions);
// Activities signal and start workflows (runs, event and SvarInn pollers), so the worker is also a client: over
// the worker's own native connection, where a request costs the process about a third of the CPU time it costs
// through @temporalio/client's grpc-js connection (a signal a letter in every run).
const dataConverter = dataConverterFor(env);
const temporal = new Client({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  dataConverter,
});
const mailer = createMailForwarder({
  host: env.SMTP_HOST,
  port: env.SMTP_PORT,
  secure: env.SMTP_SECURE,
  ...(env.SMTP_USERNAME && { auth: { user: env.SMTP_USERNAME, pass: env.SMTP_PASSWORD ?? '' } }),
  from: env.SMTP_FROM,
});
try {
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    // Capacity per worker process (README "Worker settings"): the sticky cache bounds the memory.
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentLocalActivityExecutions: env.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    dataConverter,
    activities: createActivities({
      db,
      temporal,
      webhookDestinations: webhookDestinationsOf(env),
      digipost: digipostClientFromEnv(env),
      inbound: {
        secrets: createSecretBox(env.INBOUND_SECRETS_KEY),
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        archive: new ArchiveClient({
          baseUrl: env.ARCHIVE_BASE_URL,
          username: env.ARCHIVE_USERNAME,
          password: env.ARCHIVE_PASSWORD,
          clientId: env.ARCHIVE_CLIENT_ID,
          clientSecret: env.ARCHIVE_CLIENT_SECRET,
          tokenUrl: env.ARCHIVE_TOKEN_URL,
        }),
        mailer,
        settings: {
          svarinnBaseUrl: env.SVARINN_BASE_URL,
          pollIntervalMs: env.SVARINN_POLL_INTERVAL_SECONDS * 1000,
          downloadAttempts: env.SVARINN_DOWNLOAD_ATTEMPTS,
          flagAfterMs: env.INBOUND_FLAG_UNTRIAGED_AFTER_SECONDS * 1000,
          digestIntervalMs: env.INBOUND_DIGEST_INTERVAL_SECONDS * 1000,
          autoTriageDelayMs: env.INBOUND_AUTO_TRIAGE_DELAY_SECONDS * 1000,
          deletedRetentionMs: env.INBOUND_DELETED_RETENTION_SECONDS * 1000,
        },
      },
    }),
  });
  await ensureBackgroundWorkflows({
    db,
    temporal,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    brokerId: env.DIGIPOST_BROKER_ID,
    eventsInterval: env.DIGIPOST_EVENTS_INTERVAL,
    deliveryPollInterval: env.RUN_DELIVERY_POLL_INTERVAL,
    letters: {
      timers: { eventWindow: env.LETTER_EVENT_WINDOW, correctionWindow: env.LETTER_CORRECTION_WINDOW },
      sweepInterval: env.LETTER_SWEEP_INTERVAL,
      sweepGraceMs: env.LETTER_SWEEP_GRACE_SECONDS * 1000,
      ...(env.LETTER_SWEEP_TENANTS ? { tenantIds: env.LETTER_SWEEP_TENANTS } : {}),
    },
  });
  const pollers = await ensurePollers(db, temporal, env.TEMPORAL_TASK_QUEUE);
  log.info({ pollers }, 'SvarInn pollers running');
  let http: Awaited<ReturnType<typeof startWorkerHttp>> | undefined;
  if (env.WORKER_HTTP_PORT && sdkMetricsAddress) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry }); // process_resident_memory_bytes shows the cache's cost
    registerAppGauges(registry, db, env.METRICS_GAUGE_TTL_SECONDS * 1000);
    http = await startWorkerHttp(
      { db, temporal, registry, sdkMetricsAddress, workerState: () => worker.getState() },
      env.WORKER_HTTP_PORT,
      env.WORKER_HTTP_HOST,
    );
    log.info({ port: env.WORKER_HTTP_PORT }, 'worker metrics and readiness on /metrics, /ready');
  }
  log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: env.TEMPORAL_ADDRESS }, 'worker running');
  try {
    await worker.run();
  } finally {
    http?.close();
  }
  log.info('worker stopped');
} finally {
  mailer.close();
  await connection.close();
  await close();
}
