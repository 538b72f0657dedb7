// How the API and the worker start long-lived workflows: ids are business ids, so starting twice is harmless.
import type { Client } from '@temporalio/client';
import { letterWorkflow, runWorkflow } from '../workflows';

/** Starts `run-{id}` (an existing run workflow is reused; a finished one is never started again). */
export async function startRunWorkflow(
  temporal: Client,
  taskQueue: string,
  runId: string,
  deliveryPollInterval: string,
): Promise<void> {
  await temporal.workflow.start(runWorkflow, {
    taskQueue,
    workflowId: `run-${runId}`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{ runId, deliveryPollInterval }],
  });
}

/**
 * Starts `letter-{id}`. Idempotent: a letter whose workflow runs already keeps it; one whose workflow has
 * closed is never started again (WorkflowExecutionAlreadyStartedError).
 */
export async function startLetterWorkflow(
  temporal: Client,
  opts: { taskQueue: string; letterId: string; timers: { eventWindow: string; correctionWindow: string } },
): Promise<void> {
  await temporal.workflow.start(letterWorkflow, {
    taskQueue: opts.taskQueue,
    workflowId: `letter-${opts.letterId}`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{ letterId: opts.letterId, ...opts.timers }],
  });
}
