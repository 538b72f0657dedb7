// Webhook delivery activities, used by workflows/webhook-workflow.ts. Waking that workflow after a status change
// is the recorder's part (temporal/letter-transitions.ts), not an activity.
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/connection';
import { deliveryWithSubscription, markDelivery, pendingLetterDeliveries } from '../db/webhooks';
import { sendWebhook } from '../integrations/webhooks/sender';
import { FAILURE } from '../domain/failure-types';
import {
  destinationProblem,
  type DestinationPolicy,
  type Lookup,
} from '../integrations/webhooks/destination';

export interface WebhookActivityDeps {
  db: Db;
  fetch?: typeof fetch;
  /** How long a receiver may take to answer one request (default 10 s). */
  requestTimeoutMs?: number;
  /** Where deliveries may go, checked before each one after resolving the name (production: `public`). */
  destinations?: DestinationPolicy;
  lookup?: Lookup;
}

/** How many pending deliveries the workflow takes at a time. */
const PAGE = 100;

export function createWebhookActivities({
  db,
  fetch: fetchImpl = globalThis.fetch,
  requestTimeoutMs = 10_000,
  destinations = 'any',
  lookup,
}: WebhookActivityDeps) {
  return {
    /** The letter's next pending deliveries, oldest first. */
    async listPendingWebhookDeliveries(letterId: string): Promise<{ id: string; subscriptionId: string }[]> {
      return pendingLetterDeliveries(db, letterId, PAGE);
    },

    /**
     * POSTs one delivery; resolves once the receiver accepted it (2xx) and it is marked delivered, or when its
     * subscription was deleted meanwhile. Any other answer fails the attempt, and the workflow's retry
     * policy tries again with backoff.
     */
    async deliverWebhook(deliveryId: string): Promise<'DELIVERED' | 'CANCELLED'> {
      const found = await deliveryWithSubscription(db, deliveryId);
      if (!found) throw ApplicationFailure.nonRetryable(`unknown webhook delivery ${deliveryId}`);
      const { delivery, subscription } = found;
      if (delivery.status !== 'PENDING') return delivery.status === 'DELIVERED' ? 'DELIVERED' : 'CANCELLED';
      if (subscription.deletedAt) {
        await markDelivery(db, deliveryId, { status: 'CANCELLED' });
        return 'CANCELLED';
      }
      const refused = await destinationProblem(subscription.url, destinations, {
        resolve: true,
        lookup,
        atDelivery: true,
      });
      if (refused) {
        // Retried like a receiver that is down (the workflow's policy has no attempt cap on purpose: its DNS
        // may be put right); the reason is on the delivery row meanwhile.
        await markDelivery(db, deliveryId, { failed: `destination refused: ${refused}` });
        throw ApplicationFailure.retryable(
          `webhook destination refused: ${refused}`,
          FAILURE.WEBHOOK_DESTINATION_REFUSED,
        );
      }
      try {
        await sendWebhook(
          {
            url: subscription.url,
            secret: subscription.secret,
            eventId: delivery.eventId,
            body: JSON.stringify(delivery.body),
          },
          { fetch: fetchImpl, timeoutMs: requestTimeoutMs },
        );
      } catch (e) {
        await markDelivery(db, deliveryId, { failed: (e as Error).message });
        throw e;
      }
      await markDelivery(db, deliveryId, { status: 'DELIVERED' });
      return 'DELIVERED';
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
