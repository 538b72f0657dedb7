// One workflow per run (`run-{id}`): the letters queued when the operator sent the run go to Digipost as one
// batch. Its history stays a handful of events whatever the run's size: the letters are paged from PostgreSQL
// inside activities, and each letter's own workflow hears its outcome by signal (see README, "Runs").
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { RunActivities } from '../activities/run-activities';
import { RUN_STATUS, statusAttribute } from './search-attributes';
import { digipostCodeOf } from '../domain/failure-types';
import type { RunStatus } from '../domain/run-status';

const { openRunBatch, commitRunBatch, finishRun, failRun } = proxyActivities<RunActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumInterval: '2 minutes', backoffCoefficient: 2 },
});

// Long, paged activities: the heartbeat (sent every few seconds while the activity works) notices a dead
// worker; a new attempt skips what is done. A transient Digipost error is retried inside the activity, per
// letter; the activity fails only when Digipost stays down, and this policy then waits longer.
const { submitRunLetters } = proxyActivities<RunActivities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '5s', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export interface RunWorkflowInput {
  runId: string;
  /** How often to ask Digipost about letters still Venter (default 10 minutes). */
  deliveryPollInterval?: string | number;
}

export async function runWorkflow({
  runId,
  deliveryPollInterval = '10 minutes',
}: RunWorkflowInput): Promise<void> {
  const { confirmRunDeliveries } = proxyActivities<RunActivities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: deliveryPollInterval, backoffCoefficient: 1 },
  });
  const showStatus: (status: RunStatus) => void = statusAttribute(RUN_STATUS);
  showStatus('SENDING');
  try {
    await openRunBatch(runId);
  } catch (e) {
    // refused for good (retryable failures are retried by the activity's policy): the letters are Ikke sendt
    // Digipost's own code when it refused; our failure type otherwise
    const type =
      e instanceof ActivityFailure && e.cause instanceof ApplicationFailure ? e.cause.type : undefined;
    await failRun(runId, digipostCodeOf(type) ?? type ?? 'BATCH_REFUSED');
    showStatus('FAILED');
    return;
  }
  await submitRunLetters(runId);
  await commitRunBatch(runId);
  showStatus('COMMITTED');
  await confirmRunDeliveries(runId);
  await finishRun(runId);
  showStatus('DONE');
}
