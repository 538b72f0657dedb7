// The thin HTTP API: routers built from injected dependencies.
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { errorHandler, notFound } from './errors';
import { requireTenant } from './auth';
import { lettersRouter, type LetterTimers } from './routes/letters';
import { runsRouter } from './routes/runs';
import { costsRouter } from './routes/costs';
import { openApiDocument } from './openapi';
import { receivingSystemsRouter } from './routes/receiving-systems';
import { inboundRouter } from './routes/inbound';
import { createSecretBox, type SecretBox } from '../db/secret-box';
import { loadEnv } from '../config/env';
import { codecRouter, type CodecEndpointOptions } from './routes/codec';
import { webhooksRouter } from './routes/webhooks';
import { adminRouter, type AdminOptions } from './admin';

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
  /** The operator admin panel at /admin/ (Temporal UI links, session length). */
  admin?: Partial<AdminOptions>;
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
  ...opts
}: ApiDeps): express.Express {
  const o = { ...OUTBOUND_DEFAULTS, ...outbound };
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    }),
  );
  app.use(express.json({ limit: '1mb' }));

  const openapi = openApiDocument();
  app.get('/openapi.json', (_req, res) => void res.json(openapi));

  app.get('/health', async (_req, res) => {
    const [database, temporalOk] = await Promise.all([
      db.execute(sql`select 1`).then(
        () => true,
        () => false,
      ),
      temporal.connection.workflowService.getSystemInfo({}).then(
        () => true,
        () => false,
      ),
    ]);
    res
      .status(database && temporalOk ? 200 : 503)
      .json({ status: database && temporalOk ? 'ok' : 'degraded', database, temporal: temporalOk });
  });

  // Outside /v1: the UI sends no API key; the router guards itself (origins, optional token).
  if (opts.codec) app.use('/codec', codecRouter(opts.codec));
  app.use(adminRouter({ db, temporalNamespace: temporal.options.namespace, ...admin }));

  // Everything under /v1 runs as the tenant whose API key is presented; each area is its own router.
  const v1 = express.Router();
  v1.use(requireTenant(db));
  v1.use(
    lettersRouter({
      db,
      temporal,
      taskQueue,
      timers: { eventWindow: o.eventWindow, correctionWindow: o.correctionWindow },
      logger,
    }),
  );
  v1.use(runsRouter({ db, temporal, taskQueue, deliveryPollInterval: o.deliveryPollInterval }));
  v1.use(costsRouter({ db }));
  v1.use(
    receivingSystemsRouter({
      db,
      temporal,
      taskQueue,
      secrets: secrets ?? createSecretBox(loadEnv().INBOUND_SECRETS_KEY),
    }),
  );
  v1.use(inboundRouter({ db, temporal }));
  v1.use(webhooksRouter({ db, allowHttpLocalhost: opts.allowHttpLocalhostWebhooks ?? false }));
  app.use('/v1', v1);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
