// `npm run bench:cluster`: the older three-figure bench (bare, produced, sent) on the dev server and then on the full
// Temporal server on PostgreSQL (temporal/cluster.ts), side by side. `npm run bench` is the end-to-end bench.
// work: producing letters (render + store + queue) and sending them in one run to the Digipost simulator.
// Prints workflows or letters per second and the ratio to the baseline. Figures are noisy on a shared
// machine; compare only figures from the same run. BENCH_LETTERS sets the size (default 300).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadEnv } from '../config/env';
import { openDatabase } from '../db/connection';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { letters } from '../db/schema';
import type { LetterStatus } from '../domain/letter-status';
import { benchTenant } from './tenant';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { clusterSqlFrom, startCluster } from '../temporal/cluster';
import { createActivities } from '../worker/activities';
import { startDigipostSimulator } from '../simulators/digipost/server';
import { DigipostClient } from '../integrations/digipost/client';
import { until } from '../test/support/until';
import { createApp } from '../api/app';
import { pino } from 'pino';
import { sampleLetterRequest } from '../documents/testing/sample-data';

const env = loadEnv();
const N = Number(process.env.BENCH_LETTERS ?? 300);
const say = (m: string) => process.stdout.write(`${m}\n`);
const HOUR = 3_600_000; // the longest wait for a phase

let embedded: EmbeddedDatabase | undefined;
let url = env.DATABASE_URL;
if (!url) {
  const dir = mkdtempSync(join(tmpdir(), 'postgang-bench-'));
  chmodSync(dir, 0o755);
  embedded = await startEmbeddedPostgres(join(dir, 'pg'), 30000 + Math.floor(Math.random() * 2000));
  url = embedded.url;
}
const { db, close } = await openDatabase(url);
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const sim = await startDigipostSimulator();
sim.addBroker('9999', keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
sim.setPerson('01019010046', { kind: 'DIGIPOST' });
const digipost = new DigipostClient({
  baseUrl: sim.url,
  brokerId: '9999',
  privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});

interface Figures {
  bare: number;
  produced: number;
  sent: number;
}

/** The three figures against one Temporal server, with a fresh worker, task queue and tenant. */
async function measure(temporalServer: DevServer): Promise<Figures> {
  const connection = await Connection.connect({ address: temporalServer.address });
  const temporal = new Client({ connection });
  const native = await NativeConnection.connect({ address: temporalServer.address });
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
    activities: { ...createActivities({ db, digipost, temporal }), noop: async () => undefined },
  });
  const workerRun = worker.run();
  const { tenantId, key } = await benchTenant(db);
  const app = createApp({
    db,
    temporal,
    taskQueue,
    logger: pino({ level: 'silent' }),
    outbound: { deliveryPollInterval: '1 second' },
  });
  const http = app.listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  const addr = http.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };

  async function parallel(n: number, fn: (i: number) => Promise<unknown>, width = 50) {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < n) await fn(next++);
      }),
    );
  }
  const count = async (status: LetterStatus) =>
    (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(letters)
        .where(and(eq(letters.tenantId, tenantId), eq(letters.status, status)))
    )[0]!.n;
  try {
    // warm-up: the workflow bundle and caches
    await temporal.workflow.execute('bareWorkflow', { taskQueue, workflowId: `warm-${randomUUID()}` });

    let t = performance.now();
    await parallel(N, (i) =>
      temporal.workflow.execute('bareWorkflow', { taskQueue, workflowId: `bare-${i}-${randomUUID()}` }),
    );
    const bare = N / ((performance.now() - t) / 1000);

    t = performance.now();
    await parallel(N, async () => {
      const res = await fetch(`${base}/v1/letters`, {
        method: 'POST',
        headers,
        body: JSON.stringify(
          sampleLetterRequest({ caseId: `BENCH-${randomUUID().slice(0, 8)}`, nationalId: '01019010046' }),
        ),
      });
      if (res.status !== 202) throw new Error(`POST /v1/letters → ${res.status} ${await res.text()}`);
    });
    await until('queued', async () => (await count('QUEUED')) === N, HOUR, 100);
    const produced = N / ((performance.now() - t) / 1000);

    t = performance.now();
    const run = await fetch(`${base}/v1/runs`, { method: 'POST', headers });
    if (run.status !== 202) throw new Error(`POST /v1/runs → ${run.status}`);
    await until('sent', async () => (await count('SENT_DIGITAL')) === N, HOUR, 100);
    const sent = N / ((performance.now() - t) / 1000);
    return { bare, produced, sent };
  } finally {
    http.close();
    worker.shutdown();
    await workerRun;
    await connection.close();
    await native.close();
  }
}

const targets: { name: string; start: () => Promise<DevServer> }[] = [
  {
    name: 'dev server (SQLite mem)',
    start: () => startDevServer({ port: 32000 + Math.floor(Math.random() * 1000) }),
  },
];
// `npm run bench:cluster`: the same figures against the full server on PostgreSQL (temporal/cluster.ts),
// measured after the dev server's in the same run, on the bench's PostgreSQL.
if (process.argv.includes('--cluster'))
  targets.push({
    name: 'server 1.31.2 (Postgres)',
    start: () => {
      return startCluster({
        sql: clusterSqlFrom(env, url),
        port: 24000 + Math.floor(Math.random() * 500),
        historyShards: env.TEMPORAL_HISTORY_SHARDS,
        namespace: 'default',
        dir: join(mkdtempSync(join(tmpdir(), 'postgang-bench-cluster-')), 'cluster'),
        log: say,
      });
    },
  });

const results: { name: string; figures: Figures }[] = [];
try {
  say(`postgang bench: ${N} of each, ${embedded ? 'embedded' : 'external'} PostgreSQL`);
  for (const target of targets) {
    say(`measuring on the ${target.name}…`);
    const server = await target.start();
    try {
      results.push({ name: target.name, figures: await measure(server) });
    } finally {
      await server.stop();
    }
  }
  const cell = (rate: number, bare: number) =>
    `${rate.toFixed(1).padStart(7)} /s ${(rate / bare).toFixed(2).padStart(5)} ×`;
  say('');
  say(`${''.padEnd(44)} ${results.map((r) => r.name.padEnd(22)).join('  ')}`);
  for (const [label, key] of [
    ['baseline: bare workflow, one no-op activity', 'bare'],
    ['letters produced and queued (API → QUEUED)', 'produced'],
    ['letters sent in one run (run → Sendt web)', 'sent'],
  ] as const)
    say(
      `${label.padEnd(44)} ${results.map((r) => cell(r.figures[key], r.figures.bare).padEnd(22)).join('  ')}`,
    );
  say('(× = ratio to the bare-workflow baseline on the same server)');
} finally {
  await sim.close();
  await close();
  await embedded?.stop();
}
