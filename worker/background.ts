// Long-lived workflows the system needs running: the document-event poller per broker account, and any run
// whose workflow did not start (the API stored the run, then died before starting it).
import { notInArray } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { runs } from '../db/schema';
import { digipostEventsWorkflow } from '../workflows';
import { startRunWorkflow } from '../temporal/starters';

export async function ensureBackgroundWorkflows(opts: {
  db: Db;
  temporal: Client;
  taskQueue: string;
  brokerId: string;
  eventsInterval: string;
  deliveryPollInterval: string;
}): Promise<void> {
  await opts.temporal.workflow.start(digipostEventsWorkflow, {
    taskQueue: opts.taskQueue,
    workflowId: `digipost-events-${opts.brokerId}`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ brokerId: opts.brokerId, interval: opts.eventsInterval }],
  });
  const unfinished = await opts.db
    .select({ id: runs.id })
    .from(runs)
    .where(notInArray(runs.status, ['DONE', 'FAILED']));
  for (const run of unfinished) {
    try {
      await startRunWorkflow(opts.temporal, opts.taskQueue, run.id, opts.deliveryPollInterval);
    } catch (e) {
      // REJECT_DUPLICATE: its workflow ran and closed already; nothing to resume
      if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
    }
  }
}
