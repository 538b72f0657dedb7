// Long-lived workflows the system needs running: the document-event poller per broker account, the letter
// sweeper (owed signals, letters stored while Temporal was down), and any run whose workflow did not start (the
// API stored the run, then died before starting it).
import { notInArray } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { runs } from '../db/schema';
import {
  startDigipostEventsWorkflow,
  startLetterSweeperWorkflow,
  startRunWorkflow,
} from '../temporal/starters';
import { FINAL_RUN_STATUSES } from '../domain/run-status';

export async function ensureBackgroundWorkflows(opts: {
  db: Db;
  temporal: Client;
  taskQueue: string;
  brokerId: string;
  eventsInterval: string;
  deliveryPollInterval: string;
  letters: {
    timers: { eventWindow: string; correctionWindow: string };
    sweepInterval: string;
    sweepGraceMs: number;
    /** Only these tenants' letters (tests share one database between systems). */
    tenantIds?: string[];
  };
}): Promise<void> {
  // Started afresh by every worker, so a changed configuration takes effect (a sweep is safe to cut short).
  await startLetterSweeperWorkflow(opts.temporal, opts.taskQueue, {
    interval: opts.letters.sweepInterval,
    graceMs: opts.letters.sweepGraceMs,
    limit: 200,
    timers: opts.letters.timers,
    ...(opts.letters.tenantIds ? { tenantIds: opts.letters.tenantIds } : {}),
  });
  await startDigipostEventsWorkflow(opts.temporal, opts.taskQueue, {
    brokerId: opts.brokerId,
    interval: opts.eventsInterval,
  });
  const unfinished = await opts.db
    .select({ id: runs.id, tenantId: runs.tenantId })
    .from(runs)
    .where(notInArray(runs.status, [...FINAL_RUN_STATUSES]));
  for (const run of unfinished) {
    try {
      await startRunWorkflow(opts.temporal, opts.taskQueue, run, opts.deliveryPollInterval);
    } catch (e) {
      // REJECT_DUPLICATE: its workflow ran and closed already; nothing to resume
      if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
    }
  }
}
