// The thin HTTP API: routers built from injected dependencies.
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { letterEvents, letters } from '../db/schema';
import { ApiError, errorHandler, fromZod, notFound } from './errors';
import { createLetterSchema } from './letters-schemas';
import { letterWorkflow } from '../workflows';
import { openApiDocument } from './openapi';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
}

export function createApp({ db, temporal, taskQueue, logger }: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger, redact: ['req.headers.authorization'] }));
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

  app.post('/v1/letters', async (req, res) => {
    const parsed = createLetterSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const input = parsed.data;
    const id = randomUUID();
    await db.insert(letters).values({
      id,
      tenantId: input.tenantId,
      caseId: input.caseId,
      templateCode: input.templateCode,
      status: 'RECEIVED',
      recipient: input.recipient,
      mergeData: input.mergeData,
    });
    await temporal.workflow.start(letterWorkflow, {
      taskQueue,
      workflowId: `letter-${id}`,
      workflowIdConflictPolicy: 'FAIL',
      args: [{ letterId: id }],
    });
    res.status(202).location(`/v1/letters/${id}`).json({ id, status: 'RECEIVED' });
  });

  app.get('/v1/letters/:id', async (req, res) => {
    const id = req.params.id;
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ApiError(404, 'NOT_FOUND', `letter ${id} not found`);
    const [letter] = await db.select().from(letters).where(eq(letters.id, id));
    if (!letter) throw new ApiError(404, 'NOT_FOUND', `letter ${id} not found`);
    const history = await db
      .select({ status: letterEvents.status, cause: letterEvents.cause, at: letterEvents.at })
      .from(letterEvents)
      .where(eq(letterEvents.letterId, id))
      .orderBy(asc(letterEvents.at));
    res.json({
      id: letter.id,
      tenantId: letter.tenantId,
      caseId: letter.caseId,
      templateCode: letter.templateCode,
      status: letter.status,
      channel: letter.channel,
      workflowId: `letter-${letter.id}`,
      history,
    });
  });

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
