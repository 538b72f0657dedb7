// `npm run bench:preview [-- --letters N]` (default 5,000): times POST /v1/runs/preview over N queued letters of
// distinct recipients, first with an empty identification cache (N identification calls to the Digipost
// simulator, PREVIEW_IDENTIFY_CONCURRENCY in flight) and then with every identification cached, and
// extrapolates both to 100,000 letters. Needs DATABASE_URL; the letters are written straight into the database
// (a fresh tenant), so only the preview itself is measured.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { Client } from '@temporalio/client';
import { openDatabase } from '../db/connection';
import { createApp } from '../api/app';
import { letterDocuments, letters } from '../db/schema';
import { loadEnv } from '../config/env';
import { isValidNationalId } from '../domain/national-id';
import { digipostForTests } from '../test/support/digipost';
import { tenantForTests } from '../test/support/tenants';

const arg = process.argv.indexOf('--letters');
const n = arg > 0 ? Number(process.argv[arg + 1]) : 5_000;
const env = loadEnv();
if (!env.DATABASE_URL) throw new Error('set DATABASE_URL');

/** N valid national ids; every third one a Digipost user, the rest unknown to Digipost. */
function people(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const id = `${String(101 + Math.floor(i / 100_000))
      .padStart(2, '0')
      .slice(-2)}0190${String(i % 100_000).padStart(5, '0')}`;
    if (isValidNationalId(id)) out.push(id);
  }
  return out;
}

const { db, close } = await openDatabase(env.DATABASE_URL);
const dp = await digipostForTests();
const { tenant, auth } = await tenantForTests(db);
const ids = people(n);
ids.forEach((id, i) => i % 3 === 0 && dp.sim.setPerson(id, { kind: 'DIGIPOST' }));
for (let i = 0; i < n; i += 1000) {
  const page = ids.slice(i, i + 1000).map((nationalId, j) => ({
    id: randomUUID(),
    nationalId,
    complete: (i + j) % 10 !== 0,
  }));
  await db.insert(letters).values(
    page.map((l) => ({
      id: l.id,
      tenantId: tenant.id,
      caseId: `BENCH-${l.id.slice(0, 8)}`,
      templateCode: 'IKV_inkassovarsel',
      status: 'QUEUED' as const,
      recipient: {
        name: 'Kari Nordmann',
        nationalId: l.nationalId,
        address: l.complete
          ? { lines: ['Storgata 1'], postalCode: '0155', city: 'OSLO' }
          : { lines: ['Storgata 1'] },
      },
      mergeData: {},
    })),
  );
  await db.insert(letterDocuments).values(
    page.map((l) => ({
      letterId: l.id,
      version: 1,
      documentUuid: randomUUID(),
      pdf: '',
      sha256: '',
      pages: 2,
    })),
  );
}
const app = createApp({
  db,
  temporal: new Client(),
  taskQueue: 'unused',
  logger: pino({ level: 'silent' }),
  digipost: dp.client,
  preview: {
    cacheSeconds: env.DIGIPOST_IDENTIFICATION_CACHE_SECONDS,
    concurrency: env.PREVIEW_IDENTIFY_CONCURRENCY,
  },
});
const server: Server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const addr = server.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

async function preview(): Promise<{ ms: number; asked: number; cached: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/runs/preview?limit=0`, { method: 'POST', headers: auth });
  if (!res.ok) throw new Error(`preview → ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { identification: { asked: number; cached: number } };
  return { ms: performance.now() - t0, ...body.identification };
}

const cold = await preview();
const warm = await preview();
const per100k = (ms: number) => `${(((ms / n) * 100_000) / 1000 / 60).toFixed(1)} min`;
process.stdout.write(
  `${n} letters, concurrency ${env.PREVIEW_IDENTIFY_CONCURRENCY}\n` +
    `  empty cache: ${(cold.ms / 1000).toFixed(1)} s (${cold.asked} identified), 100,000 letters ≈ ${per100k(cold.ms)}\n` +
    `  all cached:  ${(warm.ms / 1000).toFixed(1)} s (${warm.cached} cached), 100,000 letters ≈ ${per100k(warm.ms)}\n`,
);
server.close();
await dp.sim.close();
await close();
