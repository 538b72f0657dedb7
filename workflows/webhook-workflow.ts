// One workflow per letter with webhooks to deliver (`webhooks-letter-{letterId}`). It delivers the letter's
// pending rows (db/webhooks.ts) in sequence order, each subscription in its own lane so one slow receiver
// does not hold up another (also for events that come while it keeps failing), every request retried with
// exponential backoff until the receiver accepts it.
// It then waits for the `webhooksPending` signal (sent with signalWithStart by kickLetterWebhooks) and
// completes after a quiet period. A signal that arrives while it completes is not lost: either the server
// refuses the completion and the workflow sees the signal, or signalWithStart starts a new run. Each run
// reads the outbox afresh, so rows committed before a kick are always found.
// The same workflow delivers an inbound item's events (`webhooks-inbound-{itemId}`: the outbox's `letterId`
// holds the item id). Ids: domain/workflow-ids.ts; starts: temporal/starters.ts (wakeWebhooksWorkflow).
import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
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

/**
 * Lanes that keep running across listings (patched `webhook-lanes-across-listings`): before, each listing's lanes
 * were awaited together, so a receiver that kept failing held up another receiver's later events.
 */
export const LANES_ACROSS_LISTINGS = 'webhook-lanes-across-listings';

export async function letterWebhooksWorkflow(input: LetterWebhooksInput): Promise<void> {
  if (patched(LANES_ACROSS_LISTINGS)) return independentLanes(input);
  return lanesPerListing(input);
}

/**
 * Each subscription's lane delivers its rows in order and keeps going while new rows join it; a listing adds the
 * rows no lane holds yet. The outbox is listed again on a signal, and when every lane is idle after a listing
 * that found new rows (a full page may have more behind it). Completes after `idle` with every lane idle.
 */
async function independentLanes({ letterId, idle = '5 minutes' }: LetterWebhooksInput): Promise<void> {
  let pending = true;
  setHandler(webhooksPendingSignal, () => void (pending = true));
  const lanes = new Map<string, Lane>();
  const queued = new Set<string>(); // rows handed to a lane in this run
  let active = 0;
  let failure: unknown; // a delivery that failed for good (no retry left): the workflow fails with it, as before
  const runLane = async (lane: Lane) => {
    lane.running = true;
    active++;
    try {
      for (let id = lane.queue.shift(); id !== undefined; id = lane.queue.shift()) await deliverWebhook(id);
    } catch (e) {
      failure ??= e;
    } finally {
      lane.running = false;
      active--;
    }
  };
  let listAgain = false;
  for (;;) {
    if (failure !== undefined) throw failure;
    if (pending || (listAgain && active === 0)) {
      pending = false;
      const batch = await listPendingWebhookDeliveries(letterId);
      const fresh = batch.filter((d) => !queued.has(d.id));
      for (const d of fresh) {
        queued.add(d.id);
        const lane = lanes.get(d.subscriptionId) ?? { queue: [], running: false };
        lanes.set(d.subscriptionId, lane);
        lane.queue.push(d.id);
        if (!lane.running) void runLane(lane);
      }
      listAgain = fresh.length > 0;
      continue;
    }
    if (active > 0) {
      await condition(() => pending || active === 0 || failure !== undefined);
      continue;
    }
    if (workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof letterWebhooksWorkflow>({ letterId, idle });
    if (!(await condition(() => pending, idle))) return;
  }
}

interface Lane {
  queue: string[];
  running: boolean;
}

/** The first shape, kept for the histories it made: each listing's lanes delivered, then the next listing. */
async function lanesPerListing({ letterId, idle = '5 minutes' }: LetterWebhooksInput): Promise<void> {
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
