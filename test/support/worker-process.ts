// The worker as its own process (`worker/main.ts`), against a test system: for tests that SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { TestSystem } from './system';

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<unknown>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function workerProcesses(sys: TestSystem, env: Record<string, string> = {}) {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'postgang-key-')), 'broker.pem');
  writeFileSync(keyFile, sys.brokerKeyPem);
  return function startWorker(): WorkerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        TEMPORAL_ADDRESS: sys.temporalServer.address,
        TEMPORAL_TASK_QUEUE: sys.taskQueue,
        DIGIPOST_BASE_URL: sys.sim.url,
        DIGIPOST_PRIVATE_KEY_FILE: keyFile,
        RUN_DELIVERY_POLL_INTERVAL: '1 second',
        DIGIPOST_EVENTS_INTERVAL: '1 second',
        LETTER_EVENT_WINDOW: '1 hour',
        LETTER_CORRECTION_WINDOW: '1 hour',
        LOG_LEVEL: 'warn',
        // the worker restarts the letter sweeper: as the test system started it, for this tenant only
        LETTER_SWEEP_INTERVAL: '1 second',
        LETTER_SWEEP_GRACE_SECONDS: '20',
        LETTER_SWEEP_TENANTS: sys.tenant.id,
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    return {
      child,
      exited,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
  };
}
