// Webhook delivery activities. `kickLetterWebhooks` is for the letter workflow's side (call it after recording
// a transition and enqueueing its webhook rows); the others are used by workflows/webhook-workflow.ts.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, type Duration } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import {
  deliveryWithSubscription,
  hasPendingLetterDeliveries,
  markDelivery,
  pendingLetterDeliveries,
} from '../db/webhooks';
import { sendWebhook } from '../integrations/webhooks/sender';
import { FAILURE } from '../domain/failure-types';
import {
  destinationProblem,
  type DestinationPolicy,
  type Lookup,
} from '../integrations/webhooks/destination';
import { wakeWebhooksWorkflow } from '../temporal/starters';

export interface WebhookActivityDeps {
  db: Db;
  /** Needed by kickLetterWebhooks only. */
  temporal?: Client;
  fetch?: typeof fetch;
  /** How long a receiver may take to answer one request (default 10 s). */
  requestTimeoutMs?: number;
  /** Task queue of the delivery workflows; defaults to the calling activity's own. */
  taskQueue?: string;
  /** How long a delivery workflow waits for more events before completing (workflow default: 5 minutes). */
  workflowIdle?: Duration;
  /** Where deliveries may go, checked before each one after resolving the name (production: `public`). */
  destinations?: DestinationPolicy;
  lookup?: Lookup;
}

/** How many pending deliveries the workflow takes at a time. */
const PAGE = 100;

export function createWebhookActivities({
  db,
  temporal,
  fetch: fetchImpl = globalThis.fetch,
  requestTimeoutMs = 10_000,
  taskQueue,
  workflowIdle,
  destinations = 'any',
  lookup,
}: WebhookActivityDeps) {
  return {
    /** Starts (or signals) `webhooks-letter-{letterId}` when the letter has deliveries waiting. */
    async kickLetterWebhooks(letterId: string): Promise<void> {
      if (!(await hasPendingLetterDeliveries(db, letterId))) return;
      if (!temporal) throw new Error('kickLetterWebhooks needs a Temporal client (createWebhookActivities)');
      await wakeWebhooksWorkflow(temporal, {
        taskQueue: taskQueue ?? Context.current().info.taskQueue,
        of: { letterId },
        idle: workflowIdle,
      });
    },

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
