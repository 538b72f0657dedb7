// How the API and the worker start long-lived workflows: ids are business ids, so starting twice is harmless.
import type { Client } from '@temporalio/client';
import { letterWorkflow, runWorkflow } from '../workflows';
import { CASE_ID, TENANT_ID } from '../workflows/search-attributes';

/** Starts `run-{id}` (an existing run workflow is reused; a finished one is never started again). */
export async function startRunWorkflow(
  temporal: Client,
  taskQueue: string,
  run: { id: string; tenantId: string },
  deliveryPollInterval: string,
): Promise<void> {
  const runId = run.id;
  await temporal.workflow.start(runWorkflow, {
    taskQueue,
    workflowId: `run-${runId}`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{ runId, deliveryPollInterval }],
    typedSearchAttributes: [{ key: TENANT_ID, value: run.tenantId }],
  });
}

/**
 * Starts `letter-{id}`. Idempotent: a letter whose workflow runs already keeps it; one whose workflow has
 * closed is never started again (WorkflowExecutionAlreadyStartedError).
 */
export async function startLetterWorkflow(
  temporal: Client,
  opts: {
    taskQueue: string;
    letterId: string;
    /** Set as search attributes at start (the case id is never personal data: api/letters-schemas.ts). */
    tenantId: string;
    caseId: string;
    timers: { eventWindow: string; correctionWindow: string };
  },
): Promise<void> {
  await temporal.workflow.start(letterWorkflow, {
    taskQueue: opts.taskQueue,
    workflowId: `letter-${opts.letterId}`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{ letterId: opts.letterId, ...opts.timers }],
    typedSearchAttributes: [
      { key: TENANT_ID, value: opts.tenantId },
      { key: CASE_ID, value: opts.caseId },
    ],
  });
}
