// Activities of the run workflow (`run-{id}`): one Digipost batch per run (batch uuid = run id). A run may
// hold 100,000 letters, so nothing here puts a letter into the run's history: the letters are read from
// PostgreSQL page by page, and each letter's workflow is told its outcome by a signal sent from here.
import { and, asc, eq, gt, isNull, isNotNull, sql } from 'drizzle-orm';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { letters, runs, tenants } from '../db/schema';
import { createTransitionRecorder } from './transitions';
import { DigipostError, type DigipostClient } from '../integrations/digipost/client';
import { failureReason, type LetterStatus } from '../domain/letter-status';
import { confirmDelivery, submitLetter } from './digipost-submit';
import { letterOutcome } from '../workflows/letter-messages';

export interface RunActivityDeps {
  db: Db;
  digipost: DigipostClient;
  temporal: Client;
  /** Letters handled at once within a page (Digipost calls in flight). */
  concurrency?: number;
  pageSize?: number;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export function createRunActivities({
  db,
  digipost,
  temporal,
  concurrency = 8,
  pageSize = 200,
}: RunActivityDeps) {
  const recordTransition = createTransitionRecorder({ db, temporal });
  /** The run's tenant may send under its own Digipost sender id; its batch lives there. */
  async function digipostFor(runId: string): Promise<DigipostClient> {
    const [row] = await db
      .select({ senderId: tenants.digipostSenderId })
      .from(runs)
      .innerJoin(tenants, eq(tenants.id, runs.tenantId))
      .where(eq(runs.id, runId));
    if (!row) throw ApplicationFailure.nonRetryable(`run ${runId} not found`, 'RunNotFound');
    return digipost.forSender(row.senderId);
  }

  async function tell(letterId: string, status: LetterStatus, version: number) {
    try {
      await temporal.workflow.getHandle(`letter-${letterId}`).signal(letterOutcome, { status, version });
    } catch (e) {
      // a letter whose workflow has ended has nothing left to learn; anything else is retried
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
  }

  /**
   * Pages through the run's letters matching `where`, heartbeating after each letter. A retried attempt starts
   * over: `where` already leaves out the letters an earlier attempt finished.
   */
  async function forEachLetter(
    runId: string,
    where: ReturnType<typeof and>,
    fn: (l: { id: string; version: number }) => Promise<void>,
  ) {
    let after = '';
    for (;;) {
      const page = await db
        .select({ id: letters.id, version: letters.version })
        .from(letters)
        .where(and(eq(letters.runId, runId), where, after ? gt(letters.id, after) : undefined))
        .orderBy(asc(letters.id))
        .limit(pageSize);
      if (page.length === 0) return;
      await inParallel(page, concurrency, async (l) => {
        await fn(l);
        Context.current().heartbeat();
      });
      after = page[page.length - 1]!.id;
    }
  }

  return {
    /** Creates the run's batch at Digipost (idempotent: an existing batch with this uuid is reused). */
    async openRunBatch(runId: string): Promise<void> {
      const digipost = await digipostFor(runId);
      try {
        await digipost.createBatch(runId);
      } catch (e) {
        if (!(e instanceof DigipostError) || e.retryable) throw e;
        // created by an earlier attempt? then it is there to read; otherwise the refusal stands
        const batch = await digipost.getBatch(runId).catch(() => undefined); // the refusal below says why
        if (!batch) throw ApplicationFailure.nonRetryable(e.message, `Digipost.${e.code}`);
      }
      await db.update(runs).set({ batchStatus: 'CREATED' }).where(eq(runs.id, runId));
    },

    /** Submits every letter of the run not yet accepted into the batch; refused letters become Ikke sendt. */
    async submitRunLetters(runId: string): Promise<{ accepted: number; refused: number }> {
      let accepted = 0;
      let refused = 0;
      await forEachLetter(
        runId,
        and(eq(letters.status, 'WAITING'), isNull(letters.submittedAt)),
        async ({ id, version }) => {
          const outcome = await submitLetter(db, digipost, id, runId);
          if (outcome.kind === 'REFUSED') {
            refused++;
            await recordTransition({
              letterId: id,
              from: ['WAITING'],
              to: 'NOT_SENT',
              cause: outcome.reason,
              failure: { code: outcome.code, reason: outcome.reason },
            });
            await tell(id, 'NOT_SENT', version);
            return;
          }
          accepted++;
          await db
            .update(letters)
            .set({ submittedAt: new Date(), channel: outcome.channel ?? null })
            .where(eq(letters.id, id));
        },
      );
      return { accepted, refused };
    },

    /** Commits the batch (Digipost delivers digitally at once; print goes out the next working day). */
    async commitRunBatch(runId: string): Promise<void> {
      const digipost = await digipostFor(runId);
      const [{ n } = { n: 0 }] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(letters)
        .where(and(eq(letters.runId, runId), isNotNull(letters.submittedAt)));
      if (n === 0) {
        // nothing was accepted: an empty batch is cancelled rather than committed
        await digipost.cancelBatch(runId).catch((e: unknown) => {
          if (!(e instanceof DigipostError) || e.httpStatus !== 404) throw e;
        });
        await db
          .update(runs)
          .set({ batchStatus: 'CANCELLED', status: 'COMMITTED', committedAt: new Date() })
          .where(eq(runs.id, runId));
        return;
      }
      const batch = await digipost.getBatch(runId);
      const committed =
        batch.status === 'CREATED' || batch.status === 'NOT_COMMITTED'
          ? await digipost.completeBatch(runId)
          : batch;
      await db
        .update(runs)
        .set({ batchStatus: committed.status, status: 'COMMITTED', committedAt: new Date() })
        .where(eq(runs.id, runId));
    },

    /**
     * Reads document status for the run's letters still Venter and records those Digipost has delivered.
     * While some remain, fails benignly so the retry policy polls again later.
     */
    async confirmRunDeliveries(runId: string): Promise<void> {
      let waiting = 0;
      await forEachLetter(
        runId,
        and(eq(letters.status, 'WAITING'), isNotNull(letters.submittedAt)),
        async ({ id, version }) => {
          const sent = await confirmDelivery(db, digipost, recordTransition, id);
          if (sent) await tell(id, sent, version);
          else waiting++;
        },
      );
      // the batch's own status is shown on the run; a cancelled (empty) batch is gone at Digipost (404)
      const batch = await (await digipostFor(runId)).getBatch(runId).catch((e: unknown) => {
        if (e instanceof DigipostError && e.httpStatus === 404) return undefined;
        throw e;
      });
      if (batch) await db.update(runs).set({ batchStatus: batch.status }).where(eq(runs.id, runId));
      if (waiting > 0)
        throw ApplicationFailure.create({
          message: `${waiting} letters not delivered yet`,
          type: 'NotDeliveredYet',
          category: 'BENIGN',
        });
    },

    /**
     * Digipost refused the run's batch for good (e.g. the broker may not send for this sender): every letter of
     * the run is Ikke sendt with the reason, and can be corrected or sent in a later run.
     */
    async failRun(runId: string, code: string): Promise<void> {
      const reason = failureReason(code);
      await forEachLetter(runId, eq(letters.status, 'WAITING'), async ({ id, version }) => {
        await recordTransition({
          letterId: id,
          from: ['WAITING'],
          to: 'NOT_SENT',
          cause: reason,
          failure: { code, reason },
        });
        await tell(id, 'NOT_SENT', version);
      });
      await db.update(runs).set({ status: 'FAILED', doneAt: new Date() }).where(eq(runs.id, runId));
    },

    async finishRun(runId: string): Promise<void> {
      await db.update(runs).set({ status: 'DONE', doneAt: new Date() }).where(eq(runs.id, runId));
    },
  };
}

export type RunActivities = ReturnType<typeof createRunActivities>;
