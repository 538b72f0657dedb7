// Runs `npm start` as a newcomer would (no DATABASE_URL: the embedded database), posts a letter, sees it
// complete, kills the worker (SIGKILL) and sees it started again with the rest still up (a second letter is
// produced), then stops everything with Ctrl-C (SIGINT) and checks that no process is left behind.
import { letterRequest } from './support/system';
import { describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = (base: number) => base + Math.floor(Math.random() * 500);

function processesInGroup(pgid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=']).toString();
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, g]) => g === pgid)
    .map(([p]) => p!);
}

describe('npm start (smoke)', () => {
  it('brings the system up, completes a letter, and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'postgang-smoke-'));
    chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as a 'postgres' user when the tests run as root
    const apiPort = port(23000);
    const temporalPort = port(24000);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      API_PORT: String(apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      EMBEDDED_PG_PORT: String(port(25000)),
      EMBEDDED_PG_DIR: join(dataDir, 'pg'),
      LOG_LEVEL: 'warn',
      DIGIPOST_PRIVATE_KEY_FILE: join(dataDir, 'broker-key.pem'),
    };
    delete env.DATABASE_URL;
    const child = spawn('npm', ['start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    try {
      const deadline = Date.now() + 120_000;
      while (!output.includes('Ctrl-C stops everything')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`npm start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const base = `http://127.0.0.1:${apiPort}`;
      let health: Response | undefined;
      for (let i = 0; i < 120 && !health?.ok; i++) {
        health = await fetch(`${base}/health`).catch(() => undefined);
        if (!health?.ok) await new Promise((r) => setTimeout(r, 250));
      }
      expect(health?.status).toBe(200);
      const res = await fetch(`${base}/v1/letters`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer demo-local-key' },
        body: JSON.stringify(letterRequest('01019010127', { caseId: 'SAK-SMOKE' })),
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const auth = { authorization: 'Bearer demo-local-key' };
      for (let i = 0; i < 100; i++) {
        const l = (await (await fetch(`${base}/v1/letters/${id}`, { headers: auth })).json()) as {
          status: string;
        };
        if (l.status === 'QUEUED') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const run = await fetch(`${base}/v1/runs`, { method: 'POST', headers: auth });
      expect(run.status, await run.clone().text()).toBe(202);
      let status = '';
      for (let i = 0; i < 200 && status !== 'SENT_PRINT'; i++) {
        status = (
          (await (
            await fetch(`${base}/v1/letters/${id}`, { headers: { authorization: 'Bearer demo-local-key' } })
          ).json()) as { status: string }
        ).status;
        if (status !== 'SENT_PRINT') await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe('SENT_PRINT');

      // the supervisor starts a killed worker again; the API, Temporal and the database stay up meanwhile
      const workerPids = () => [...output.matchAll(/worker started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
      const [first] = workerPids();
      expect(first).toBeGreaterThan(0);
      process.kill(first!, 'SIGKILL');
      for (let i = 0; i < 120 && workerPids().length < 2; i++) await new Promise((r) => setTimeout(r, 250));
      expect(workerPids(), output).toHaveLength(2);
      expect(output).toContain('worker exited (SIGKILL); starting it again');
      const again = await fetch(`${base}/v1/letters`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(letterRequest('01019010127', { caseId: 'SAK-SMOKE-2' })),
      });
      expect(again.status).toBe(202);
      const second = ((await again.json()) as { id: string }).id;
      let secondStatus = '';
      for (let i = 0; i < 240 && secondStatus !== 'QUEUED'; i++) {
        secondStatus = (
          (await (await fetch(`${base}/v1/letters/${second}`, { headers: auth })).json()) as {
            status: string;
          }
        ).status;
        if (secondStatus !== 'QUEUED') await new Promise((r) => setTimeout(r, 250));
      }
      expect(secondStatus).toBe('QUEUED');
    } finally {
      process.kill(-child.pid!, 'SIGINT');
      const { code, signal } = await exited;
      // give the group's last members time to exit after the parent (a worker still reporting to a Temporal
      // server that the same Ctrl-C stopped is killed after 8 s)
      for (let i = 0; i < 120 && processesInGroup(child.pid!).length > 0; i++)
        await new Promise((r) => setTimeout(r, 250));
      expect(processesInGroup(child.pid!), output).toEqual([]);
      expect(output).toContain('[postgang] stopped'); // the orderly stop ran to its end
      // npm itself ends by the same Ctrl-C (signal) or with our exit code 0; either is a clean stop
      expect(code === 0 || signal === 'SIGINT', output).toBe(true);
    }
  }, 240_000);
});
