// The letter sweeper (`letter-sweeper`): every `interval`, sends signals still owed to letter workflows and
// starts the workflow of any letter stored while Temporal was down. Continues as new before its history grows.
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { LetterSweeperActivities, SweepInput } from '../activities/letter-sweeper-activities';

// Heartbeats per item: an attempt whose result Temporal never heard (it was down) is noticed in seconds.
const { sweepLetters } = proxyActivities<LetterSweeperActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '5s', maximumInterval: '2 minutes', backoffCoefficient: 2 },
});

export interface LetterSweeperInput extends SweepInput {
  /** Time between sweeps. */
  interval: string | number;
}

export async function letterSweeperWorkflow(input: LetterSweeperInput): Promise<never> {
  for (let sweeps = 0; sweeps < 500 && !workflowInfo().continueAsNewSuggested; sweeps++) {
    await sweepLetters(input);
    await sleep(input.interval);
  }
  return continueAsNew<typeof letterSweeperWorkflow>(input);
}
