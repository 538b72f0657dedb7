// The thin HTTP API: routers built from injected dependencies.
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { errorHandler, notFound } from './errors';
import { refuseUnstorable } from './edge';
import { documentedOptions, methodNotAllowed } from './methods';
import { readiness } from '../metrics/readiness';
import { requireTenant } from './auth';
import { idempotency } from './idempotency';
import { lettersRouter, type LetterTimers } from './routes/letters';
import { lettersBulkRouter } from './routes/letters-bulk';
import { startedMarks } from './letter-create';
import { BULK_BODY_LIMIT } from './letters-bulk-schemas';
import { runsRouter } from './routes/runs';
import { letterListsRouter } from './routes/letter-lists';
import { catalogueRouter } from './routes/catalogue';
import { costsRouter } from './routes/costs';
import { pricesRouter } from './routes/prices';
import { runPreviewRouter, PREVIEW_DEFAULTS, type PreviewOptions } from './routes/run-preview';
import type { DigipostClient } from '../integrations/digipost/client';
import { auditRouter } from './routes/audit';
import { openApiDocument } from './openapi';
import { receivingSystemsRouter } from './routes/receiving-systems';
import { inboundRouter } from './routes/inbound';
import { createSecretBox, type SecretBox } from '../db/secret-box';
import { LETTER_BODY_LIMIT } from './attachments-schema';
import { loadEnv } from '../config/env';
import { LOG_SERIALIZERS, REDACT } from '../config/logger';
import { codecRouter, type CodecEndpointOptions } from './routes/codec';
import { webhooksRouter } from './routes/webhooks';
import { adminRouter, type AdminOptions } from './admin';
import type { DestinationPolicy } from '../integrations/webhooks/destination';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { httpMetrics, noteRouteBase } from '../metrics/http-metrics';
import { registerAppGauges } from '../metrics/app-gauges';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** Durations handed to letter and run workflows (config: LETTER_*, RUN_DELIVERY_POLL_INTERVAL). */
  outbound?: Partial<LetterTimers & { deliveryPollInterval: string }>;
  /** Seals receiving systems' secrets; from INBOUND_SECRETS_KEY when not given. */
  secrets?: SecretBox;
  /** The Temporal Web UI's codec endpoint (`/codec/decode`, `/codec/encode`); not served when absent. */
  codec?: CodecEndpointOptions;
  /** Development and tests: webhook URLs may be plain http on localhost. */
  allowHttpLocalhostWebhooks?: boolean;
  /** Production: `public` (only public https destinations, also after name resolution). */
  webhookDestinations?: DestinationPolicy;
  /** Active webhook subscriptions per tenant (default 20). */
  maxWebhooks?: number;
  /** Express `trust proxy` (config TRUST_PROXY): behind a TLS proxy, cookies are then `Secure`. */
  trustProxy?: boolean | number | string;
  /** The operator admin panel at /admin/ (Temporal UI links, session length). */
  admin?: Partial<AdminOptions>;
  /** Identifies recipients for the run preview (POST /v1/runs/preview answers 503 without it). */
  digipost?: DigipostClient;
  /** The run preview's identification cache and concurrency (config DIGIPOST_IDENTIFICATION_CACHE_SECONDS, …). */
  preview?: Partial<PreviewOptions>;
  /** GET /metrics: request counts and latencies, and the application gauges (counted at most every gaugeTtlMs). */
  metrics?: { gaugeTtlMs?: number };
}

export const OUTBOUND_DEFAULTS = {
  eventWindow: '14 days',
  correctionWindow: '30 days',
  deliveryPollInterval: '10 minutes',
};

export function createApp({
  db,
  temporal,
  taskQueue,
  logger,
  outbound,
  secrets,
  admin,
  metrics,
  digipost,
  preview,
  ...opts
}: ApiDeps): express.Express {
  const o = { ...OUTBOUND_DEFAULTS, ...outbound };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? false);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // process_* and nodejs_*: memory, CPU, event loop lag
  registerAppGauges(registry, db, metrics?.gaugeTtlMs);
  app.use(httpMetrics(registry));
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.use(
    pinoHttp({
      logger,
      redact: REDACT,
      // no query parameters of the request, nor of a failed database query, in the log
      serializers: LOG_SERIALIZERS,
      wrapSerializers: false,
    }),
  );
  // a letter carries its PDF attachments in base64: its own, larger limit (the parser below then skips it)
  app.post('/v1/letters', express.json({ limit: LETTER_BODY_LIMIT }));
  // A bulk request carries up to 1,000 letters; every other body is at most 1 MB.
  app.use('/v1/letters/bulk', express.json({ limit: BULK_BODY_LIMIT }));
  app.use(express.json({ limit: '1mb' }));
  app.use(refuseUnstorable);

  const openapi = openApiDocument({ namespace: temporal.options.namespace });
  app.get('/openapi.json', (_req, res) => void res.json(openapi));

  // /health is liveness (the process answers); /ready is readiness: 503 while the database or Temporal is down.
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/ready', async (_req, res) => {
    const checks = await readiness(db, temporal);
    const ready = checks.database && checks.temporal;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'degraded', ...checks });
  });

  // Outside /v1: the UI sends no API key; the router guards itself (origins, optional token).
  if (opts.codec) app.use('/codec', codecRouter(opts.codec));
  app.use(adminRouter({ db, temporalNamespace: temporal.options.namespace, ...admin }));

  // Everything under /v1 runs as the tenant whose API key is presented; each area is its own router.
  const v1 = express.Router();
  v1.use(noteRouteBase);
  v1.use(requireTenant(db));
  v1.use(documentedOptions(openapi));
  v1.use(methodNotAllowed(openapi, { literalOnly: true })); // before `/letters/:id`, `/runs/:id`
  v1.use(idempotency(db)); // every creating POST below: `Idempotency-Key`
  const letterDeps = {
    db,
    temporal,
    taskQueue,
    timers: { eventWindow: o.eventWindow, correctionWindow: o.correctionWindow },
    logger,
    started: startedMarks(db, logger),
  };
  v1.use(lettersBulkRouter(letterDeps)); // before `/letters/:id`: `bulk` is not a letter id
  v1.use(lettersRouter(letterDeps));
  v1.use(letterListsRouter({ db }));
  v1.use(catalogueRouter());
  v1.use(runPreviewRouter({ db, digipost, options: { ...PREVIEW_DEFAULTS, ...preview } }));
  v1.use(runsRouter({ db, temporal, taskQueue, deliveryPollInterval: o.deliveryPollInterval }));
  v1.use(costsRouter({ db }));
  v1.use(pricesRouter({ db }));
  v1.use(auditRouter({ db }));
  v1.use(
    receivingSystemsRouter({
      db,
      temporal,
      taskQueue,
      secrets: secrets ?? createSecretBox(loadEnv().INBOUND_SECRETS_KEY),
    }),
  );
  v1.use(inboundRouter({ db, temporal }));
  v1.use(
    webhooksRouter({
      db,
      allowHttpLocalhost: opts.allowHttpLocalhostWebhooks ?? false,
      destinations: opts.webhookDestinations === 'public' ? 'public' : 'any',
      maxSubscriptions: opts.maxWebhooks,
    }),
  );
  app.use('/v1', v1);

  app.use(methodNotAllowed(openapi));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
