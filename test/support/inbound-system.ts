// The inbound system for end-to-end tests: a real Temporal dev server, a worker with the inbound and webhook
// activities, the Express API over HTTP, PostgreSQL, the SvarInn and Noark 5 simulators and an SMTP server, with
// a fresh tenant and its API key. Client and worker use the production data converter (payload codec).
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openDatabase, type Db } from '../../db/connection';
import { createSecretBox, type SecretBox } from '../../db/secret-box';
import { createApp } from '../../api/app';
import { createInboundActivities, type InboundSettings } from '../../activities/inbound-activities';
import { createWebhookActivities } from '../../activities/webhook-activities';
import { createMailForwarder } from '../../integrations/mail/forward';
import { startSvarInnSimulator, type SvarInnSimulator } from '../../simulators/svarinn/server';
import type { ArchiveSimulator } from '../../simulators/archive/server';
import { startDevServer } from '../../temporal/dev-server';
import { dataConverterFor } from '../../temporal/data-converter';
import { loadEnv } from '../../config/env';
import { archiveForTests } from './archive';
import { startTestSmtpServer, type TestSmtpServer } from './smtp';
import { tenantForTests } from './tenants';
import { startedForFile } from './for-file';

export interface InboundTestSystem {
  db: Db;
  svarinn: SvarInnSimulator;
  archive: ArchiveSimulator;
  smtp: TestSmtpServer;
  /** Seals the receiving systems' credentials (the API's and the worker's box). */
  secrets: SecretBox;
  temporal: Client;
  base: string;
  auth: { authorization: string };
  stop(): Promise<void>;
}

export async function startInboundSystem(
  settings: Omit<InboundSettings, 'svarinnBaseUrl'>,
): Promise<InboundTestSystem> {
  const stops: (() => unknown)[] = [];
  try {
    const temporalServer = await startDevServer({ port: 21233 + Math.floor(Math.random() * 2000) });
    stops.push(() => temporalServer.stop());
    const { db, close: closeDb } = await openDatabase(inject('databaseUrl'));
    stops.push(closeDb);
    const { auth } = await tenantForTests(db);
    const svarinn = await startSvarInnSimulator();
    stops.push(() => svarinn.close());
    const { sim: archive, client: archiveClient } = await archiveForTests();
    stops.push(() => archive.close());
    const smtp = await startTestSmtpServer();
    stops.push(() => smtp.close());
    const mailer = createMailForwarder({
      host: smtp.host,
      port: smtp.port,
      from: 'Postmottak <postmottak@test.invalid>',
    });
    stops.push(() => mailer.close());
    const secrets = createSecretBox(randomBytes(32).toString('base64'));
    const dataConverter = dataConverterFor(loadEnv());
    const taskQueue = `inbound-${randomUUID()}`;
    const connection = await Connection.connect({ address: temporalServer.address });
    stops.push(() => connection.close());
    const temporal = new Client({ connection, dataConverter });
    const nativeConnection = await NativeConnection.connect({ address: temporalServer.address });
    stops.push(() => nativeConnection.close());
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
      dataConverter,
      activities: {
        ...createWebhookActivities({ db }),
        ...createInboundActivities({
          db,
          secrets,
          temporal,
          taskQueue,
          archive: archiveClient,
          mailer,
          settings: { svarinnBaseUrl: svarinn.url, ...settings },
        }),
      },
    });
    const workerRun = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await workerRun;
    });
    const app = createApp({
      db,
      temporal,
      taskQueue,
      logger: pino({ level: 'silent' }),
      secrets,
      allowHttpLocalhostWebhooks: true,
    });
    const http: Server = app.listen(0, '127.0.0.1');
    stops.push(() => http.close());
    await new Promise((r) => http.once('listening', r));
    const addr = http.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const stop = async () => {
      for (const s of stops.reverse()) await s();
    };
    return { db, svarinn, archive, smtp, secrets, temporal, base, auth, stop };
  } catch (e) {
    for (const s of stops.reverse()) await s();
    throw e;
  }
}

/** The preamble of an inbound end-to-end file (test/support/for-file.ts): the system, started for its tests. */
export function useInboundSystem(settings: Omit<InboundSettings, 'svarinnBaseUrl'>): InboundTestSystem {
  return startedForFile('the inbound test system', () => startInboundSystem(settings));
}
