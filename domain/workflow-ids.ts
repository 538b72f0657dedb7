// Every workflow id, spelled once. A workflow id is the business id it works for (CONVENTIONS habit 5): it is
// the idempotency key of the start, so these spellings never change (running workflows and the recorded
// histories in test/fixtures carry them). Deterministic code only: workflows import it too.

/** `letter-{letterId}`: one letter's life (workflows/letter-workflow.ts). */
export const letterWorkflowId = (letterId: string) => `letter-${letterId}`;

/** `run-{runId}`: one run of letters (workflows/run-workflow.ts). */
export const runWorkflowId = (runId: string) => `run-${runId}`;

/** `svarinn-{forsendelseId}`: one received SvarInn item, intake to triage (workflows/inbound-item-workflow.ts). */
export const inboundItemWorkflowId = (forsendelseId: string) => `svarinn-${forsendelseId}`;

/** `svarinn-poller-{receivingSystemId}`: the SvarInn poller of one receiving system. */
export const svarinnPollerWorkflowId = (receivingSystemId: string) => `svarinn-poller-${receivingSystemId}`;

/** `webhooks-letter-{letterId}`: delivers one letter's webhooks (workflows/webhook-workflow.ts). */
export const letterWebhooksWorkflowId = (letterId: string) => `webhooks-letter-${letterId}`;

/** `webhooks-inbound-{itemId}`: the same workflow delivering one inbound item's webhooks. */
export const inboundWebhooksWorkflowId = (itemId: string) => `webhooks-inbound-${itemId}`;

/** `digipost-events-{brokerId}`: the Digipost document-event poller of one broker account. */
export const digipostEventsWorkflowId = (brokerId: string) => `digipost-events-${brokerId}`;

/** The one letter sweeper (owed signals, letters whose workflow did not start). */
export const LETTER_SWEEPER_WORKFLOW_ID = 'letter-sweeper';
