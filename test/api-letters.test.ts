// Tier 3: API + worker + real Temporal dev server + real PostgreSQL, over HTTP.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openDatabase, type Db } from '../db/connection';
import { tenantForTests } from './support/tenants';
import { createLetterActivities } from '../activities/letter-activities';
import { digipostForTests, RETURN_ADDRESS } from './support/digipost';
import type { DigipostSimulator } from '../simulators/digipost/server';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { dataConverterFor } from '../temporal/data-converter';
import { loadEnv } from '../config/env';
import { createApp } from '../api/app';
import { PDFDocument } from 'pdf-lib';

let temporalServer: DevServer;
let closeDb: () => Promise<void>;
let dp: Awaited<ReturnType<typeof digipostForTests>>;
let sim: DigipostSimulator;
let connection: Connection;
let nativeConnection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let http: Server;
let base: string;
let auth: { authorization: string };
let db: Db;

const validLetter = () => ({
  caseId: 'SAK-2026-1',
  templateCode: '_IKV_STANDARD',
  recipient: {
    nationalId: '01019010046',
    name: 'Kari Nordmann',
    address: { lines: ['Storgata 1'], postalCode: '0155', city: 'Oslo' },
  },
  mergeData: { KID: '1234567890', Beløp: 1234.5 },
});

beforeAll(async () => {
  dp = await digipostForTests();
  sim = dp.sim;
  temporalServer = await startDevServer({ port: 18233 + Math.floor(Math.random() * 1000) });
  const opened = await openDatabase(inject('databaseUrl'));
  closeDb = opened.close;
  db = opened.db;
  auth = (await tenantForTests(db)).auth;
  const taskQueue = `api-${randomUUID()}`;
  nativeConnection = await NativeConnection.connect({ address: temporalServer.address });
  worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    dataConverter: dataConverterFor(loadEnv()),
    activities: createLetterActivities({ db: opened.db, digipost: dp.client, returnAddress: RETURN_ADDRESS }),
  });
  workerRun = worker.run();
  connection = await Connection.connect({ address: temporalServer.address });
  const app = createApp({
    db: opened.db,
    temporal: new Client({ connection, dataConverter: dataConverterFor(loadEnv()) }),
    taskQueue,
    logger: pino({ level: 'silent' }),
  });
  http = app.listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  const addr = http.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 180_000);

afterAll(async () => {
  await sim?.close();
  http?.close();
  worker?.shutdown();
  await workerRun;
  await connection?.close();
  await nativeConnection?.close();
  await closeDb?.();
  await temporalServer?.stop();
});

const post = (body: string, type = 'application/json') =>
  fetch(`${base}/v1/letters`, { method: 'POST', headers: { 'content-type': type, ...auth }, body });
const get = (path: string, headers: Record<string, string> = auth) => fetch(`${base}${path}`, { headers });

describe('POST /v1/letters', () => {
  it('answers 202 with Location, and the letter reaches its status through the workflow', async () => {
    const res = await post(JSON.stringify(validLetter()));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(res.headers.get('location')).toBe(`/v1/letters/${id}`);
    let letter: { status: string; workflowId: string; history: { status: string }[] } | undefined;
    for (let i = 0; i < 100; i++) {
      letter = (await (await get(`/v1/letters/${id}`)).json()) as typeof letter;
      if (letter?.status === 'SENT_DIGITAL') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(letter?.status).toBe('SENT_DIGITAL');
    // exactly one message, correctly signed (the simulator rejects anything else), with an A4 PDF
    expect(sim.messages).toHaveLength(1);
    const pdf = await PDFDocument.load(sim.messages[0]!.documents[0]!.content);
    for (const page of pdf.getPages()) {
      expect(Math.round(page.getWidth())).toBe(595);
      expect(Math.round(page.getHeight())).toBe(842);
    }
    expect(letter?.workflowId).toBe(`letter-${id}`);
    expect(letter?.history.map((h) => h.status)).toEqual(['PRODUCED', 'SENT_DIGITAL']);
  });

  const bad: [string, () => Promise<Response>, number, RegExp][] = [
    ['a missing field', () => post(JSON.stringify({ ...validLetter(), caseId: undefined })), 400, /caseId/],
    ['a wrong type', () => post(JSON.stringify({ ...validLetter(), caseId: 42 })), 400, /caseId/],
    ['malformed JSON', () => post('{"caseId": '), 400, /not valid JSON/],
    [
      'a 2 MB body',
      () => post(JSON.stringify({ ...validLetter(), mergeData: { x: 'a'.repeat(2_000_000) } })),
      413,
      /exceeds/,
    ],
    [
      'an invalid national id',
      () =>
        post(
          JSON.stringify({
            ...validLetter(),
            recipient: { ...validLetter().recipient, nationalId: '12345678901' },
          }),
        ),
      400,
      /recipient\.nationalId/,
    ],
    ['an unknown field', () => post(JSON.stringify({ ...validLetter(), extra: true })), 400, /extra/],
    [
      'a bad postal code',
      () =>
        post(
          JSON.stringify({
            ...validLetter(),
            recipient: {
              ...validLetter().recipient,
              address: { lines: ['x'], postalCode: '12', city: 'Oslo' },
            },
          }),
        ),
      400,
      /postalCode/,
    ],
  ];
  for (const [name, send, status, message] of bad) {
    it(`rejects ${name} with ${status} naming the problem`, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(message);
    });
  }

  it('answers 404 in the same error shape for an unknown letter', async () => {
    const res = await get(`/v1/letters/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('refuses a missing or unknown API key with 401', async () => {
    const missing = await get(`/v1/letters/${randomUUID()}`, {});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/API key/);
    const unknown = await get(`/v1/letters/${randomUUID()}`, { authorization: 'Bearer pg_not-a-key' });
    expect(unknown.status).toBe(401);
  });

  it("answers 404 for another tenant's letter", async () => {
    const res = await post(JSON.stringify({ ...validLetter(), caseId: 'SAK-OTHER' }));
    const { id } = (await res.json()) as { id: string };
    const other = await tenantForTests(db);
    const seen = await get(`/v1/letters/${id}`, other.auth);
    expect(seen.status).toBe(404);
    expect((await get(`/v1/letters/${id}`)).status).toBe(200);
  });

  it('refuses Digipost sending with 409 for a tenant without an active agreement', async () => {
    const noAgreement = await tenantForTests(db, { digipostAgreement: 'NONE' });
    const res = await fetch(`${base}/v1/letters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...noAgreement.auth },
      body: JSON.stringify(validLetter()),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NO_DIGIPOST_AGREEMENT');
  });

  it('serves the OpenAPI document generated from the validating schemas', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
      >;
    };
    const body = doc.paths['/v1/letters']!.post!.requestBody!.content['application/json']!.schema;
    expect(body.required).toEqual(expect.arrayContaining(['caseId', 'templateCode', 'recipient']));
  });

  it('reports Temporal and database reachability on /health', async () => {
    const res = await fetch(`${base}/health`);
    expect(await res.json()).toEqual({ status: 'ok', database: true, temporal: true });
  });
});
