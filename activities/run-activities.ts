// Activities of the run workflow (`run-{id}`): one Digipost batch per run (batch uuid = run id). A run may
// hold 100,000 letters, so nothing here puts a letter into the run's history: the letters are read from
// PostgreSQL page by page, and each letter's workflow is told its outcome by a signal stored with the status
// change (the `letter_signals` outbox) and sent from here. Every attempt first sends what an earlier attempt
// recorded but did not get to send, so no letter's workflow is left waiting.
import { and, asc, eq, gt, isNull, isNotNull, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { letterDocuments, letters, runs, tenants } from '../db/schema';
import { createTransitionRecorder } from '../temporal/letter-transitions';
import { moveRun } from '../db/transitions';
import { DigipostError, type DigipostClient } from '../integrations/digipost/client';
import { failureReason } from '../domain/letter-status';
import { digipostFailureType, FAILURE } from '../domain/failure-types';
import { confirmDelivery, currentTaskQueue, submitLetter } from './digipost-submit';
import { createLetterSignalSender } from '../temporal/letter-signals';

export interface RunActivityDeps {
  db: Db;
  digipost: DigipostClient;
  temporal: Client;
  /** Letters handled at once within a page (Digipost calls in flight). */
  concurrency?: number;
  pageSize?: number;
  /** Tries per Digipost call for one letter before the activity gives up (Digipost really down). */
  callAttempts?: number;
  /** First pause between tries of one call; doubles each time (with jitter). */
  callBackoffMs?: number;
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

/** A failure worth trying again at once: Digipost said so, or there was no answer (network, timeout). */
function transient(e: unknown): boolean {
  if (e instanceof DigipostError) return e.retryable;
  return !(e instanceof ApplicationFailure);
}

/** A letter of a run's page, with its current version's document uuid and its tenant's sender id. */
interface PageLetter {
  id: string;
  version: number;
  documentUuid: string;
  senderId: string | null;
}

/** Where a paged activity stands; sent with each heartbeat so a retried attempt resumes after `after`. */
interface PageProgress {
  after: string;
  accepted: number;
  refused: number;
}

/**
 * Runs `fn` while heartbeating every few seconds with the progress `current()` reports: a dead worker is
 * noticed by the heartbeat timeout, a slow Digipost call is not mistaken for one.
 */
async function heartbeating<T>(current: () => unknown, fn: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat(current());
  const timer = setInterval(() => ctx.heartbeat(current()), 2_000);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

export function createRunActivities({
  db,
  digipost,
  temporal,
  concurrency = 8,
  pageSize = 200,
  callAttempts = 6,
  callBackoffMs = 250,
}: RunActivityDeps) {
  const recordTransition = createTransitionRecorder({ db, temporal, taskQueue: currentTaskQueue });
  const signals = createLetterSignalSender({ db, temporal });
  /** The run's tenant may send under its own Digipost sender id; its batch lives there. */
  async function digipostFor(runId: string): Promise<DigipostClient> {
    const [row] = await db
      .select({ senderId: tenants.digipostSenderId })
      .from(runs)
      .innerJoin(tenants, eq(tenants.id, runs.tenantId))
      .where(eq(runs.id, runId));
    if (!row) throw ApplicationFailure.nonRetryable(`run ${runId} not found`, FAILURE.RUN_NOT_FOUND);
    return digipost.forSender(row.senderId);
  }

  /**
   * One letter's Digipost work, tried again with backoff when the failure is transient, so one flaky call costs
   * that letter a moment rather than the whole page. After `callAttempts` tries Digipost is taken to be down:
   * the error fails the activity, whose retry policy waits longer and resumes where this attempt stopped.
   */
  async function withCallRetries<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= callAttempts || !transient(e)) throw e;
        const pause = callBackoffMs * 2 ** (attempt - 1);
        await new Promise((r) => setTimeout(r, pause / 2 + Math.random() * pause));
      }
    }
  }

  /**
   * Pages through the run's letters matching `where` (ordered by id) after `progress.after`, advancing it as
   * each page completes. `where` leaves out the letters an earlier attempt finished.
   */
  async function forEachLetter(
    runId: string,
    where: ReturnType<typeof and>,
    progress: { after: string },
    fn: (l: PageLetter) => Promise<void>,
    /** Runs after each page, also when the page failed (the failure is then the one thrown). */
    afterPage?: () => Promise<void>,
  ) {
    for (;;) {
      const page = await db
        .select({
          id: letters.id,
          version: letters.version,
          documentUuid: letterDocuments.documentUuid,
          senderId: tenants.digipostSenderId,
        })
        .from(letters)
        .innerJoin(tenants, eq(tenants.id, letters.tenantId))
        .innerJoin(
          letterDocuments,
          and(eq(letterDocuments.letterId, letters.id), eq(letterDocuments.version, letters.version)),
        )
        .where(
          and(eq(letters.runId, runId), where, progress.after ? gt(letters.id, progress.after) : undefined),
        )
        .orderBy(asc(letters.id))
        .limit(pageSize);
      if (page.length === 0) return;
      let failed = true;
      try {
        await inParallel(page, concurrency, fn);
        failed = false;
      } finally {
        // after a failed page, its own failure is the one to report: a failure here only costs the next attempt
        // a few letters it does again (and can do again), so it is logged, not thrown
        await afterPage?.().catch((e: unknown) => {
          if (!failed) throw e;
          Context.current().log.warn('after a failed page, noting its finished letters failed too', {
            runId,
            error: e instanceof Error ? e.message : String(e),
          });
        });
      }
      progress.after = page[page.length - 1]!.id;
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
        if (!batch) throw ApplicationFailure.nonRetryable(e.message, digipostFailureType(e.code));
      }
      await db.update(runs).set({ batchStatus: 'CREATED' }).where(eq(runs.id, runId));
    },

    /**
     * Submits every letter of the run not yet accepted into the batch; refused letters become Ikke sendt. A
     * retried attempt resumes after the last page the previous one finished (heartbeat details).
     */
    async submitRunLetters(runId: string): Promise<{ accepted: number; refused: number }> {
      const progress: PageProgress = {
        after: '',
        accepted: 0,
        refused: 0,
        ...(Context.current().info.heartbeatDetails as PageProgress | undefined),
      };
      return heartbeating(
        () => progress,
        async () => {
          await signals.deliver({ runId });
          // the letters Digipost accepted in this page, noted a page at a time (one statement a page): a letter
          // accepted but not yet noted when the worker dies is submitted again by the next attempt, and Digipost
          // answers DUPLICATE_MESSAGE for its message id (activities/digipost-submit.ts)
          let accepted: { id: string; channel: string | null }[] = [];
          const noteAccepted = async () => {
            const page = accepted;
            accepted = [];
            if (page.length === 0) return;
            await db.execute(sql`
              update letters l set submitted_at = now(), channel = v.channel
              from (values ${sql.join(
                page.map((a) => sql`(${a.id}::uuid, ${a.channel}::text)`),
                sql`, `,
              )}) as v(id, channel)
              where l.id = v.id`);
          };
          await forEachLetter(
            runId,
            and(eq(letters.status, 'WAITING'), isNull(letters.submittedAt)),
            progress,
            async ({ id }) => {
              const outcome = await withCallRetries(() => submitLetter(db, digipost, id, runId));
              if (outcome.kind === 'REFUSED') {
                progress.refused++;
                await recordTransition({
                  letterId: id,
                  from: ['WAITING'],
                  to: 'NOT_SENT',
                  cause: outcome.reason,
                  failure: { code: outcome.code, reason: outcome.reason },
                  tell: 'outcome',
                });
                return;
              }
              progress.accepted++;
              accepted.push({ id, channel: outcome.channel ?? null });
            },
            noteAccepted,
          );
          return { accepted: progress.accepted, refused: progress.refused };
        },
      );
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
        await moveRun(db, {
          runId,
          to: 'COMMITTED',
          cause: 'Digipost godtok ingen av brevene; den tomme bunten er kansellert',
          set: { batchStatus: 'CANCELLED', committedAt: new Date() },
        });
        return;
      }
      const batch = await digipost.getBatch(runId);
      const committed =
        batch.status === 'CREATED' || batch.status === 'NOT_COMMITTED'
          ? await digipost.completeBatch(runId)
          : batch;
      await moveRun(db, {
        runId,
        to: 'COMMITTED',
        cause: 'Bunten er bekreftet hos Digipost',
        set: { batchStatus: committed.status, committedAt: new Date() },
      });
    },

    /**
     * Reads document status for the run's letters still Venter and records those Digipost has delivered.
     * While some remain, fails benignly so the retry policy polls again later.
     */
    async confirmRunDeliveries(runId: string): Promise<void> {
      let waiting = 0;
      await heartbeating(
        () => undefined,
        async () => {
          await signals.deliver({ runId });
          await forEachLetter(
            runId,
            and(eq(letters.status, 'WAITING'), isNotNull(letters.submittedAt)),
            { after: '' },
            async ({ id, documentUuid, senderId }) => {
              const sent = await withCallRetries(() =>
                confirmDelivery(db, digipost, recordTransition, id, {
                  tell: true,
                  known: { documentUuid, senderId },
                }),
              );
              if (!sent) waiting++;
            },
          );
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
          type: FAILURE.NOT_DELIVERED_YET,
          category: 'BENIGN',
        });
    },

    /**
     * Digipost refused the run's batch for good (e.g. the broker may not send for this sender): every letter of
     * the run is Ikke sendt with the reason, and can be corrected or sent in a later run.
     */
    async failRun(runId: string, code: string): Promise<void> {
      const reason = failureReason(code);
      await heartbeating(
        () => undefined,
        async () => {
          await signals.deliver({ runId });
          await forEachLetter(runId, eq(letters.status, 'WAITING'), { after: '' }, async ({ id }) => {
            await recordTransition({
              letterId: id,
              from: ['WAITING'],
              to: 'NOT_SENT',
              cause: reason,
              failure: { code, reason },
              tell: 'outcome',
            });
          });
        },
      );
      await moveRun(db, { runId, to: 'FAILED', cause: reason, set: { doneAt: new Date() } });
    },

    async finishRun(runId: string): Promise<void> {
      await moveRun(db, {
        runId,
        to: 'DONE',
        cause: 'Alle brevene i kjøringen har fått sitt utfall',
        set: { doneAt: new Date() },
      });
    },
  };
}

export type RunActivities = ReturnType<typeof createRunActivities>;
