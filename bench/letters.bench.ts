// `npm run bench [-- --letters N]`: letters end to end on this machine (first POST /v1/letters to the last
// Sendt web), next to a bare workflow of the letter's own shape measured in the same run, and the same number
// of letters again submitted through POST /v1/letters/bulk (1,000 a request; `--no-bulk` leaves that batch out).
// The worker and the API run as their own processes (as under `npm start`); their RSS is shown at start and end
// and the worker's across each tenth of the run, the API's latency (p50/p99) while letters are posted, and a
// progress line while it runs.
//
// `npm run bench:faults [-- --letters N]` adds: the same number of letters again with 20 % of Digipost calls
// failing (the ratio of the two runs' send times), and a third batch sent while the worker is SIGKILLed three
// times, Temporal is stopped and started again after the batch is committed, and Digipost keeps failing 20 %;
// it ends by checking every letter: exactly one message at Digipost, and its workflow in step with the database.
import { randomUUID, generateKeyPairSync } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadEnv } from '../config/env';
import { openDatabase } from '../db/connection';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { letterDocuments, letters, runs } from '../db/schema';
import { benchTenant } from './tenant';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { dataConverterFor } from '../temporal/data-converter';
import { startDigipostSimulator } from '../simulators/digipost/server';
import { sampleLetterRequest } from '../documents/testing/sample-data';
import { letterState } from '../workflows/letter-messages';
import { letterWorkflowId } from '../domain/workflow-ids';
import { outcome } from './workflows';
import { until } from '../test/support/until';

