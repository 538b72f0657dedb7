// Runs (kjøringer): sending a run takes the letters queued at that moment, in one statement, so a letter is
// either in this run or waits for the next; workflow `run-{id}` then sends them to Digipost as one batch.
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { letters, runs } from '../../db/schema';
import { ApiError, fromZod } from '../errors';
import { listQuerySchema } from '../letters-schemas';
import { startRunWorkflow } from '../../temporal/starters';
import { claimQueuedLetters } from '../../db/letter-transitions';
import { actorOf, tenantOf } from '../auth';
import { recordAudit } from '../../db/audit';

export interface RunsRouterDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** How often a run asks Digipost about letters still Venter. */
  deliveryPollInterval: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type RunRow = typeof runs.$inferSelect;

async function countsFor(db: Db, runIds: string[]) {
  if (runIds.length === 0) return new Map<string, Record<string, number>>();
  const rows = await db
    .select({ runId: letters.runId, status: letters.status, n: sql<number>`count(*)::int` })
    .from(letters)
    .where(sql`${letters.runId} in ${runIds}`)
    .groupBy(letters.runId, letters.status);
  const byRun = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const m = byRun.get(r.runId!) ?? {};
    m[r.status] = r.n;
    byRun.set(r.runId!, m);
  }
  return byRun;
}

function runView(run: RunRow, counts: Record<string, number> = {}) {
  const n = (s: string) => counts[s] ?? 0;
  return {
    id: run.id,
    status: run.status,
    batchStatus: run.batchStatus,
    createdAt: run.createdAt.toISOString(),
    committedAt: run.committedAt?.toISOString() ?? null,
    doneAt: run.doneAt?.toISOString() ?? null,
    workflowId: `run-${run.id}`,
    counts: {
      total: run.letterCount,
      waiting: n('WAITING'),
      sentDigital: n('SENT_DIGITAL'),
      sentPrint: n('SENT_PRINT'),
      notSent: n('NOT_SENT'),
    },
  };
}

export function runsRouter({ db, temporal, taskQueue, deliveryPollInterval }: RunsRouterDeps): Router {
  const router = Router();

  router.post('/runs', async (_req, res) => {
    const tenant = tenantOf(res);
    if (tenant.digipostAgreement !== 'ACTIVE')
      throw new ApiError(
        409,
        'NO_DIGIPOST_AGREEMENT',
        `tenant ${tenant.id} has no active Digipost agreement`,
      );
    const id = randomUUID();
    const claimed = await claimQueuedLetters(db, { runId: id, tenantId: tenant.id });
    if (claimed === 0) throw new ApiError(409, 'QUEUE_EMPTY', 'no queued letters: the run would be empty');
    // If this start fails the run is started again by the worker at start-up (resumeRuns).
    await recordAudit(db, {
      tenantId: tenant.id,
      actor: actorOf(res),
      action: 'run.sent',
      subjectId: id,
      detail: { letters: claimed },
    });
    await startRunWorkflow(temporal, taskQueue, { id, tenantId: tenant.id }, deliveryPollInterval);
    const [run] = await db.select().from(runs).where(eq(runs.id, id));
    res
      .status(202)
      .location(`/v1/runs/${id}`)
      .json(runView(run!, { WAITING: claimed }));
  });

  router.get('/runs', async (req, res) => {
    const q = listQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZod(q.error, 'query');
    const rows = await db
      .select()
      .from(runs)
      .where(eq(runs.tenantId, tenantOf(res).id))
      .orderBy(desc(runs.createdAt))
      .limit(q.data.limit)
      .offset(q.data.offset);
    const counts = await countsFor(
      db,
      rows.map((r) => r.id),
    );
    res.json({ runs: rows.map((r) => runView(r, counts.get(r.id))) });
  });

  router.get('/runs/:id', async (req, res) => {
    const id = req.params.id;
    const notFound = new ApiError(404, 'NOT_FOUND', `run ${id} not found`);
    if (!UUID.test(id)) throw notFound;
    const [run] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.id, id), eq(runs.tenantId, tenantOf(res).id)));
    if (!run) throw notFound;
    res.json(runView(run, (await countsFor(db, [id])).get(id)));
  });

  return router;
}
