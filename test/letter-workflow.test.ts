// Tier 2: the letter workflow on a real Temporal dev server, real PostgreSQL, real activities.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { PDFDocument } from 'pdf-lib';
import { tenantForTests } from './support/tenants';
import { openDatabase, type Db } from '../db/connection';
import { letterDocuments, letterEvents, letters } from '../db/schema';
import { createLetterActivities } from '../activities/letter-activities';
import { digipostForTests, RETURN_ADDRESS } from './support/digipost';
import type { DigipostSimulator } from '../simulators/digipost/server';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { dataConverterFor } from '../temporal/data-converter';
import { loadEnv } from '../config/env';
import { letterWorkflow } from '../workflows';

let server: DevServer;
let db: Db;
let closeDb: () => Promise<void>;
let dp: Awaited<ReturnType<typeof digipostForTests>>;
let sim: DigipostSimulator;

beforeAll(async () => {
  dp = await digipostForTests();
  sim = dp.sim;
  server = await startDevServer({ port: 17233 + Math.floor(Math.random() * 1000) });
  ({ db, close: closeDb } = await openDatabase(inject('databaseUrl')));
}, 180_000);

afterAll(async () => {
  await sim?.close();
  await closeDb?.();
  await server?.stop();
});

describe('letter workflow on a real Temporal server', () => {
  it('renders and stores an A4 PDF and records the status; history carries the id, not personal data', async () => {
    const letterId = randomUUID();
    const nationalId = '01019010046';
    await db.insert(letters).values({
      id: letterId,
      tenantId: (await tenantForTests(db)).tenant.id,
      caseId: 'SAK-1',
      templateCode: '_IKV_STANDARD',
      status: 'RECEIVED',
      recipient: {
        name: 'Kari Nordmann',
        nationalId,
        address: { lines: ['Storgata 1'], postalCode: '0155', city: 'Oslo' },
      },
      mergeData: { KID: '1234567890' },
    });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
      dataConverter: dataConverterFor(loadEnv()),
      activities: createLetterActivities({ db, digipost: dp.client, returnAddress: RETURN_ADDRESS }),
    });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, dataConverter: dataConverterFor(loadEnv()) });
    try {
      const result = await worker.runUntil(
        client.workflow.execute(letterWorkflow, {
          taskQueue,
          workflowId: `letter-${letterId}`,
          args: [{ letterId }],
        }),
      );
      expect(result).toEqual({ version: 1, status: 'SENT_DIGITAL' });
      expect(sim.messages.filter((m) => m.documents[0]!.subject === '_IKV_STANDARD')).toHaveLength(1);
      const [doc] = await db.select().from(letterDocuments).where(eq(letterDocuments.letterId, letterId));
      const pdf = await PDFDocument.load(Buffer.from(doc!.pdf, 'base64'));
      expect(Math.round(pdf.getPage(0).getSize().width)).toBe(595);
      const events = await db.select().from(letterEvents).where(eq(letterEvents.letterId, letterId));
      expect(events.map((e) => e.status).sort()).toEqual(['PRODUCED', 'SENT_DIGITAL']);
      const history = JSON.stringify(await client.workflow.getHandle(`letter-${letterId}`).fetchHistory());
      expect(history).not.toContain(nationalId);
      expect(history).not.toContain(Buffer.from(nationalId).toString('base64'));
      expect(history).not.toContain('Storgata');
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
