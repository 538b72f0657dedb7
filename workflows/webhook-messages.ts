// Messages of the webhook delivery workflow (`webhooks-letter-{id}`, `webhooks-inbound-{id}`): the one signal
// its starters (temporal/starters.ts) send. Deterministic code only: it is bundled into the workflow sandbox.
import { defineSignal } from '@temporalio/workflow';

/** More webhook rows are waiting in the outbox (db/webhooks.ts): deliver them. */
export const webhooksPendingSignal = defineSignal('webhooksPending');
