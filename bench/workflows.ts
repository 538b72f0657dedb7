// The bench's baseline workflow, of the letter's own shape: started from outside, one activity, then it waits
// for one signal from outside (the run's outcome), then ends. Its activity does nothing.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export const outcome = defineSignal('outcome');

export async function sameShapeWorkflow(): Promise<void> {
  let told = false;
  setHandler(outcome, () => void (told = true));
  await noop();
  await condition(() => told);
}
