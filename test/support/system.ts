// The system for end-to-end tests, the one harness: a real Temporal dev server, a worker with every activity
// (composed as the worker process composes them), the Express API over HTTP, PostgreSQL and the Digipost simulator,
// with a fresh tenant and its API key; with `inbound`, also the SvarInn and Noark 5 simulators and an SMTP server.
// Client and worker always use the production data converter (payload codec).
import { randomBytes, randomUUID } from 'node:crypto';
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
import { sampleLetterRequest } from '../../documents/testing/sample-data';
import { dataConverterFor } from '../../temporal/data-converter';
import { loadEnv } from '../../config/env';
import { createSecretBox, type SecretBox } from '../../db/secret-box';
import type { InboundSettings } from '../../activities/inbound-activities';
import { createMailForwarder } from '../../integrations/mail/forward';
import { startSvarInnSimulator, type SvarInnSimulator } from '../../simulators/svarinn/server';
import type { ArchiveSimulator } from '../../simulators/archive/server';
import { archiveForTests } from './archive';
import { startTestSmtpServer, type TestSmtpServer } from './smtp';

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

export interface SystemOptions {
  eventWindow?: string;
  correctionWindow?: string;
  withWorker?: boolean;
  /** Keep Temporal's state in a file, so the server can be stopped and started again. */
  temporalDbFile?: string;
  /** The letter sweeper leaves younger signals and letters alone (default 20 s). */
  sweepGraceMs?: number;
  /** How long a webhook receiver may take to answer (default 10 s). */
  webhookRequestTimeoutMs?: number;
}

/** The inbound side's settings (the SvarInn address is the simulator's); what is left out takes the defaults below. */
export type InboundOptions = Partial<Omit<InboundSettings, 'svarinnBaseUrl'>>;

const INBOUND_DEFAULTS: Omit<InboundSettings, 'svarinnBaseUrl'> = {
  pollIntervalMs: 500,
  downloadAttempts: 3,
  flagAfterMs: 86_400_000,
  autoTriageDelayMs: 0,
  deletedRetentionMs: 30 * 86_400_000,
  digestIntervalMs: 86_400_000,
};

/** The parts the inbound side adds. */
export interface InboundParts {
  svarinn: SvarInnSimulator;
  archive: ArchiveSimulator;
  smtp: TestSmtpServer;
  /** Seals the receiving systems' credentials (the API's and the worker's box). */
  secrets: SecretBox;
  /** Its key (base64), for a worker in a child process (INBOUND_SECRETS_KEY). */
  secretsKey: string;
}

export type InboundTestSystem = TestSystem & InboundParts;

export function startTestSystem(opts?: SystemOptions): Promise<TestSystem>;
export function startTestSystem(
  opts: SystemOptions & { inbound: InboundOptions },
): Promise<InboundTestSystem>;
export async function startTestSystem(
  opts: SystemOptions & { inbound?: InboundOptions } = {},
): Promise<TestSystem | InboundTestSystem> {
  // what is started is stopped again, in reverse, also when a later part fails to start
  const stops: (() => unknown)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const dp = await digipostForTests();
    stops.push(() => dp.sim.close());
    const temporalOpts = {
      port: 20233 + Math.floor(Math.random() * 2000),
      ...(opts.temporalDbFile ? { dbFile: opts.temporalDbFile } : {}),
    };
    let temporalServer = await startDevServer(temporalOpts);
    stops.push(() => temporalServer.stop());
    const { db, close: closeDb } = await openDatabase(inject('databaseUrl'));
    stops.push(closeDb);
    const inbound = opts.inbound ? await startInboundParts(stops) : undefined;
    const taskQueue = `e2e-${randomUUID()}`;
    const connection = await Connection.connect({ address: temporalServer.address });
    stops.push(() => connection.close());
    const dataConverter = dataConverterFor(loadEnv());
    const temporal = new Client({ connection, dataConverter });
    const nativeConnection = await NativeConnection.connect({ address: temporalServer.address });
    stops.push(() => nativeConnection.close());
    if (opts.withWorker !== false) {
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
        dataConverter,
        activities: createActivities({
          db,
          digipost: dp.client,
          temporal,
          webhookRequestTimeoutMs: opts.webhookRequestTimeoutMs,
          ...(inbound && opts.inbound
            ? {
                inbound: {
                  secrets: inbound.parts.secrets,
                  taskQueue,
                  archive: inbound.archiveClient,
                  mailer: inbound.mailer,
                  settings: {
                    ...INBOUND_DEFAULTS,
                    ...opts.inbound,
                    svarinnBaseUrl: inbound.parts.svarinn.url,
                  },
                },
              }
            : {}),
        }),
      });
      const workerRun = worker.run();
      stops.push(async () => {
        worker.shutdown();
        await workerRun;
      });
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
      ...(inbound ? { secrets: inbound.parts.secrets } : {}),
    });
    const http: Server = app.listen(0, '127.0.0.1');
    stops.push(() => http.close());
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
    const system: TestSystem = {
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
      stop: stopAll,
    };
    return inbound ? Object.assign(system, inbound.parts) : system;
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** The inbound side's peers: the SvarInn and Noark 5 simulators, an SMTP server and its forwarder, a secret box. */
async function startInboundParts(stops: (() => unknown)[]) {
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
  const secretsKey = randomBytes(32).toString('base64');
  const parts: InboundParts = { svarinn, archive, smtp, secrets: createSecretBox(secretsKey), secretsKey };
  return { parts, archiveClient, mailer };
}

/** The preamble of an end-to-end test file (test/support/for-file.ts): the system, started for the file's tests. */
export function useTestSystem(opts?: SystemOptions): TestSystem;
export function useTestSystem(opts: SystemOptions & { inbound: InboundOptions }): InboundTestSystem;
export function useTestSystem(
  opts: SystemOptions & { inbound?: InboundOptions } = {},
): TestSystem | InboundTestSystem {
  return startedForFile('the test system', () =>
    opts.inbound ? startTestSystem({ ...opts, inbound: opts.inbound }) : startTestSystem(opts),
  );
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
  return sampleLetterRequest({
    ...opts,
    nationalId,
    caseId: opts.caseId ?? `SAK-${randomUUID().slice(0, 8)}`,
  });
}
