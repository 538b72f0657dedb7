// `npm run cluster:acceptance`: the 2,000-letter run and a worker kill against the full Temporal server on
// PostgreSQL (temporal/cluster.ts) with two worker processes (worker/main.ts, as in production). One worker is
// SIGKILLed while the run is sending; the other finishes the work. Checks: every letter final, one Digipost
// message per letter, each letter workflow's state equal to its database row. Prints what it saw (README).
// Needs DATABASE_URL (its user needs CREATEDB for Temporal's databases); the first argument sets the size
// (default 2,000).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../config/env';
import { openDatabase } from '../db/connection';
import { letters } from '../db/schema';
import { clusterSqlFrom, startCluster } from '../temporal/cluster';
import { createApp } from '../api/app';
import { dataConverterFor } from '../temporal/data-converter';
import { letterState } from '../workflows/letter-messages';
import { letterWorkflowId } from '../domain/workflow-ids';
import { sampleMergeData } from '../documents/testing/sample-data';
import { digipostForTests, DIGIPOST_USER, NON_USER } from '../test/support/digipost';
import { tenantForTests } from '../test/support/tenants';
import { until } from '../test/support/until';

const env = loadEnv();
const N = Number(process.argv[2] ?? 2000);
const say = (m: string) => process.stdout.write(`[cluster-acceptance] ${m}\n`);
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const port = Number(env.TEMPORAL_ADDRESS.split(':')[1] ?? 7233);
const cluster = await startCluster({
  sql: clusterSqlFrom(env, env.DATABASE_URL),
  port,
  historyShards: env.TEMPORAL_HISTORY_SHARDS,
  namespace: env.TEMPORAL_NAMESPACE,
  dir: '.data/cluster-acceptance',
  log: say,
});
const workers: { child: ChildProcess; exited: Promise<unknown> }[] = [];
const { db, close } = await openDatabase(env.DATABASE_URL);
const dp = await digipostForTests();
const connection = await Connection.connect({ address: cluster.address });
const temporal = new Client({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  dataConverter: dataConverterFor(env),
});
const taskQueue = `acceptance-${randomUUID()}`;
try {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'postgang-key-')), 'broker.pem');
  writeFileSync(keyFile, dp.privateKeyPem);
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: cluster.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        DIGIPOST_BASE_URL: dp.sim.url,
        DIGIPOST_PRIVATE_KEY_FILE: keyFile,
        RUN_DELIVERY_POLL_INTERVAL: '2 seconds',
        DIGIPOST_EVENTS_INTERVAL: '5 seconds',
        WORKER_HTTP_PORT: String(port + 3000 + 2 * i),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push({ child, exited: new Promise((r) => child.once('exit', r)) });
  }
  const api = createApp({
    db,
    temporal,
    taskQueue,
    logger: pino({ level: 'silent' }),
    outbound: { eventWindow: '1 hour', correctionWindow: '1 hour', deliveryPollInterval: '2 seconds' },
  });
  const http = api.listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  const addr = http.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const { tenant, auth } = await tenantForTests(db);
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const byStatus = async () =>
    Object.fromEntries(
      (
        await db
          .select({ status: letters.status, n: sql<number>`count(*)::int` })
          .from(letters)
          .where(eq(letters.tenantId, tenant.id))
          .groupBy(letters.status)
      ).map((r) => [r.status, r.n]),
    ) as Record<string, number>;

  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) {
        const i = next++;
        await call('/v1/letters', {
          caseId: `SAK-CLUSTER-${i}`,
          templateCode: 'IKV_inkassovarsel',
          recipient: {
            nationalId: i % 10 === 0 ? NON_USER : DIGIPOST_USER,
            name: 'Kari Nordmann',
            address: { lines: ['Storgata 1'], postalCode: '0155', city: 'OSLO' },
          },
          mergeData: sampleMergeData(),
        });
      }
    }),
  );
  await until('all queued', async () => (await byStatus()).QUEUED === N, 1_800_000);
  const queuedSeconds = (Date.now() - t0) / 1000;
  say(
    `${N} letters produced and queued in ${queuedSeconds.toFixed(0)} s (${(N / queuedSeconds).toFixed(1)} /s)`,
  );

  const t1 = Date.now();
  const run = await call<{ id: string }>('/v1/runs', {});
  const inRun = () => dp.sim.messages.filter((m) => m.batchUuid === run.id).length;
  await until('a third of the run at Digipost', async () => inRun() >= N / 3, 1_800_000);
  workers[0]!.child.kill('SIGKILL');
  await workers[0]!.exited;
  say(`worker 1 SIGKILLed with ${inRun()} of ${N} messages at Digipost; worker 2 carries on`);
  await until(
    'run done',
    async () => (await call<{ status: string }>(`/v1/runs/${run.id}`)).status === 'DONE',
    3_600_000,
  );
  const runSeconds = (Date.now() - t1) / 1000;
  say(`run DONE in ${runSeconds.toFixed(0)} s (${(N / runSeconds).toFixed(1)} letters/s)`);

  const counts = await byStatus();
  say(`letters by status: ${JSON.stringify(counts)}`);
  check(
    counts.SENT_DIGITAL === N * 0.9 && counts.SENT_PRINT === N * 0.1 && Object.keys(counts).length === 2,
    `every letter final: ${N * 0.9} SENT_DIGITAL, ${N * 0.1} SENT_PRINT`,
  );
  const perDocument = new Map<string, number>();
  for (const m of dp.sim.messages.filter((x) => x.batchUuid === run.id))
    for (const d of m.documents) perDocument.set(d.uuid, (perDocument.get(d.uuid) ?? 0) + 1);
  check(
    inRun() === N && perDocument.size === N && [...perDocument.values()].every((n) => n === 1),
    `one Digipost message per letter (${inRun()} messages, ${perDocument.size} documents)`,
  );
  const rows = await db
    .select({ id: letters.id, status: letters.status })
    .from(letters)
    .where(eq(letters.tenantId, tenant.id));
  let same = 0;
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (cursor < rows.length) {
        const row = rows[cursor++]!;
        const state = await temporal.workflow.getHandle(letterWorkflowId(row.id)).query(letterState);
        if (state.status === row.status) same++;
      }
    }),
  );
  check(same === N, `workflow state equal to the database for ${same} of ${N} letters`);
  http.close();
} finally {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await connection.close();
  await dp.sim.close();
  await close();
  await cluster.stop();
}
say(failures.length === 0 ? 'PASSED' : `FAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
