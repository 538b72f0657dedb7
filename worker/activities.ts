// Every activity the worker registers, built from its dependencies (the worker process and the tests use this).
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

export interface ActivityDeps {
  db: Db;
  digipost: DigipostClient;
  /** For activities that signal workflows (runs, the event poller). */
  temporal: Client;
  /** Where webhook deliveries may go (production: `public`); default `any`. */
  webhookDestinations?: DestinationPolicy;
}

/** Every outbound activity, its errors classified (permanent → non-retryable) and cleaned of query parameters. */
export function createActivities(deps: ActivityDeps) {
  return classifyFailures({
    ...createLetterActivities(deps),
    ...createRunActivities(deps),
    ...createDigipostEventActivities(deps),
    ...createWebhookActivities({ db: deps.db, destinations: deps.webhookDestinations }),
    ...createLetterSweeperActivities(deps),
  });
}
