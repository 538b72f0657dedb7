// The outbound system for end-to-end tests: a real Temporal dev server, a worker with every activity, the
// Express API over HTTP, PostgreSQL and the Digipost simulator, with a fresh tenant and its API key.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openDatabase, type Db } from '../../db/connection';
import { createApp } from '../../api/app';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { createActivities } from '../../worker/activities';
import { ensureBackgroundWorkflows } from '../../worker/background';
import { digipostForTests } from './digipost';
import { tenantForTests } from './tenants';
import { startedForFile } from './for-file';
import type { NewTenant, Tenant } from '../../db/tenants';
import type { DigipostSimulator } from '../../simulators/digipost/server';
import { sampleMergeData } from '../../documents/testing/sample-data';
import { dataConverterFor } from '../../temporal/data-converter';
import { loadEnv } from '../../config/env';

export { until } from './until';

export interface TestSystem {
  db: Db;
  sim: DigipostSimulator;
  temporal: Client;
  temporalServer: DevServer;
  /** Stops the Temporal dev server (its state stays in its data file, with `temporalDbFile`). */
  stopTemporal(): Promise<void>;
  /** Starts it again on the same port and data file. */
  startTemporal(): Promise<void>;
  base: string;
  taskQueue: string;
  /** The broker key the Digipost client signs with (PEM), e.g. for a worker in a child process. */
  brokerKeyPem: string;
  tenant: Tenant;
  auth: { authorization: string };
  /** Calls the API as the test tenant (or with other headers). */
  api(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: Parameters<TestSystem['api']>[1]): Promise<T>;
  newTenant(overrides?: Partial<NewTenant>): Promise<{ tenant: Tenant; auth: { authorization: string } }>;
  stop(): Promise<void>;
}

export async function startTestSystem(
  opts: {
    eventWindow?: string;
    correctionWindow?: string;
    withWorker?: boolean;
    /** Keep Temporal's state in a file, so the server can be stopped and started again. */
    temporalDbFile?: string;
    /** The letter sweeper leaves younger signals and letters alone (default 20 s). */
    sweepGraceMs?: number;
  } = {},
): Promise<TestSystem> {
  const dp = await digipostForTests();
  const temporalOpts = {
    port: 20233 + Math.floor(Math.random() * 2000),
    ...(opts.temporalDbFile ? { dbFile: opts.temporalDbFile } : {}),
  };
  let temporalServer = await startDevServer(temporalOpts);
  const { db, close: closeDb } = await openDatabase(inject('databaseUrl'));
  const taskQueue = `e2e-${randomUUID()}`;
  const connection = await Connection.connect({ address: temporalServer.address });
  const dataConverter = dataConverterFor(loadEnv());
  const temporal = new Client({ connection, dataConverter });
  const nativeConnection = await NativeConnection.connect({ address: temporalServer.address });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  if (opts.withWorker !== false) {
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
      dataConverter,
      activities: createActivities({ db, digipost: dp.client, temporal }),
    });
    workerRun = worker.run();
  }
  const { tenant, auth } = await tenantForTests(db);
  const timers = {
    eventWindow: opts.eventWindow ?? '1 hour',
    correctionWindow: opts.correctionWindow ?? '1 hour',
  };
  await ensureBackgroundWorkflows({
    db,
    temporal,
    taskQueue,
    brokerId: `9999-${taskQueue}`,
    eventsInterval: '1 second',
    deliveryPollInterval: '1 second',
    letters: {
      timers,
      sweepInterval: '1 second',
      sweepGraceMs: opts.sweepGraceMs ?? 20_000,
      // other test files share the database: leave their letters to their own systems
      tenantIds: [tenant.id],
    },
  });
  const app = createApp({
    db,
    temporal,
    taskQueue,
    logger: pino({ level: 'silent' }),
    allowHttpLocalhostWebhooks: true,
    outbound: { ...timers, deliveryPollInterval: '1 second' },
    digipost: dp.client,
  });
  const http: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  const addr = http.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  const api: TestSystem['api'] = (path, init = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.headers ?? auth),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return {
    db,
    sim: dp.sim,
    temporal,
    get temporalServer() {
      return temporalServer;
    },
    stopTemporal: () => temporalServer.stop(),
    async startTemporal() {
      temporalServer = await startDevServer(temporalOpts);
    },
    base,
    taskQueue,
    brokerKeyPem: dp.privateKeyPem,
    tenant,
    auth,
    api,
    async json(path, init) {
      const res = await api(path, init);
      if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as never;
    },
    newTenant: (overrides) => tenantForTests(db, overrides),
    async stop() {
      http.close();
      worker?.shutdown();
      await workerRun;
      await connection.close();
      await nativeConnection.close();
      await dp.sim.close();
      await closeDb();
      await temporalServer.stop();
    },
  };
}

/** The preamble of an end-to-end test file (test/support/for-file.ts): the system, started for the file's tests. */
export function useTestSystem(opts: Parameters<typeof startTestSystem>[0] = {}): TestSystem {
  return startedForFile('the test system', () => startTestSystem(opts));
}

/** A letter request for the IKV_ template (or another), with realistic merge data. */
export function letterRequest(
  nationalId: string,
  opts: {
    templateCode?: string;
    caseId?: string;
    address?: { lines: string[]; postalCode?: string; city?: string };
  } = {},
) {
  return {
    caseId: opts.caseId ?? `SAK-${randomUUID().slice(0, 8)}`,
    templateCode: opts.templateCode ?? 'IKV_inkassovarsel',
    recipient: {
      nationalId,
      name: 'Kari Nordmann',
      address: opts.address ?? { lines: ['Storgata 1'], postalCode: '0155', city: 'OSLO' },
    },
    mergeData: sampleMergeData(),
  };
}
