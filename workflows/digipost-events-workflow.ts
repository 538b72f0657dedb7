// The document-event poller, one per broker account (`digipost-events-{brokerId}`): poll, sleep, repeat;
// continue as new before the history grows large. The cursor lives in PostgreSQL, not in the history.
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { DigipostEventActivities } from '../activities/digipost-event-activities';

// Heartbeats per page and per event handed over: an attempt whose result Temporal never heard (it was down)
// is tried again in seconds, not after the whole timeout.
const { pollDigipostEvents } = proxyActivities<DigipostEventActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5s', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export interface DigipostEventsInput {
  brokerId: string;
  /** Time between polls (default 5 minutes). */
  interval?: string | number;
}

export async function digipostEventsWorkflow({
  brokerId,
  interval = '5 minutes',
}: DigipostEventsInput): Promise<never> {
  for (let polls = 0; polls < 500 && !workflowInfo().continueAsNewSuggested; polls++) {
    await pollDigipostEvents(brokerId);
    await sleep(interval);
  }
  return continueAsNew<typeof digipostEventsWorkflow>({ brokerId, interval });
}
