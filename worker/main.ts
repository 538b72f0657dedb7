// Worker process: registers workflows and activities, makes sure the background workflows run, shuts down
// cleanly on SIGINT/SIGTERM (the Temporal runtime installs those handlers and drains the worker).
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { openDatabase } from '../db/connection';
import { readFileSync } from 'node:fs';
import { DigipostClient } from '../integrations/digipost/client';
import { createActivities } from './activities';
import { ensureBackgroundWorkflows } from './background';

const env = loadEnv();
const log = createLogger('worker', env.LOG_LEVEL);
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required for `npm run worker` (npm start sets it)');

const { db, close } = await openDatabase(env.DATABASE_URL);
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
try {
  const temporal = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE });
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    activities: createActivities({
      db,
      temporal,
      digipost: new DigipostClient({
        baseUrl: env.DIGIPOST_BASE_URL,
        brokerId: env.DIGIPOST_BROKER_ID,
        privateKeyPem: readFileSync(env.DIGIPOST_PRIVATE_KEY_FILE, 'utf8'),
      }),
    }),
  });
  await ensureBackgroundWorkflows({
    db,
    temporal,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    brokerId: env.DIGIPOST_BROKER_ID,
    eventsInterval: env.DIGIPOST_EVENTS_INTERVAL,
    deliveryPollInterval: env.RUN_DELIVERY_POLL_INTERVAL,
  });
  log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: env.TEMPORAL_ADDRESS }, 'worker running');
  await worker.run();
  log.info('worker stopped');
} finally {
  await clientConnection.close();
  await connection.close();
  await close();
}
