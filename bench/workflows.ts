// The system's workflows plus a bare baseline of the same kind of work: one no-op activity.
import { proxyActivities } from '@temporalio/workflow';

export * from '../workflows';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function bareWorkflow(): Promise<void> {
  await noop();
}
