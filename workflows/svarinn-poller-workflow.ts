// One poller per receiving system (`svarinn-poller-{receivingSystemId}`, so two can never run on the same
// credentials). Each round an activity lists SvarInn and starts one intake workflow per item; the workflow
// sees only counts and ids, never the items' metadata. It continues as new before its history grows large.
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { InboundActivities } from '../activities/inbound-activities';

const { pollReceivingSystem } = proxyActivities<InboundActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export interface SvarInnPollerInput {
  receivingSystemId: string;
}

/** Rounds per run: about 10 events each, far below the 4 096 events where Temporal suggests continuing. */
const ROUNDS_PER_RUN = 200;

export async function svarinnPollerWorkflow({ receivingSystemId }: SvarInnPollerInput): Promise<void> {
  for (let round = 1; ; round++) {
    const { active, nextPollMs } = await pollReceivingSystem(receivingSystemId);
    if (!active) return;
    await sleep(nextPollMs);
    if (round >= ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof svarinnPollerWorkflow>({ receivingSystemId });
  }
}
