// Durability under worker kills (issue 13): the worker process is SIGKILLed at random moments while a run of
// 500 letters is sent and confirmed, three times, each time started again (no kill during production: its
// activities wait out their one-minute timeout, which only makes the test slow). At the end every letter is final,
// Digipost holds exactly one message per sent letter, every letter's workflow agrees with the database (the
// outcome signals a killed attempt owed were sent by the next one), and a later PRINT_FAILED is honoured.
import { afterAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { letterSignals, letters } from '../db/schema';
import { useTestSystem, until } from './support/system';
import { workerProcesses, type WorkerProcess } from './support/worker-process';
import { assertEveryLetterInStep, queueLetters, runDone } from './support/durability';

const LETTERS = 500;
const KILLS = 3;
let worker: WorkerProcess | undefined;

const sys = useTestSystem({ withWorker: false });

afterAll(async () => {
  await worker?.kill('SIGTERM');
});

describe(`a run of ${LETTERS} letters while the worker is killed ${KILLS} times`, () => {
  it('ends with every letter final, sent once, and its workflow in step with the database', async () => {
    const startWorker = workerProcesses(sys);
    worker = startWorker();
    const index = await queueLetters(sys, LETTERS);
    const run = await sys.json<{ id: string }>('/v1/runs', { body: {} });
    const runId = run.id;
    // Random moments, chosen by progress so each lands on a worker at work: while letters are submitted, and
    // twice while outcomes are recorded and signalled (the seam between the database and the workflows).
    const moments = [
      { sent: false, share: 0.2 + Math.random() * 0.4 },
      { sent: true, share: 0.1 + Math.random() * 0.3 },
      { sent: true, share: 0.5 + Math.random() * 0.3 },
    ].slice(0, KILLS);
    for (const m of moments) {
      await until(
        'the moment to kill',
        async () => {
          const [{ n } = { n: 0 }] = await sys.db
            .select({ n: sql<number>`count(*)::int` })
            .from(letters)
            .where(
              and(
                eq(letters.runId, runId),
                m.sent
                  ? inArray(letters.status, ['SENT_DIGITAL', 'SENT_PRINT'])
                  : isNotNull(letters.submittedAt),
              ),
            );
          return n >= m.share * LETTERS;
        },
        300_000,
      );
      await worker.kill('SIGKILL');
      const [{ owed } = { owed: 0 }] = await sys.db
        .select({ owed: sql<number>`count(*)::int` })
        .from(letterSignals)
        .innerJoin(letters, eq(letters.id, letterSignals.letterId))
        .where(eq(letters.runId, runId));
      console.info(`worker killed; ${owed} outcome signals owed to letter workflows`);
      worker = startWorker();
    }
    const done = await runDone(sys, runId);
    expect(done.counts.total).toBe(LETTERS);
    await assertEveryLetterInStep(sys, index);
  }, 600_000);
});
