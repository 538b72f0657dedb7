// One workflow per letter with webhooks to deliver (`webhooks-letter-{letterId}`). It delivers the letter's
// pending rows (db/webhooks.ts) in sequence order, each subscription in its own lane so one slow receiver
// does not hold up another, every request retried with exponential backoff until the receiver accepts it.
// It then waits for the `webhooksPending` signal (sent with signalWithStart by kickLetterWebhooks) and
// completes after a quiet period. A signal that arrives while it completes is not lost: either the server
// refuses the completion and the workflow sees the signal, or signalWithStart starts a new run. Each run
// reads the outbox afresh, so rows committed before a kick are always found.
// The same workflow delivers an inbound item's events (`webhooks-inbound-{itemId}`: the outbox's `letterId`
// holds the item id). Ids: domain/workflow-ids.ts; starts: temporal/starters.ts (wakeWebhooksWorkflow).
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { WebhookActivities } from '../activities/webhook-activities';
import { webhooksPendingSignal } from './webhook-messages';

const { listPendingWebhookDeliveries } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

// Until accepted: no attempt cap. The request itself times out sooner (requestTimeoutMs).
const { deliverWebhook } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 hour', backoffCoefficient: 2 },
});

export interface LetterWebhooksInput {
  letterId: string;
  /** How long to wait for more events before completing (default 5 minutes). */
  idle?: Duration;
}

export async function letterWebhooksWorkflow({
  letterId,
  idle = '5 minutes',
}: LetterWebhooksInput): Promise<void> {
  let pending = true;
  setHandler(webhooksPendingSignal, () => void (pending = true));
  for (;;) {
    while (pending) {
      pending = false;
      const batch = await listPendingWebhookDeliveries(letterId);
      const lanes = new Map<string, string[]>();
      for (const d of batch) lanes.set(d.subscriptionId, [...(lanes.get(d.subscriptionId) ?? []), d.id]);
      await Promise.all(
        [...lanes.values()].map(async (ids) => {
          for (const id of ids) await deliverWebhook(id);
        }),
      );
      // A full page may have more behind it.
      if (batch.length > 0) pending = true;
    }
    if (workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof letterWebhooksWorkflow>({ letterId, idle });
    await condition(() => pending, idle);
    if (!pending) return;
  }
}
