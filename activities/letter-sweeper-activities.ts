// The letter sweeper's activity (workflows/letter-sweeper-workflow.ts): what a crash or an outage left behind
// is finished here. Signals still owed to letter workflows are sent (temporal/letter-signals.ts), and letters
// stored while Temporal was down (still RECEIVED, their start never noted in `workflow_started_at`) get their
// workflow, idempotently by its id.
import { and, desc, eq, gt, inArray, isNull, lt } from 'drizzle-orm';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { letters } from '../db/schema';
import { startLetterWorkflow } from '../temporal/starters';
import { createLetterSignalSender } from '../temporal/letter-signals';

/** A letter older than this that is still RECEIVED is not looked at any more (its workflow failed for good). */
const SWEEP_HORIZON_MS = 7 * 86_400_000;

export interface SweepInput {
  /** Only what is older than this: younger signals and letters are still in their senders' hands. */
  graceMs: number;
  /** At most this many signals and this many letters per sweep. */
  limit: number;
  /** Durations the API gives a letter's workflow (LETTER_EVENT_WINDOW, LETTER_CORRECTION_WINDOW). */
  timers: { eventWindow: string; correctionWindow: string };
  /** Only these tenants' letters (tests share one database between systems); all tenants when absent. */
  tenantIds?: string[];
}

export function createLetterSweeperActivities({ db, temporal }: { db: Db; temporal: Client }) {
  const signals = createLetterSignalSender({ db, temporal });
  return {
    async sweepLetters(input: SweepInput): Promise<{ signalled: number; started: number }> {
      const ctx = Context.current();
      ctx.heartbeat();
      const before = new Date(Date.now() - input.graceMs);
      const tenantFilter = input.tenantIds ? inArray(letters.tenantId, input.tenantIds) : undefined;
      const signalled = await signals.deliver({
        olderThan: before,
        limit: input.limit,
        ...(input.tenantIds ? { tenantIds: input.tenantIds } : {}),
      });
      const stranded = await db
        .select({ id: letters.id, tenantId: letters.tenantId, caseId: letters.caseId })
        .from(letters)
        .where(
          and(
            eq(letters.status, 'RECEIVED'),
            isNull(letters.workflowStartedAt),
            lt(letters.createdAt, before),
            gt(letters.createdAt, new Date(Date.now() - SWEEP_HORIZON_MS)),
            tenantFilter,
          ),
        )
        .orderBy(desc(letters.createdAt))
        .limit(input.limit);
      let started = 0;
      const handled: string[] = [];
      const { taskQueue } = ctx.info;
      try {
        for (const { id, tenantId, caseId } of stranded) {
          ctx.heartbeat();
          try {
            await startLetterWorkflow(temporal, {
              taskQueue,
              letterId: id,
              tenantId,
              caseId,
              timers: input.timers,
            });
            started++;
          } catch (e) {
            // its workflow ran and closed (e.g. the template failed for good): nothing to start
            if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
          }
          handled.push(id);
        }
      } finally {
        // started (or closed for good): not looked at again; an attempt cut short keeps what it did
        if (handled.length)
          await db.update(letters).set({ workflowStartedAt: new Date() }).where(inArray(letters.id, handled));
      }
      return { signalled, started };
    },
  };
}

export type LetterSweeperActivities = ReturnType<typeof createLetterSweeperActivities>;
