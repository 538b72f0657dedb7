// Starts the SvarInn pollers: one workflow per active receiving system, `svarinn-poller-{id}`. Idempotent:
// a running poller is kept (so two never poll the same credentials), a finished one is started again.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { activeReceivingSystemIds, pollerWorkflowId } from '../db/receiving-systems';
import { svarinnPollerWorkflow } from '../workflows';

export async function startPoller(
  temporal: Client,
  taskQueue: string,
  receivingSystemId: string,
): Promise<void> {
  await temporal.workflow.start(svarinnPollerWorkflow, {
    taskQueue,
    workflowId: pollerWorkflowId(receivingSystemId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    args: [{ receivingSystemId }],
  });
}

/** At worker and API start: a poller for every active receiving system. */
export async function ensurePollers(db: Db, temporal: Client, taskQueue: string): Promise<number> {
  const ids = await activeReceivingSystemIds(db);
  for (const id of ids) await startPoller(temporal, taskQueue, id);
  return ids.length;
}
