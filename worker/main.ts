// Worker process: registers workflows and activities, shuts down cleanly on SIGINT/SIGTERM
// (the Temporal runtime installs those handlers and drains the worker).
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { openDatabase } from '../db/connection';
import { createLetterActivities } from '../activities/letter-activities';
import { DigipostClient, loadDigipostKey } from '../integrations/digipost/client';

const env = loadEnv();
const log = createLogger('worker', env.LOG_LEVEL);
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required for `npm run worker` (npm start sets it)');

const { db, close } = await openDatabase(env.DATABASE_URL);
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
try {
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    activities: createLetterActivities({
      db,
      digipost: new DigipostClient({
        baseUrl: env.DIGIPOST_BASE_URL,
        brokerId: env.DIGIPOST_BROKER_ID,
        privateKeyPem: loadDigipostKey(
          env.DIGIPOST_KEY_FILE ?? env.DIGIPOST_PRIVATE_KEY_FILE,
          env.DIGIPOST_KEY_PASSPHRASE,
        ),
        senderId: env.DIGIPOST_SENDER_ID,
      }),
      returnAddress: {
        name: env.RETURN_ADDRESS_NAME,
        lines: [env.RETURN_ADDRESS_LINE],
        postalCode: env.RETURN_ADDRESS_POSTAL_CODE,
        city: env.RETURN_ADDRESS_CITY,
      },
    }),
  });
  log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: env.TEMPORAL_ADDRESS }, 'worker running');
  await worker.run();
  log.info('worker stopped');
} finally {
  await connection.close();
  await close();
}
