// Records a letter's status change (db/transitions.ts, with its webhook rows and any signal its workflow is owed
// in the same transaction), then sends that signal and wakes the letter's webhook delivery workflow. Used by the
// activities and by the API alike; it needs no activity context (the caller names the task queue).
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Db } from '../db/connection';
import { applyTransition, type Transition } from '../db/transitions';
import { hasPendingLetterDeliveries } from '../db/webhooks';
import { createLetterSignalSender } from './letter-signals';
import { wakeWebhooksWorkflow } from './starters';

export type RecordTransition = (t: Transition) => Promise<boolean>;

export function createTransitionRecorder(deps: {
  db: Db;
  temporal: Client;
  /** Where the webhook delivery workflow runs: a name, or (in an activity) a function of the current one. */
  taskQueue: string | (() => string);
  /**
   * An owed signal could not be sent now (the move is recorded, the signal stays in the outbox for the letter
   * sweeper). Without this the error is thrown, so an activity's retry sends it.
   */
  onSignalDeferred?: (letterId: string, e: unknown) => void;
}): RecordTransition {
  const signals = createLetterSignalSender(deps);
  return async (t) => {
    const { moved, webhooks, owedAlone } = await applyTransition(deps.db, t);
    // also when nothing moved: a retry after a crash between the commit and the signal still sends it. The
    // move's own signal, when the letter owed no earlier one, is sent without reading the outbox again.
    if (t.tell)
      await (owedAlone ? signals.send([owedAlone]) : signals.deliver({ letterId: t.letterId })).catch(
        (e: unknown) => {
          if (!deps.onSignalDeferred) throw e;
          deps.onSignalDeferred(t.letterId, e);
        },
      );
    // also when nothing moved: a retry after a crash between the commit and this kick still wakes the workflow.
    // A move that queued no delivery (the tenant has no active subscription now) has nothing to wake: an
    // earlier move's deliveries were woken by that move or its retry (a run's set-wise Venter rows by the
    // letter's next move, which queues its own while there are subscriptions), so the lookup is saved.
    const wake = {
      ...deps,
      taskQueue: typeof deps.taskQueue === 'string' ? deps.taskQueue : deps.taskQueue(),
    };
    if (webhooks > 0) await wakeLetterWebhooks(wake, t.letterId);
    else if (!moved) await kickLetterWebhooks(wake, t.letterId);
    return moved;
  };
}

interface WakeDeps {
  temporal: Client;
  taskQueue: string;
  /** How long the delivery workflow waits for more events before it completes (its default: 5 minutes). */
  idle?: Duration;
}

/** Starts (or signals) the letter's webhook delivery workflow (temporal/starters.ts). */
export async function wakeLetterWebhooks(deps: WakeDeps, letterId: string): Promise<void> {
  await wakeWebhooksWorkflow(deps.temporal, {
    taskQueue: deps.taskQueue,
    of: { letterId },
    ...(deps.idle !== undefined ? { idle: deps.idle } : {}),
  });
}

/** Wakes the letter's webhook delivery workflow when the letter has deliveries waiting. */
export async function kickLetterWebhooks(deps: WakeDeps & { db: Db }, letterId: string): Promise<void> {
  if (await hasPendingLetterDeliveries(deps.db, letterId)) await wakeLetterWebhooks(deps, letterId);
}
