// Runs (kjøringer): sending a run takes the letters queued at that moment, in one statement, so a letter is
// either in this run or waits for the next; workflow `run-{id}` then sends them to Digipost as one batch.
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { runEvents, runs } from '../../db/schema';
import { ApiError, fromZod } from '../errors';
import { listQuerySchema } from '../letters-schemas';
import { LETTER_STATUS } from '../../domain/letter-status';
import { wordsFor } from '../../domain/vocabulary';
import { letterReasonText } from '../../domain/reason-texts';
import { startRunWorkflow } from '../../temporal/starters';
import { runWorkflowId } from '../../domain/workflow-ids';
import { claimQueuedLetters } from '../../db/transitions';
import { actorOf, tenantOf, tenantWithDigipost } from '../auth';
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

interface RunLetterRow extends Record<string, unknown> {
  id: string;
  case_id: string;
  template_code: string;
  recipient_name: string;
  version: number;
  status: string;
  failure_code: string | null;
  current_version: number;
  current_status: string;
}

/**
 * What became of a version a run sent: the letter's status while that version is current, else the last move
 * recorded for that version (a corrected letter's first version stays as it ended in its run).
 */
const versionStatus = sql<string>`case when l.version = d.version then l.status else coalesce((
    select e.status from letter_events e where e.letter_id = d.letter_id and e.version = d.version
    order by e.at desc, e.id desc limit 1), l.status) end`;

/** Counts per status of the versions each run sent (a letter belongs to the run that sent each version). */
async function countsFor(db: Db, runIds: string[]) {
  if (runIds.length === 0) return new Map<string, Record<string, number>>();
  const rows = await db.execute<{ run_id: string; status: string; n: number }>(sql`
    select d.run_id, ${versionStatus} as status, count(*)::int as n
    from letter_documents d join letters l on l.id = d.letter_id
    where d.run_id in ${runIds}
    group by d.run_id, 2`);
  const byRun = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const m = byRun.get(r.run_id) ?? {};
    m[r.status] = r.n;
    byRun.set(r.run_id, m);
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
    workflowId: runWorkflowId(run.id),
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
    const tenant = tenantWithDigipost(res);
    const id = randomUUID();
    const claimed = await claimQueuedLetters(db, { runId: id, tenantId: tenant.id });
    if (claimed === 0) throw new ApiError(409, 'QUEUE_EMPTY', 'no queued letters: the run would be empty');
    // If this start fails, the worker starts the run again at start-up (ensureBackgroundWorkflows, worker/background.ts).
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
    const [counts, history] = await Promise.all([
      countsFor(db, [id]),
      db
        .select({ status: runEvents.status, cause: runEvents.cause, at: runEvents.at })
        .from(runEvents)
        .where(eq(runEvents.runId, id))
        .orderBy(asc(runEvents.at), asc(runEvents.id)),
    ]);
    res.json({
      ...runView(run, counts.get(id)),
      history: history.map((h) => ({ ...h, at: h.at.toISOString() })),
    });
  });

  // The letters the run sent, each with the version it sent and what became of that version, and the letter as
  // it is now; in the order the run sent them (the letter's creation, then its id), paged by limit/offset.
  router.get('/runs/:id/letters', async (req, res) => {
    const id = req.params.id;
    const notFound = new ApiError(404, 'NOT_FOUND', `run ${id} not found`);
    if (!UUID.test(id)) throw notFound;
    const q = listQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZod(q.error, 'query');
    const [run] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.id, id), eq(runs.tenantId, tenantOf(res).id)));
    if (!run) throw notFound;
    const rows = await db.execute<RunLetterRow>(sql`
      select l.id, l.case_id, l.template_code, l.recipient->>'name' as recipient_name,
        d.version, ${versionStatus} as status,
        case when l.version = d.version then l.failure_code else (
          select e.failure_code from letter_events e where e.letter_id = d.letter_id and e.version = d.version
          order by e.at desc, e.id desc limit 1) end as failure_code,
        l.version as current_version, l.status as current_status
      from letter_documents d join letters l on l.id = d.letter_id
      where d.run_id = ${id} and l.tenant_id = ${run.tenantId}
      order by l.created_at, l.id
      limit ${q.data.limit} offset ${q.data.offset}`);
    const text = (s: string) => wordsFor(LETTER_STATUS, s);
    res.json({
      run: runView(run, (await countsFor(db, [id])).get(id)),
      letters: rows.map((r) => ({
        id: r.id,
        caseId: r.case_id,
        templateCode: r.template_code,
        recipientName: r.recipient_name,
        version: r.version,
        status: r.status,
        statusText: text(r.status),
        reasonText: r.status === 'NOT_SENT' ? letterReasonText(r.failure_code) : null,
        currentVersion: r.current_version,
        currentStatus: r.current_status,
        currentStatusText: text(r.current_status),
        pdf: `/v1/letters/${r.id}/versions/${r.version}/pdf`,
      })),
    });
  });

  return router;
}
