// Records a letter's status change (db/letter-transitions.ts, with its webhook rows and any signal its workflow
// is owed in the same transaction), then sends that signal and wakes the letter's webhook delivery workflow.
// Used by activities and by the API alike.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { applyTransition, type Transition } from '../db/letter-transitions';
import { hasPendingLetterDeliveries } from '../db/webhooks';
import { createLetterSignalSender } from './letter-signals';
import { wakeWebhooksWorkflow } from '../temporal/starters';

export type RecordTransition = (t: Transition) => Promise<boolean>;

export function createTransitionRecorder(deps: {
  db: Db;
  temporal: Client;
  taskQueue?: string;
  /**
   * An owed signal could not be sent now (the move is recorded, the signal stays in the outbox for the letter
   * sweeper). Without this the error is thrown, so an activity's retry sends it.
   */
  onSignalDeferred?: (letterId: string, e: unknown) => void;
}): RecordTransition {
  const signals = createLetterSignalSender(deps);
  return async (t) => {
    const { moved, webhooks } = await applyTransition(deps.db, t);
    // also when nothing moved: a retry after a crash between the commit and the signal still sends it
    if (t.tell)
      await signals.deliver({ letterId: t.letterId }).catch((e: unknown) => {
        if (!deps.onSignalDeferred) throw e;
        deps.onSignalDeferred(t.letterId, e);
      });
    // also when nothing moved: a retry after a crash between the commit and this kick still wakes the workflow.
    // A move that queued no delivery (the tenant has no active subscription now) has nothing to wake: an
    // earlier move's deliveries were woken by that move or its retry (a run's set-wise Venter rows by the
    // letter's next move, which queues its own while there are subscriptions), so the lookup is saved.
    if (webhooks > 0 || (!moved && (await hasPendingLetterDeliveries(deps.db, t.letterId))))
      await wakeWebhooksWorkflow(deps.temporal, {
        taskQueue: deps.taskQueue ?? Context.current().info.taskQueue,
        of: { letterId: t.letterId },
      });
    return moved;
  };
}
