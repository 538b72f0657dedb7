// Metrics and readiness: after a small run, the API's /metrics counts the requests by route and status and the
// letters by status, and the worker's /metrics (a worker process as in production) shows the SDK's own series
// with the configured slots and the application's gauges. /ready answers 503 while the database is unreachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { pino } from 'pino';
import { DIGIPOST_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { workerProcesses, type WorkerProcess } from './support/worker-process';
import { createApp } from '../api/app';
import type { Db } from '../db/connection';

let worker: WorkerProcess | undefined;
const workerPort = 31000 + Math.floor(Math.random() * 2000) * 2;

/** The value of one series in Prometheus text, found by its name and a subset of its labels. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const sys = useTestSystem({ withWorker: false });

beforeAll(async () => {
  worker = workerProcesses(sys, {
    WORKER_HTTP_PORT: String(workerPort),
    WORKER_MAX_CONCURRENT_ACTIVITIES: '7',
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '5',
    WORKER_MAX_CACHED_WORKFLOWS: '50',
    METRICS_GAUGE_TTL_SECONDS: '0',
  })();
}, 180_000);

afterAll(async () => {
  await worker?.kill('SIGTERM');
});

describe('metrics after a small run', () => {
  it('counts requests, letters and runs, and shows the SDK series of the worker', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push((await sys.json<{ id: string }>('/v1/letters', { body: letterRequest(DIGIPOST_USER) })).id);
    expect((await sys.api('/v1/letters/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    for (const id of ids)
      await until(
        `letter ${id} queued`,
        async () => (await sys.json<{ status: string }>(`/v1/letters/${id}`)).status === 'QUEUED',
      );
    await sys.json('/v1/runs', { body: {} });
    for (const id of ids)
      await until(
        `letter ${id} sent`,
        async () => (await sys.json<{ status: string }>(`/v1/letters/${id}`)).status === 'SENT_DIGITAL',
      );

    const api = await (await fetch(`${sys.base}/metrics`)).text();
    const tenant = sys.tenant.id;
    expect(
      series(api, 'postgang_http_requests_total', { method: 'POST', route: '/v1/letters', status: '202' }),
    ).toBe(2);
    expect(
      series(api, 'postgang_http_requests_total', { method: 'GET', route: '/v1/letters/:id', status: '404' }),
    ).toBe(1);
    expect(
      series(api, 'postgang_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/letters',
        status: '202',
      }),
    ).toBe(2);
    expect(series(api, 'postgang_letters', { tenant, status: 'SENT_DIGITAL' })).toBe(2);
    expect(series(api, 'postgang_letters', { tenant, status: 'QUEUED' })).toBeUndefined();

    const ready = await until('worker ready', async () => {
      const r = await fetch(`http://127.0.0.1:${workerPort}/ready`).catch(() => undefined);
      return r?.status === 200 && r;
    });
    expect(await ready.json()).toEqual({ ready: true, database: true, temporal: true, worker: 'RUNNING' });
    const w = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
    const queue = { task_queue: sys.taskQueue };
    // the SDK's own series, carrying the configured worker settings (free + used slots = the limit)
    const slots = (worker_type: string) =>
      (series(w, 'temporal_worker_task_slots_available', { ...queue, worker_type }) ?? NaN) +
      (series(w, 'temporal_worker_task_slots_used', { ...queue, worker_type }) ?? NaN);
    expect(slots('ActivityWorker')).toBe(7);
    expect(slots('WorkflowWorker')).toBe(5);
    expect(series(w, 'temporal_sticky_cache_size', {})).toBeGreaterThan(0);
    // and the application's
    expect(series(w, 'postgang_letters', { tenant, status: 'SENT_DIGITAL' })).toBe(2);
    expect(series(w, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);

    // every series the Grafana dashboard draws is one these endpoints serve
    const dashboard = readFileSync('grafana/postgang-dashboard.json', 'utf8');
    const drawn = new Set(dashboard.match(/\b(postgang|temporal|process)_[a-z_]+/g));
    expect(drawn.size).toBeGreaterThan(8);
    // the SDK exports a failure counter from its first increment, and nothing fails in this run
    drawn.delete('temporal_activity_execution_failed');
    for (const name of drawn) {
      const family = name.replace(/_(bucket|count|sum)$/, '');
      expect(`${api}\n${w}`, name).toMatch(new RegExp(`^# TYPE ${family} |^${family}(_bucket)?\\{`, 'm'));
    }
  }, 180_000);

  it('answers /ready with 503 while the database is unreachable, /health still 200', async () => {
    const unreachable = postgres('postgres://nobody:x@127.0.0.1:1/none', { max: 1, connect_timeout: 2 });
    const app = createApp({
      db: drizzle(unreachable) as unknown as Db,
      temporal: sys.temporal,
      taskQueue: sys.taskQueue,
      logger: pino({ level: 'silent' }),
    });
    const http: Server = app.listen(0, '127.0.0.1');
    await new Promise((r) => http.once('listening', r));
    const addr = http.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    try {
      const res = await fetch(`${base}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'degraded', database: false, temporal: true });
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(500);
    } finally {
      http.close();
      await unreachable.end({ timeout: 1 });
    }
  }, 60_000);
});