const { values: flags } = parseArgs({
  options: {
    letters: { type: 'string' },
    faults: { type: 'boolean', default: false },
    // leave out the bulk batch (a long run measures the one-request-a-letter path alone)
    'no-bulk': { type: 'boolean', default: false },
    // write V8 CPU profiles of the worker and the API (node --cpu-prof) into this folder
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(flags.letters ?? process.env.BENCH_LETTERS ?? 1000);
if (!Number.isInteger(N) || N < 1)
  throw new Error(`--letters must be a positive integer, got ${flags.letters}`);
const FAULTS = flags.faults ?? false;
const BULK = !flags['no-bulk'];
const env = loadEnv();
const say = (m: string) => process.stdout.write(`${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOUR = 3_600_000; // the longest wait for a phase of the benchmark

// ---- the system: PostgreSQL, Temporal, the Digipost simulator, worker and API as processes ----
let embedded: EmbeddedDatabase | undefined;
let url = env.DATABASE_URL;
const dir = mkdtempSync(join(tmpdir(), 'postgang-bench-'));
chmodSync(dir, 0o755);
if (!url) {
  embedded = await startEmbeddedPostgres(join(dir, 'pg'), 30000 + Math.floor(Math.random() * 2000));
  url = embedded.url;
}
const temporalOpts = {
  port: 32000 + Math.floor(Math.random() * 1000),
  // its Prometheus metrics: Temporal requests per letter, by operation
  metricsPort: 34000 + Math.floor(Math.random() * 1000),
  // the fault bench restarts Temporal, so its state lives in a file; the plain bench keeps it in memory
  ...(FAULTS ? { dbFile: join(dir, 'temporal.db') } : {}),
};
let temporalServer: DevServer = await startDevServer(temporalOpts);
const { db, close } = await openDatabase(url);
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyFile = join(dir, 'broker.pem');
writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
const sim = await startDigipostSimulator();
sim.addBroker('9999', keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
sim.setPerson('01019010046', { kind: 'DIGIPOST' });
const dataConverter = dataConverterFor(env);
const connection = await Connection.connect({ address: temporalServer.address });
const temporal = new Client({ connection, dataConverter });
const taskQueue = `bench-${randomUUID()}`;

const { tenantId, key } = await benchTenant(db);
const apiPort = 33000 + Math.floor(Math.random() * 1000);
const childEnv = {
  ...process.env,
  DATABASE_URL: url,
  TEMPORAL_ADDRESS: temporalServer.address,
  TEMPORAL_TASK_QUEUE: taskQueue,
  DIGIPOST_BASE_URL: sim.url,
  DIGIPOST_PRIVATE_KEY_FILE: keyFile,
  API_PORT: String(apiPort),
  RUN_DELIVERY_POLL_INTERVAL: '1 second',
  DIGIPOST_EVENTS_INTERVAL: '5 seconds',
  LETTER_SWEEP_INTERVAL: '10 seconds',
  LETTER_SWEEP_GRACE_SECONDS: '30',
  LETTER_SWEEP_TENANTS: tenantId,
  LOG_LEVEL: 'error',
};
const sqlStatsFile = (part: 'worker' | 'api') => join(dir, `${part}-sql.json`);
const profile = flags['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', flags['cpu-prof']] : [];
const spawnPart = (part: 'worker' | 'api'): ChildProcess =>
  spawn(process.execPath, [...profile, '--import', 'tsx', `${part}/main.ts`], {
    // each part counts the SQL statements it sends (db/connection.ts), for the per-letter figures
    env: { ...childEnv, POSTGANG_SQL_STATS_FILE: sqlStatsFile(part) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
let workerProcess = spawnPart('worker');
const apiProcess = spawnPart('api');
const stopChild = async (c: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') => {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill(signal);
  await exited;
};

// the baseline's own worker, in this process, on its own task queue
const native = await NativeConnection.connect({ address: temporalServer.address });
const bareQueue = `${taskQueue}-bare`;
const bareWorker = await Worker.create({
  connection: native,
  taskQueue: bareQueue,
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  activities: { noop: async () => undefined },
});
const bareRun = bareWorker.run();

// ---- measuring ----
const base = `http://127.0.0.1:${apiPort}`;
const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
const rssMb = (pid: number | undefined) => {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : NaN;
  } catch {
    return NaN; // the process is gone (killed by the fault bench) until it is started again
  }
};
const peak = { worker: 0, api: 0 };
/** The worker's RSS each second while the letters' batch runs: is it flat across the run? */
let rssSeries: number[] | undefined;
const sampler = setInterval(() => {
  const worker = rssMb(workerProcess.pid) || 0;
  peak.worker = Math.max(peak.worker, worker);
  peak.api = Math.max(peak.api, rssMb(apiProcess.pid) || 0);
  rssSeries?.push(worker);
}, 1000);

/** What the worker, the API and the Temporal server have done so far, counted (see `perLetter`). */
interface Counted {
  sql: Record<'worker' | 'api', Map<string, number>>;
  temporal: Map<string, number>;
}
const TICK_MS = 10; // /proc's clock ticks (USER_HZ 100 on Linux)
/** A process's CPU time (user + system, ms) from /proc; 0 when it is gone. */
const cpuMsOf = (pid: number | undefined): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return 0;
  }
};
/** Every PostgreSQL process on this machine (an external server may serve others too: read it as an upper bound). */
const postgresCpuMs = (): number => {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += cpuMsOf(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
};
const cpuNow = (): Map<string, number> => {
  const own = process.cpuUsage();
  return new Map([
    ['Temporal server', cpuMsOf(temporalServer.pid)],
    ['worker', cpuMsOf(workerProcess.pid)],
    ['API', cpuMsOf(apiProcess.pid)],
    ['PostgreSQL (every postgres process)', postgresCpuMs()],
    ['bench process (Digipost simulator, 50 clients)', (own.user + own.system) / 1000],
  ]);
};
const readSql = (part: 'worker' | 'api') => {
  try {
    return new Map(
      Object.entries(JSON.parse(readFileSync(sqlStatsFile(part), 'utf8')) as Record<string, number>),
    );
  } catch {
    return new Map<string, number>();
  }
};
async function counted(): Promise<Counted> {
  await sleep(1500); // the parts write their statement counts every second
  const temporalCounts = new Map<string, number>();
  const text = await fetch(`http://127.0.0.1:${temporalOpts.metricsPort}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  for (const m of text.matchAll(/^service_requests\{([^}]*)\} (\d+(?:\.\d+)?(?:e\+\d+)?)$/gm)) {
    const labels = m[1]!;
    if (!labels.includes('service_name="frontend"') || !labels.includes('namespace="default"')) continue;
    const op = /operation="([^"]+)"/.exec(labels)?.[1] ?? '?';
    temporalCounts.set(op, (temporalCounts.get(op) ?? 0) + Number(m[2]));
  }
  return {
    sql: { worker: readSql('worker'), api: readSql('api') },
    temporal: temporalCounts,
  };
}
/** Differences between two counts, per letter, largest first. */
function perLetter(before: Map<string, number>, after: Map<string, number>, n: number) {
  return [...after]
    .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]);
}

async function parallel(n: number, fn: (i: number) => Promise<unknown>, width = 50) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}
const counts = async (batch: string) => {
  const rows = await db
    .select({ status: letters.status, n: sql<number>`count(*)::int` })
    .from(letters)
    .where(and(eq(letters.tenantId, tenantId), sql`${letters.caseId} like ${`${batch}-%`}`))
    .groupBy(letters.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
};
let progress = '';
const ticker = setInterval(() => process.stdout.write(`\r${progress.padEnd(100)}`), 1000);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function waitForApi() {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(500);
  }
  throw new Error('the API did not come up');
}

const letterBody = (caseId: string) => sampleLetterRequest({ caseId, nationalId: '01019010046' });

/** Posts n letters (50 clients) as batch `name`; returns the POST latencies (ms). */
async function postLetters(name: string, n: number): Promise<number[]> {
  const latencies: number[] = [];
  await parallel(n, async (i) => {
    const t = performance.now();
    const res = await fetch(`${base}/v1/letters`, {
      method: 'POST',
      headers,
      body: JSON.stringify(letterBody(`${name}-${i}`)),
    });
    latencies.push(performance.now() - t);
    if (res.status !== 202) throw new Error(`POST /v1/letters → ${res.status} ${await res.text()}`);
  });
  return latencies;
}

/** Posts n letters through POST /v1/letters/bulk, 1,000 a request (2 clients); returns the request latencies. */
async function postBulk(name: string, n: number): Promise<number[]> {
  const latencies: number[] = [];
  const requests = Math.ceil(n / BULK_SIZE);
  await parallel(
    requests,
    async (r) => {
      const from = r * BULK_SIZE;
      const items = Array.from({ length: Math.min(BULK_SIZE, n - from) }, (_, i) =>
        letterBody(`${name}-${from + i}`),
      );
      const t = performance.now();
      const res = await fetch(`${base}/v1/letters/bulk`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ letters: items }),
      });
      latencies.push(performance.now() - t);
      const answer = (await res.json()) as { accepted?: number };
      if (res.status !== 200 || answer.accepted !== items.length)
        throw new Error(`POST /v1/letters/bulk → ${res.status} ${JSON.stringify(answer).slice(0, 500)}`);
    },
    2,
  );
  return latencies;
}
const BULK_SIZE = 1000;
/** How often a batch's progress is read from PostgreSQL (the end of a phase is known to within this). */
const POLL_MS = 1000;

interface Phase {
  queuedS: number;
  sendS: number;
  totalS: number;
  latencies: number[];
  /** CPU time by process at the first POST, when every letter was queued, and when every letter was sent. */
  cpu: { start: Map<string, number>; queued: Map<string, number>; sent: Map<string, number> };
}

/** One batch end to end: post, wait until queued, send the run, wait until every letter is Sendt web. */
async function letterBatch(
  name: string,
  n: number,
  during?: { runId?: (runId: string) => Promise<void>; bulk?: boolean },
): Promise<Phase> {
  const cpuStart = cpuNow();
  const t0 = performance.now();
  const posting = during?.bulk ? postBulk(name, n) : postLetters(name, n);
  const show = async (stage: string) => {
    const c = await counts(name);
    progress = `${name}: ${stage}  queued ${(c.QUEUED ?? 0) + (c.WAITING ?? 0) + (c.SENT_DIGITAL ?? 0)}/${n}  sent ${c.SENT_DIGITAL ?? 0}/${n}  ${((performance.now() - t0) / 1000).toFixed(0)} s`;
    return c;
  };
  // once a second: the count is the bench's own work on PostgreSQL, not the letters' (the baseline polls nothing)
  await until('queued', async () => ((await show('producing')).QUEUED ?? 0) === n, HOUR, POLL_MS);
  const latencies = await posting;
  const tq = performance.now();
  const cpuQueued = cpuNow();
  const run = await fetch(`${base}/v1/runs`, { method: 'POST', headers });
  if (run.status !== 202) throw new Error(`POST /v1/runs → ${run.status} ${await run.text()}`);
  const { id: runId } = (await run.json()) as { id: string };
  const chaos = during?.runId?.(runId);
  await until('sent', async () => ((await show('sending')).SENT_DIGITAL ?? 0) === n, HOUR, POLL_MS);
  await chaos;
  const te = performance.now();
  return {
    queuedS: (tq - t0) / 1000,
    sendS: (te - tq) / 1000,
    totalS: (te - t0) / 1000,
    latencies,
    cpu: { start: cpuStart, queued: cpuQueued, sent: cpuNow() },
  };
}

try {
  const load = loadavg().map((l) => l.toFixed(1));
  say(
    `postgang bench: ${N} letters; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB, load ${load.join(' ')} at start`,
  );
  say(
    `Temporal CLI dev server (${FAULTS ? 'SQLite file' : 'in memory'}), ${embedded ? 'embedded' : 'external'} PostgreSQL, worker and API as processes`,
  );
  await waitForApi();
  // warm-up: the worker's workflow bundle, the API's first requests, the baseline's bundle
  await letterBatch('WARM', 2);
  const warm = await temporal.workflow.start('sameShapeWorkflow', {
    taskQueue: bareQueue,
    workflowId: `warm-${randomUUID()}`,
  });
  await warm.signal(outcome);
  await warm.result();
  const rssStart = { worker: rssMb(workerProcess.pid), api: rssMb(apiProcess.pid) };

  // the same-shape baseline: N started by 50 clients, each runs its activity, then all are signalled
  const cpuBareBefore = cpuNow();
  const t = performance.now();
  const handles: Awaited<ReturnType<typeof temporal.workflow.start>>[] = [];
  await parallel(N, async (i) => {
    handles.push(
      await temporal.workflow.start('sameShapeWorkflow', {
        taskQueue: bareQueue,
        workflowId: `same-${i}-${randomUUID()}`,
      }),
    );
    progress = `baseline: started ${handles.length}/${N}`;
  });
  await parallel(handles.length, (i) => handles[i]!.signal(outcome), 8);
  await parallel(handles.length, (i) => handles[i]!.result(), 50);
  const bare = N / ((performance.now() - t) / 1000);
  const cpuBareAfter = cpuNow();

  const countedBefore = await counted();
  rssSeries = [];
  const main = await letterBatch('BENCH', N);
  const workerRss = rssSeries;
  rssSeries = undefined;
  const countedAfter = await counted();
  const sorted = [...main.latencies].sort((a, b) => a - b);
  // the same number of letters again, submitted through POST /v1/letters/bulk
  const bulk = BULK ? await letterBatch('BULK', N, { bulk: true }) : undefined;
  const rssEnd = { worker: rssMb(workerProcess.pid), api: rssMb(apiProcess.pid) };

  let faulty: Phase | undefined;
  let chaotic: Phase | undefined;
  const chaosLog: string[] = [];
  if (FAULTS) {
    sim.fault({ kind: 'status', status: 503, rate: 0.2 });
    faulty = await letterBatch('FAULTY', N);
    chaotic = await letterBatch('CHAOS', N, {
      runId: async (runId) => {
        const sentCount = async () => (await counts('CHAOS')).SENT_DIGITAL ?? 0;
        const submitted = async () =>
          (
            await db
              .select({ n: sql<number>`count(*)::int` })
              .from(letters)
              .where(and(eq(letters.runId, runId), sql`${letters.submittedAt} is not null`))
          )[0]!.n;
        for (const [what, share, measure] of [
          ['submitting', 0.3, submitted],
          ['confirming', 0.2, sentCount],
          ['confirming', 0.6, sentCount],
        ] as const) {
          await until('the moment', async () => (await measure()) >= share * N, HOUR);
          await stopChild(workerProcess, 'SIGKILL');
          chaosLog.push(`worker SIGKILLed while ${what}`);
          workerProcess = spawnPart('worker');
          if (what === 'submitting') {
            await until(
              'committed',
              async () => {
                const [r] = await db.select({ s: runs.status }).from(runs).where(eq(runs.id, runId));
                return r?.s === 'COMMITTED';
              },
              HOUR,
            );
            await temporalServer.stop();
            await sleep(5_000);
            temporalServer = await startDevServer(temporalOpts);
            chaosLog.push('Temporal stopped for 5 s after the batch was committed, started again');
          }
        }
      },
    });
    sim.clearFaults();
  }

  // ---- report ----
  clearInterval(ticker);
  process.stdout.write(`\r${''.padEnd(100)}\r`);
  const row = (name: string, value: string, note = '') =>
    say(`${name.padEnd(52)} ${value.padStart(12)}   ${note}`);
  const rate = (p: Phase, n = N) => n / p.totalS;
  say('');
  row('baseline: same-shape bare workflow, end to end', `${bare.toFixed(1)} /s`);
  row(
    `letters end to end (first POST → last Sendt web)`,
    `${rate(main).toFixed(1)} /s`,
    `${(rate(main) / bare).toFixed(2)} × baseline; ${main.totalS.toFixed(0)} s`,
  );
  row('  produced and queued (POST → I kø)', `${(N / main.queuedS).toFixed(1)} /s`);
  row('  sent in one run (run → Sendt web)', `${(N / main.sendS).toFixed(1)} /s`);
  row('  100,000 letters at this rate', `${(100_000 / rate(main) / 3600).toFixed(2)} h`, 'extrapolated');
  row(
    'POST /v1/letters latency p50 / p99',
    `${pct(sorted, 0.5).toFixed(0)} / ${pct(sorted, 0.99).toFixed(0)} ms`,
  );
  if (bulk) {
    row(
      `letters via bulk (${BULK_SIZE} a request), end to end`,
      `${rate(bulk).toFixed(1)} /s`,
      `${(rate(bulk) / rate(main)).toFixed(2)} × one request a letter; ${bulk.totalS.toFixed(0)} s`,
    );
    row('  produced and queued (first bulk POST → I kø)', `${(N / bulk.queuedS).toFixed(1)} /s`);
    const bulkSorted = [...bulk.latencies].sort((a, b) => a - b);
    row(
      'POST /v1/letters/bulk latency p50 / max',
      `${pct(bulkSorted, 0.5).toFixed(0)} / ${bulkSorted.at(-1)!.toFixed(0)} ms`,
      `${bulkSorted.length} request${bulkSorted.length === 1 ? '' : 's'}`,
    );
  }
  row('worker RSS start → end (peak)', `${rssStart.worker} → ${rssEnd.worker} MB`, `peak ${peak.worker} MB`);
  row('API RSS start → end (peak)', `${rssStart.api} → ${rssEnd.api} MB`, `peak ${peak.api} MB`);
  // each tenth of the letters' batch (each second, if it was shorter than ten): the highest RSS the worker had
  const parts = Math.min(10, workerRss.length);
  const tenths = Array.from({ length: parts }, (_, k) =>
    Math.max(
      ...workerRss.slice(
        Math.floor((k * workerRss.length) / parts),
        Math.floor(((k + 1) * workerRss.length) / parts),
      ),
    ),
  );
  row(
    'worker RSS across the letters (each tenth, max)',
    `${Math.max(0, ...tenths)} MB`,
    `${tenths.join(' ')} MB`,
  );
  // counts do not depend on the machine's load: the work each letter costs, end to end
  const sum = (rows: (readonly [string, number])[]) => rows.reduce((a, [, v]) => a + v, 0);
  const temporalPer = perLetter(countedBefore.temporal, countedAfter.temporal, N);
  const polls = (op: string) => op.startsWith('Poll');
  row(
    'Temporal requests per letter (frontend)',
    (sum(temporalPer) - sum(temporalPer.filter(([op]) => polls(op)))).toFixed(1),
    'without polls: ' +
      temporalPer
        .filter(([op]) => !polls(op))
        .map(([op, v]) => `${op} ${v.toFixed(2)}`)
        .join(', '),
  );
  row(
    '  polls per letter',
    sum(temporalPer.filter(([op]) => polls(op))).toFixed(1),
    temporalPer
      .filter(([op]) => polls(op))
      .map(([op, v]) => `${op} ${v.toFixed(2)}`)
      .join(', '),
  );
  // where the time goes: CPU time per letter by process, over the batch (first POST to last Sendt web)
  const cpuPer = (before: Map<string, number>, after: Map<string, number>) =>
    [...after].map(([name, ms]) => [name, (ms - (before.get(name) ?? 0)) / N] as const);
  // and how busy the machine was: CPU time over wall time × cores (1.0 = every core busy all the time)
  const busy = (per: (readonly [string, number])[], seconds: number) =>
    `${((sum(per) * N) / (seconds * 1000 * cpus().length)).toFixed(2)} of the cores busy`;
  const { cpu } = main;
  for (const [what, per, seconds] of [
    ['CPU time per bare workflow (baseline)', cpuPer(cpuBareBefore, cpuBareAfter), N / bare],
    ['CPU time per letter, end to end', cpuPer(cpu.start, cpu.sent), main.totalS],
    ['  while producing (POST → I kø)', cpuPer(cpu.start, cpu.queued), main.queuedS],
    ['  while sending (run → Sendt web)', cpuPer(cpu.queued, cpu.sent), main.sendS],
  ] as const)
    row(
      what,
      `${sum(per).toFixed(1)} ms`,
      `${busy(per, seconds)}: ${per.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')}`,
    );
  for (const part of ['api', 'worker'] as const) {
    const rows = perLetter(countedBefore.sql[part], countedAfter.sql[part], N);
    row(`SQL statements per letter (${part})`, sum(rows).toFixed(1));
    for (const [q, v] of rows.slice(0, 14)) say(`    ${v.toFixed(2).padStart(6)}  ${q}`);
  }
  if (faulty && chaotic) {
    row(
      'run with 20 % of Digipost calls failing',
      `${faulty.sendS.toFixed(1)} s`,
      `${(faulty.sendS / main.sendS).toFixed(2)} × the fault-free run's ${main.sendS.toFixed(1)} s`,
    );
    row(
      'run with kills, Temporal restart, 20 % faults',
      `${chaotic.sendS.toFixed(1)} s`,
      chaosLog.join('; '),
    );
    // every letter of every batch: one message at Digipost, and its workflow in step with the database
    const all = await db
      .select({
        id: letters.id,
        status: letters.status,
        version: letters.version,
        uuid: letterDocuments.documentUuid,
      })
      .from(letters)
      .innerJoin(letterDocuments, eq(letterDocuments.letterId, letters.id))
      .where(
        and(
          eq(letters.tenantId, tenantId),
          inArray(sql`split_part(${letters.caseId}, '-', 1)`, ['BENCH', 'FAULTY', 'CHAOS']),
        ),
      );
    const perDocument = new Map<string, number>();
    for (const m of sim.messages)
      for (const d of m.documents) perDocument.set(d.uuid, (perDocument.get(d.uuid) ?? 0) + 1);
    const once = all.filter((l) => perDocument.get(l.uuid) === 1).length;
    let inStep = 0;
    const outOfStep: string[] = [];
    await parallel(
      all.length,
      async (i) => {
        const l = all[i]!;
        const wf = await temporal.workflow.getHandle(letterWorkflowId(l.id)).query(letterState);
        if (wf.status === l.status && wf.version === l.version) inStep++;
        else outOfStep.push(`${l.id}: database ${l.status}, workflow ${wf.status}`);
      },
      16,
    );
    row('exactly one message at Digipost', `${once} of ${all.length}`);
    row('workflow in step with the database', `${inStep} of ${all.length}`);
    for (const o of outOfStep.slice(0, 10)) say(`  out of step: ${o}`);
    if (once !== all.length || inStep !== all.length) process.exitCode = 1;
  }
} finally {
  clearInterval(ticker);
  clearInterval(sampler);
  await stopChild(apiProcess);
  await stopChild(workerProcess);
  bareWorker.shutdown();
  await bareRun;
  await connection.close();
  await native.close();
  await sim.close();
  await close();
  await temporalServer.stop();
  await embedded?.stop();
}
