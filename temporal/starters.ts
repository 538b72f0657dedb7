// Every workflow start, in one place: its id (domain/workflow-ids.ts), its id policies and its search
// attributes are stated here once. Ids are business ids, so starting twice is harmless. Workflows are started
// by name with type-only imports, so the API and the activities never load workflow code.
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { digipostEventsWorkflow } from '../workflows/digipost-events-workflow';
import type { inboundItemWorkflow, InboundTimings } from '../workflows/inbound-item-workflow';
import type { letterSweeperWorkflow, LetterSweeperInput } from '../workflows/letter-sweeper-workflow';
import type { letterWorkflow } from '../workflows/letter-workflow';
import type { runWorkflow } from '../workflows/run-workflow';
import type { svarinnPollerWorkflow } from '../workflows/svarinn-poller-workflow';
import type { letterWebhooksWorkflow } from '../workflows/webhook-workflow';
import { webhooksPendingSignal } from '../workflows/webhook-messages';
import { CASE_ID, TENANT_ID } from '../workflows/search-attributes';
import {
  digipostEventsWorkflowId,
  inboundItemWorkflowId,
  inboundWebhooksWorkflowId,
  LETTER_SWEEPER_WORKFLOW_ID,
  letterWebhooksWorkflowId,
  letterWorkflowId,
  runWorkflowId,
  svarinnPollerWorkflowId,
} from '../domain/workflow-ids';

/** Starts `run-{id}` (an existing run workflow is reused; a finished one is never started again). */
export async function startRunWorkflow(
  temporal: Client,
  taskQueue: string,
  run: { id: string; tenantId: string },
  deliveryPollInterval: string,
): Promise<void> {
  const runId = run.id;
  await temporal.workflow.start<typeof runWorkflow>('runWorkflow', {
    taskQueue,
    workflowId: runWorkflowId(runId),
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
  await temporal.workflow.start<typeof letterWorkflow>('letterWorkflow', {
    taskQueue: opts.taskQueue,
    workflowId: letterWorkflowId(opts.letterId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{ letterId: opts.letterId, ...opts.timers }],
    typedSearchAttributes: [
      { key: TENANT_ID, value: opts.tenantId },
      { key: CASE_ID, value: opts.caseId },
    ],
  });
}

/**
 * Starts `svarinn-{forsendelseId}`: a running intake is left alone, a finished one is never started again
 * (WorkflowExecutionAlreadyStartedError).
 */
export async function startInboundItemWorkflow(
  temporal: Client,
  opts: { taskQueue: string; forsendelseId: string; tenantId: string; timings: InboundTimings },
): Promise<void> {
  await temporal.workflow.start<typeof inboundItemWorkflow>('inboundItemWorkflow', {
    taskQueue: opts.taskQueue,
    workflowId: inboundItemWorkflowId(opts.forsendelseId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{ forsendelseId: opts.forsendelseId, timings: opts.timings }],
    typedSearchAttributes: [{ key: TENANT_ID, value: opts.tenantId }],
  });
}

/**
 * Starts `svarinn-poller-{id}`: a running poller is kept (so two never poll the same credentials), a finished
 * one is started again.
 */
export async function startSvarinnPollerWorkflow(
  temporal: Client,
  taskQueue: string,
  receivingSystemId: string,
): Promise<void> {
  await temporal.workflow.start<typeof svarinnPollerWorkflow>('svarinnPollerWorkflow', {
    taskQueue,
    workflowId: svarinnPollerWorkflowId(receivingSystemId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    args: [{ receivingSystemId }],
  });
}

/** Starts the letter sweeper afresh (a running one is terminated), so a changed configuration takes effect. */
export async function startLetterSweeperWorkflow(
  temporal: Client,
  taskQueue: string,
  input: LetterSweeperInput,
): Promise<void> {
  await temporal.workflow.start<typeof letterSweeperWorkflow>('letterSweeperWorkflow', {
    taskQueue,
    workflowId: LETTER_SWEEPER_WORKFLOW_ID,
    workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    args: [input],
  });
}

/** Starts `digipost-events-{brokerId}`; a running poller is kept. */
export async function startDigipostEventsWorkflow(
  temporal: Client,
  taskQueue: string,
  input: { brokerId: string; interval: string },
): Promise<void> {
  await temporal.workflow.start<typeof digipostEventsWorkflow>('digipostEventsWorkflow', {
    taskQueue,
    workflowId: digipostEventsWorkflowId(input.brokerId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [input],
  });
}

/**
 * Wakes the webhook delivery workflow of a letter or an inbound item (signal `webhooksPending`), starting it
 * when none runs. A workflow completing meanwhile loses nothing (workflows/webhook-workflow.ts).
 */
export async function wakeWebhooksWorkflow(
  temporal: Client,
  opts: {
    taskQueue: string;
    of: { letterId: string } | { inboundItemId: string };
    /** How long the workflow waits for more events before completing (workflow default). */
    idle?: Duration;
  },
): Promise<void> {
  const [workflowId, id] =
    'letterId' in opts.of
      ? [letterWebhooksWorkflowId(opts.of.letterId), opts.of.letterId]
      : [inboundWebhooksWorkflowId(opts.of.inboundItemId), opts.of.inboundItemId];
  await temporal.workflow.signalWithStart<typeof letterWebhooksWorkflow, []>('letterWebhooksWorkflow', {
    workflowId,
    taskQueue: opts.taskQueue,
    // the outbox's `letterId` column holds an inbound item's id for its rows
    args: [{ letterId: id, ...(opts.idle !== undefined ? { idle: opts.idle } : {}) }],
    signal: webhooksPendingSignal,
    signalArgs: [],
  });
}
