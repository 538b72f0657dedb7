// Every activity the worker registers, built from its dependencies: the one place they are composed (the worker
// process, the system harness and the cluster bench use it).
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import type { DigipostClient } from '../integrations/digipost/client';
import { createLetterActivities } from '../activities/letter-activities';
import { createRunActivities } from '../activities/run-activities';
import { createDigipostEventActivities } from '../activities/digipost-event-activities';
import { createWebhookActivities } from '../activities/webhook-activities';
import { classifyFailures } from '../activities/failures';
import type { DestinationPolicy } from '../integrations/webhooks/destination';
import { createLetterSweeperActivities } from '../activities/letter-sweeper-activities';
import { createInboundActivities, type InboundActivityDeps } from '../activities/inbound-activities';

export interface ActivityDeps {
  db: Db;
  digipost: DigipostClient;
  /** For activities that signal workflows (runs, the event poller). */
  temporal: Client;
  /** Where webhook deliveries may go (production: `public`); default `any`. */
  webhookDestinations?: DestinationPolicy;
  /** How long a webhook receiver may take to answer (default 10 s). */
  webhookRequestTimeoutMs?: number;
  /** The inbound side (SvarInn intake, archive, mail); absent where only letters are handled (the tests' harness). */
  inbound?: Omit<InboundActivityDeps, 'db' | 'temporal'>;
}

/**
 * Every activity: the outbound ones with their errors classified (permanent → non-retryable) and cleaned of query
 * parameters; the inbound ones classify their own failures (activities/inbound-activities.ts).
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...outboundActivities(deps),
    ...(deps.inbound
      ? createInboundActivities({ db: deps.db, temporal: deps.temporal, ...deps.inbound })
      : {}),
  };
}

function outboundActivities(deps: ActivityDeps) {
  return classifyFailures({
    ...createLetterActivities(deps),
    ...createRunActivities(deps),
    ...createDigipostEventActivities(deps),
    ...createWebhookActivities({
      db: deps.db,
      destinations: deps.webhookDestinations,
      requestTimeoutMs: deps.webhookRequestTimeoutMs,
    }),
    ...createLetterSweeperActivities(deps),
  });
}
