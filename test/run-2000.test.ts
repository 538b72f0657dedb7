// Scale: a run of 2,000 letters completes with every letter in a final state, and no workflow's history
// comes near Temporal's limits (the run pages letters from PostgreSQL instead of holding them in history).
// A letter's history holds no national id in clear text.
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { letters } from '../db/schema';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { historyTexts, reveals } from './support/history';
import { letterRequest, useTestSystem, until } from './support/system';
import { letterWorkflowId, runWorkflowId } from '../domain/workflow-ids';

const LETTERS = 2000;

const sys = useTestSystem();

const countByStatus = async () => {
  const rows = await sys.db
    .select({ status: letters.status, n: sql<number>`count(*)::int` })
    .from(letters)
    .where(eq(letters.tenantId, sys.tenant.id))
    .groupBy(letters.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
};

describe(`a run of ${LETTERS} letters`, () => {
  it('completes with every letter final and every history far below the limits', async () => {
    // one in ten recipients has no Digipost and gets the letter printed
    const nationalIdOf = (i: number) => (i % 10 === 0 ? NON_USER : DIGIPOST_USER);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < LETTERS) {
          const i = next++;
          await sys.json('/v1/letters', {
            body: letterRequest(nationalIdOf(i), { caseId: `SAK-BULK-${i}` }),
          });
        }
      }),
    );
    await until('all queued', async () => (await countByStatus()).QUEUED === LETTERS, 600_000);
    const run = await sys.json<{ id: string; counts: { total: number } }>('/v1/runs', { body: {} });
    expect(run.counts.total).toBe(LETTERS);
    const done = await until(
      'run done',
      async () => {
        const r = await sys.json<{ status: string; counts: Record<string, number> }>(`/v1/runs/${run.id}`);
        return r.status === 'DONE' && r;
      },
      900_000,
    );
    expect(done.counts).toEqual({
      total: LETTERS,
      waiting: 0,
      sentDigital: LETTERS * 0.9,
      sentPrint: LETTERS * 0.1,
      notSent: 0,
    });
    expect(await countByStatus()).toEqual({ SENT_DIGITAL: LETTERS * 0.9, SENT_PRINT: LETTERS * 0.1 });
    expect(sys.sim.messages.filter((m) => m.batchUuid === run.id)).toHaveLength(LETTERS);

    // every workflow of this system, with its history length
    let longest = 0;
    let workflows = 0;
    for await (const wf of sys.temporal.workflow.list({ query: `TaskQueue = '${sys.taskQueue}'` })) {
      workflows++;
      longest = Math.max(longest, wf.historyLength);
    }
    expect(workflows).toBeGreaterThanOrEqual(LETTERS + 2);
    expect(longest).toBeGreaterThan(0);
    expect(longest).toBeLessThan(10_000);
    const runHistory = await sys.temporal.workflow.getHandle(runWorkflowId(run.id)).fetchHistory();
    expect(runHistory.events!.length).toBeLessThan(100);

    // no national id in clear text (nor base64) in a letter's history
    const [one] = await sys.db
      .select({ id: letters.id })
      .from(letters)
      .where(and(eq(letters.tenantId, sys.tenant.id), eq(letters.status, 'SENT_PRINT')))
      .limit(1);
    const history = historyTexts(
      await sys.temporal.workflow.getHandle(letterWorkflowId(one!.id)).fetchHistory(),
    );
    for (const id of [NON_USER, DIGIPOST_USER]) expect(reveals(history, id)).toBe(false);
  }, 1_800_000);
});
