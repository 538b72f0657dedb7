// Starts the SvarInn pollers: one workflow per active receiving system (temporal/starters.ts:
// startSvarinnPollerWorkflow, idempotent).
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { activeReceivingSystemIds } from '../db/receiving-systems';
import { startSvarinnPollerWorkflow } from './starters';

/** At worker and API start: a poller for every active receiving system. */
export async function ensurePollers(db: Db, temporal: Client, taskQueue: string): Promise<number> {
  const ids = await activeReceivingSystemIds(db);
  for (const id of ids) await startSvarinnPollerWorkflow(temporal, taskQueue, id);
  return ids.length;
}
