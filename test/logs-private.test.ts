// No personal data in any log line of any process, whatever fails. The API and the worker run as their own
// processes (api/main.ts, worker/main.ts, at LOG_LEVEL=debug) against PostgreSQL, a Temporal dev server and the
// Digipost simulator; their output is captured. Then the failure paths run with a known national id, name and
// address: the database refuses the API's insert (as a revoked privilege would: drizzle's error quotes every query
// parameter), the database refuses the worker's correction (the same, in an activity, retried until the
// refusal is lifted), and hostile input is refused at the edge. The test first checks that each failure was
// logged, so it cannot pass by logging nothing, then that no line holds the national id, the name or the address.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { NON_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';

const SECRETS = [NON_USER, 'Hemmelig', 'Løvstien 17'];
const name = 'Ola Hemmelig';

const logs: Record<'api' | 'worker', string[]> = { api: [], worker: [] };
const children: ChildProcess[] = [];
let base: string;

function start(part: 'api' | 'worker', env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', `${part}/main.ts`], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: sys.temporalServer.address,
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      // the tests share one database: this worker's letter sweeper keeps to this file's tenant
      LETTER_SWEEP_TENANTS: sys.tenant.id,
      LOG_LEVEL: 'debug',
      // nothing here may reach outside this machine
      SVARINN_BASE_URL: 'http://127.0.0.1:9/',
      ARCHIVE_BASE_URL: 'http://127.0.0.1:9/noark5v5/api/',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer) => logs[part].push(...b.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  children.push(child);
}

const sys = useTestSystem({ withWorker: false });

beforeAll(async () => {
  await sys.db.execute(refuseFunction);
  const keyFile = join(mkdtempSync(join(tmpdir(), 'postgang-key-')), 'broker.pem');
  writeFileSync(keyFile, sys.brokerKeyPem);
  const port = 26000 + Math.floor(Math.random() * 2000);
  base = `http://127.0.0.1:${port}`;
  start('worker', {
    DIGIPOST_BASE_URL: sys.sim.url,
    DIGIPOST_PRIVATE_KEY_FILE: keyFile,
    RUN_DELIVERY_POLL_INTERVAL: '1 second',
  });
  start('api', { API_PORT: String(port), RUN_DELIVERY_POLL_INTERVAL: '1 second' });
  await until('the API process', async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok);
}, 180_000);

// The database refuses letter rows as a revoked privilege would (SQLSTATE 42501, PostgreSQL's own words), by a
// trigger rather than a REVOKE: the embedded PostgreSQL of a plain `npm test` connects as a superuser, whom no
// REVOKE stops.
const refuseFunction =
  sql.raw(`create or replace function logs_private_refuse() returns trigger language plpgsql
  as $$ begin raise exception 'permission denied for table letters' using errcode = 'insufficient_privilege'; end $$`);
const refuse = (op: 'insert' | 'update') =>
  sql.raw(
    `create trigger logs_private_refused before ${op} on letters for each row execute function logs_private_refuse()`,
  );
const refuseNothing = sql.raw('drop trigger if exists logs_private_refused on letters');

afterAll(async () => {
  await sys?.db.execute(refuseNothing);
  await Promise.all(
    children.map(
      (c) =>
        new Promise((r) => {
          if (c.exitCode !== null) return r(undefined);
          c.once('exit', r);
          c.kill('SIGTERM');
        }),
    ),
  );
});

const api = (path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...sys.auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const letter = async (id: string) =>
  (await (await api(`/v1/letters/${id}`)).json()) as { status: string; version: number };
const request = (address: { lines: string[]; postalCode?: string; city?: string }) => {
  const r = letterRequest(NON_USER, { address });
  return { ...r, recipient: { ...r.recipient, name } };
};

describe('logs', () => {
  it('hold no national id, name or address when the API’s database query fails', async () => {
    await sys.db.execute(refuse('insert'));
    try {
      const res = await api(
        '/v1/letters',
        request({ lines: ['Løvstien 17'], postalCode: '0150', city: 'OSLO' }),
      );
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe('internal error');
    } finally {
      await sys.db.execute(refuseNothing);
    }
    await until('the failure in the API log', async () =>
      logs.api.some((l) => l.includes('unhandled error') && l.includes('permission denied')),
    );
  });

  it('hold none when the worker’s activity fails on the database, nor for refused input', async () => {
    const created = await api('/v1/letters', request({ lines: ['Løvstien 17'], city: 'OSLO' }));
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await until('queued', async () => (await letter(id)).status === 'QUEUED');
    expect((await api('/v1/runs', {})).status).toBe(202);
    await until('not sent', async () => (await letter(id)).status === 'NOT_SENT');

    await sys.db.execute(refuse('update'));
    try {
      const correction = { name, address: { lines: ['Løvstien 17'], postalCode: '0150', city: 'OSLO' } };
      expect((await api(`/v1/letters/${id}/correction`, correction)).status).toBe(202);
      await until('the activity failure in the worker log', async () =>
        logs.worker.some((l) => l.includes('permission denied for table letters')),
      );
    } finally {
      await sys.db.execute(refuseNothing);
    }
    await until('corrected once the database takes it', async () => {
      const l = await letter(id);
      return l.version === 2 && l.status === 'QUEUED';
    });

    const hostile = request({ lines: ['Løvstien 17\u0000'], postalCode: '0150', city: 'OSLO' });
    expect((await api('/v1/letters', hostile)).status).toBe(400);
    expect((await api(`/v1/inbound?sender=${encodeURIComponent(name)}%00`)).status).toBe(400);
  });

  it('of every process: not one line holds the national id, the name or the address', () => {
    expect(logs.api.length).toBeGreaterThan(0);
    expect(logs.worker.length).toBeGreaterThan(0);
    for (const [part, lines] of Object.entries(logs))
      for (const line of lines)
        for (const secret of SECRETS) expect(line, `${part} logged personal data`).not.toContain(secret);
  });
});
