// Durability: the worker process is SIGKILLed after the PDF is stored and while the send is in flight
// (Digipost has stored the message, its answer is held back), then a new worker starts. The letter completes
// and Digipost holds exactly one message for it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { tenantForTests } from './support/tenants';
import { openDatabase, type Db } from '../db/connection';
import { letterDocuments, letters } from '../db/schema';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { dataConverterFor } from '../temporal/data-converter';
import { loadEnv } from '../config/env';
import { letterWorkflow } from '../workflows';
import { digipostForTests, DIGIPOST_USER } from './support/digipost';

let temporal: DevServer;
let db: Db;
let closeDb: () => Promise<void>;
let dp: Awaited<ReturnType<typeof digipostForTests>>;
let keyFile: string;
const taskQueue = `kill-${randomUUID()}`;

function startWorker(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DIGIPOST_BASE_URL: dp.sim.url,
      DIGIPOST_PRIVATE_KEY_FILE: keyFile,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  temporal = await startDevServer({ port: 19233 + Math.floor(Math.random() * 1000) });
  ({ db, close: closeDb } = await openDatabase(inject('databaseUrl')));
  dp = await digipostForTests();
  keyFile = join(mkdtempSync(join(tmpdir(), 'postgang-key-')), 'broker.pem');
  writeFileSync(keyFile, dp.privateKeyPem);
}, 180_000);

afterAll(async () => {
  await dp?.sim.close();
  await closeDb?.();
  await temporal?.stop();
});

describe('worker killed mid-letter', () => {
  it('completes the letter after restart with exactly one message at Digipost', async () => {
    const letterId = randomUUID();
    await db.insert(letters).values({
      id: letterId,
      tenantId: (await tenantForTests(db)).tenant.id,
      caseId: 'SAK-KILL',
      templateCode: '_BO_KILLTEST',
      status: 'RECEIVED',
      recipient: {
        name: 'Kari Nordmann',
        nationalId: DIGIPOST_USER,
        address: { lines: ['Storgata 1'], postalCode: '0155', city: 'Oslo' },
      },
      mergeData: {},
    });
    dp.sim.holdResponses = true;
    const first = startWorker();
    const firstExit = new Promise((r) => first.once('exit', r));
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const handle = await new Client({
        connection,
        dataConverter: dataConverterFor(loadEnv()),
      }).workflow.start(letterWorkflow, {
        taskQueue,
        workflowId: `letter-${letterId}`,
        args: [{ letterId }],
      });
      const mine = () => dp.sim.messages.filter((m) => m.documents[0]!.subject === '_BO_KILLTEST');
      await until('Digipost to receive the message', () => mine().length === 1);
      expect(
        await db.select().from(letterDocuments).where(eq(letterDocuments.letterId, letterId)),
      ).toHaveLength(1);
      first.kill('SIGKILL');
      await firstExit;
      dp.sim.holdResponses = false;

      const second = startWorker();
      const secondExit = new Promise((r) => second.once('exit', r));
      try {
        const result = await handle.result();
        expect(result).toEqual({ version: 1, status: 'SENT_DIGITAL' });
        expect(mine()).toHaveLength(1);
        const [letter] = await db.select().from(letters).where(eq(letters.id, letterId));
        expect(letter!.status).toBe('SENT_DIGITAL');
      } finally {
        second.kill('SIGTERM');
        await secondExit;
      }
    } finally {
      await connection.close();
    }
  }, 120_000);
});
