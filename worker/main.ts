// Worker process: registers workflows and activities, shuts down cleanly on SIGINT/SIGTERM
// (the Temporal runtime installs those handlers and drains the worker).
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { openDatabase } from '../db/connection';
import { readFileSync } from 'node:fs';
import { createLetterActivities } from '../activities/letter-activities';
import { DigipostClient } from '../integrations/digipost/client';
import { Client } from '@temporalio/client';
import { createWebhookActivities } from '../activities/webhook-activities';
import { dataConverterFor } from '../temporal/data-converter';

const env = loadEnv();
const log = createLogger('worker', env.LOG_LEVEL);
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required for `npm run worker` (npm start sets it)');

const { db, close } = await openDatabase(env.DATABASE_URL);
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const dataConverter = dataConverterFor(env);
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter });
try {
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    dataConverter,
    activities: {
      ...createWebhookActivities({ db, temporal }),
      ...createLetterActivities({
        db,
        digipost: new DigipostClient({
          baseUrl: env.DIGIPOST_BASE_URL,
          brokerId: env.DIGIPOST_BROKER_ID,
          privateKeyPem: readFileSync(env.DIGIPOST_PRIVATE_KEY_FILE, 'utf8'),
        }),
        returnAddress: {
          name: env.RETURN_ADDRESS_NAME,
          lines: [env.RETURN_ADDRESS_LINE],
          postalCode: env.RETURN_ADDRESS_POSTAL_CODE,
          city: env.RETURN_ADDRESS_CITY,
        },
      }),
    },
  });
  log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: env.TEMPORAL_ADDRESS }, 'worker running');
  await worker.run();
  log.info('worker stopped');
} finally {
  await connection.close();
  await close();
}
