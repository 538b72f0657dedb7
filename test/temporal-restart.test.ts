// Durability across a Temporal outage (issue 13). The dev server keeps its state in a file; it is stopped for a
// few seconds after the run's batch is committed (while outcomes are recorded and signalled) and started again
// on the same port and file. Every letter ends final, sent once, its workflow in step, and a PRINT_FAILED is
// honoured. Then a letter posted while Temporal is down is accepted, stored, and gets its workflow (from the
// letter sweeper) once Temporal is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/common';
import { letters, runs } from '../db/schema';
import { DIGIPOST_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { workerProcesses, type WorkerProcess } from './support/worker-process';
import { assertEveryLetterInStep, queueLetters, runDone } from './support/durability';
import { letterWorkflowId } from '../domain/workflow-ids';

const LETTERS = 200;
let worker: WorkerProcess | undefined;

const sys = useTestSystem({
  withWorker: false,
  temporalDbFile: join(mkdtempSync(join(tmpdir(), 'postgang-temporal-')), 'temporal.db'),
  sweepGraceMs: 5_000,
});

beforeAll(async () => {
  worker = workerProcesses(sys, { LETTER_SWEEP_GRACE_SECONDS: '5' })();
}, 180_000);

afterAll(async () => {
  await worker?.kill('SIGTERM');
});

describe('Temporal stopped for a few seconds', () => {
  it(`after a run of ${LETTERS} letters is committed: every letter ends in step`, async () => {
    const index = await queueLetters(sys, LETTERS);
    // the API noted every start, so the letter sweeper leaves these letters alone
    await until('every start noted', async () => {
      const unnoted = await sys.db
        .select({ id: letters.id })
        .from(letters)
        .where(and(inArray(letters.id, [...index.keys()]), isNull(letters.workflowStartedAt)));
      return unnoted.length === 0;
    });
    const run = await sys.json<{ id: string }>('/v1/runs', { body: {} });
    await until('batch committed', async () => {
      const [r] = await sys.db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id));
      return r?.status === 'COMMITTED';
    });
    await sys.stopTemporal();
    await new Promise((r) => setTimeout(r, 4_000));
    await sys.startTemporal();
    const done = await runDone(sys, run.id);
    expect(done.counts.total).toBe(LETTERS);
    await assertEveryLetterInStep(sys, index);
  }, 600_000);

  it('a letter posted while it is down is stored and started once it is back', async () => {
    await sys.stopTemporal();
    let id: string;
    try {
      const posted = Date.now();
      const res = await sys.api('/v1/letters', { body: letterRequest(DIGIPOST_USER) });
      expect(res.status).toBe(202);
      console.info(`POST /v1/letters answered after ${Date.now() - posted} ms with Temporal down`);
      ({ id } = (await res.json()) as { id: string });
      expect((await sys.json<{ status: string }>(`/v1/letters/${id}`)).status).toBe('RECEIVED');
      const [row] = await sys.db
        .select({ noted: letters.workflowStartedAt })
        .from(letters)
        .where(eq(letters.id, id));
      expect(row?.noted).toBeNull(); // its start failed: the sweeper's to do
    } finally {
      await sys.startTemporal();
    }
    const handle = sys.temporal.workflow.getHandle(letterWorkflowId(id));
    await until(
      'its workflow',
      async () =>
        handle.describe().then(
          () => true,
          (e: unknown) => {
            if (e instanceof WorkflowNotFoundError) return false;
            throw e;
          },
        ),
      120_000,
    );
    await until(
      'queued',
      async () => (await sys.json<{ status: string }>(`/v1/letters/${id}`)).status === 'QUEUED',
    );
    // the sweeper noted the start it made, and will not start this letter again
    await until('its start noted', async () => {
      const [row] = await sys.db
        .select({ noted: letters.workflowStartedAt })
        .from(letters)
        .where(eq(letters.id, id));
      return row?.noted != null;
    });
  }, 300_000);
});
