// Letters: start one (its workflow `letter-{id}`), read its status and history. Scoped to the caller's tenant.
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { letterEvents, letters } from '../../db/schema';
import { ApiError, fromZod } from '../errors';
import { createLetterSchema } from '../letters-schemas';
import { letterWorkflow } from '../../workflows';
import { tenantOf } from '../auth';

export interface LettersRouterDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function lettersRouter({ db, temporal, taskQueue }: LettersRouterDeps): Router {
  const router = Router();

  router.post('/letters', async (req, res) => {
    const tenant = tenantOf(res);
    const parsed = createLetterSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    if (tenant.digipostAgreement !== 'ACTIVE')
      throw new ApiError(
        409,
        'NO_DIGIPOST_AGREEMENT',
        `tenant ${tenant.id} has no active Digipost agreement, so it cannot send through Digipost`,
      );
    const input = parsed.data;
    const id = randomUUID();
    await db.insert(letters).values({
      id,
      tenantId: tenant.id,
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

  router.get('/letters/:id', async (req, res) => {
    const tenant = tenantOf(res);
    const id = req.params.id;
    const notFound = new ApiError(404, 'NOT_FOUND', `letter ${id} not found`);
    if (!UUID.test(id)) throw notFound;
    const [letter] = await db
      .select()
      .from(letters)
      .where(and(eq(letters.id, id), eq(letters.tenantId, tenant.id)));
    if (!letter) throw notFound;
    const history = await db
      .select({ status: letterEvents.status, cause: letterEvents.cause, at: letterEvents.at })
      .from(letterEvents)
      .where(eq(letterEvents.letterId, id))
      .orderBy(asc(letterEvents.at));
    res.json({
      id: letter.id,
      caseId: letter.caseId,
      templateCode: letter.templateCode,
      status: letter.status,
      channel: letter.channel,
      workflowId: `letter-${letter.id}`,
      history,
    });
  });

  return router;
}
