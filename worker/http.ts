// The worker's own HTTP endpoint: GET /metrics (the SDK runtime's Prometheus series, fetched from its exporter,
// followed by the application's), GET /health (liveness: the process answers) and GET /ready (503 until the
// worker polls, and while the database or Temporal cannot be reached).
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { readiness } from '../metrics/readiness';

export interface WorkerHttpDeps {
  db: Db;
  temporal: Client;
  registry: Registry;
  /** host:port of the SDK runtime's Prometheus exporter (Runtime.install telemetryOptions). */
  sdkMetricsAddress: string;
  /** The worker's state (`RUNNING` when it polls). */
  workerState: () => string;
}

export function startWorkerHttp(deps: WorkerHttpDeps, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    void (async () => {
      if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
      if (req.url === '/health') return send(200, 'application/json', '{"status":"ok"}');
      if (req.url === '/ready') {
        const checks = { ...(await readiness(deps.db, deps.temporal)), worker: deps.workerState() };
        const ready = checks.database && checks.temporal && checks.worker === 'RUNNING';
        return send(ready ? 200 : 503, 'application/json', JSON.stringify({ ready, ...checks }));
      }
      if (req.url === '/metrics') {
        // The SDK's exporter serves the Temporal series (polls, task latencies, slots, cache, activity results).
        const sdk = await fetch(`http://${deps.sdkMetricsAddress}/metrics`).then((r) => {
          if (!r.ok) throw new Error(`SDK metrics exporter answered ${r.status}`);
          return r.text();
        });
        const app = await deps.registry.metrics();
        return send(200, deps.registry.contentType, `${sdk.trimEnd()}\n${app}`);
      }
      send(404, 'text/plain', 'not found\n');
    })().catch((e: unknown) => send(500, 'text/plain', `${(e as Error).message}\n`));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
