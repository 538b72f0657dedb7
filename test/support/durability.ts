// The shared shape of the durability tests (worker kills, a Temporal restart): a mixed batch of letters, a run,
// and the end checks of issue 13 for every letter.
import { expect } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { letters } from '../../db/schema';
import { DIGIPOST_USER, NON_USER } from './digipost';
import { letterRequest, until, type TestSystem } from './system';
import { messagesPerDocument, outOfStep, tenantLetters } from './in-step';

/** Letter i: one in ten printed, one in fifty without a complete address (Ikke sendt), the rest digital. */
export function expectedStatus(i: number): 'SENT_DIGITAL' | 'SENT_PRINT' | 'NOT_SENT' {
  return i % 50 === 25 ? 'NOT_SENT' : i % 10 === 0 ? 'SENT_PRINT' : 'SENT_DIGITAL';
}

export async function countByStatus(sys: TestSystem): Promise<Record<string, number>> {
  const rows = await sys.db
    .select({ status: letters.status, n: sql<number>`count(*)::int` })
    .from(letters)
    .where(eq(letters.tenantId, sys.tenant.id))
    .groupBy(letters.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Posts `n` letters (16 at a time) and waits until all are queued; returns their ids by index. */
export async function queueLetters(sys: TestSystem, n: number): Promise<Map<string, number>> {
  const index = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) {
        const i = next++;
        const body =
          expectedStatus(i) === 'NOT_SENT'
            ? letterRequest(NON_USER, {
                caseId: `SAK-D-${i}`,
                address: { lines: ['Storgata 1'], city: 'OSLO' },
              })
            : letterRequest(expectedStatus(i) === 'SENT_PRINT' ? NON_USER : DIGIPOST_USER, {
                caseId: `SAK-D-${i}`,
              });
        const { id } = await sys.json<{ id: string }>('/v1/letters', { body });
        index.set(id, i);
      }
    }),
  );
  await until('all queued', async () => (await countByStatus(sys)).QUEUED === n, 300_000);
  return index;
}

/**
 * For every letter: the database status is the expected final one, Digipost holds exactly one message for each
 * sent letter (none for a refused one), and the workflow's state equals the database's. Then a PRINT_FAILED for
 * every sent letter moves each to Ikke sendt, in the database and in its workflow.
 */
export async function assertEveryLetterInStep(sys: TestSystem, index: Map<string, number>): Promise<void> {
  const rows = await tenantLetters(sys);
  expect(rows).toHaveLength(index.size);
  const perDocument = messagesPerDocument(sys);
  const wrongStatus = rows.filter((l) => l.status !== expectedStatus(index.get(l.id)!));
  expect(wrongStatus).toEqual([]);
  const wrongCount = rows.filter(
    (l) => (perDocument.get(l.documentUuid) ?? 0) !== (l.status === 'NOT_SENT' ? 0 : 1),
  );
  expect(wrongCount).toEqual([]);
  expect(await outOfStep(sys, rows)).toEqual([]);

  const sent = rows.filter((l) => l.status !== 'NOT_SENT');
  for (const l of sent)
    sys.sim.injectEvent(l.documentUuid, 'PRINT_FAILED', { 'error-code': 'Ukjent adresse' });
  await until(
    'every PRINT_FAILED recorded',
    async () => (await countByStatus(sys)).NOT_SENT === rows.length,
    120_000,
  );
  const after = await tenantLetters(sys);
  const [{ n } = { n: 0 }] = await sys.db
    .select({ n: sql<number>`count(*)::int` })
    .from(letters)
    .where(and(eq(letters.tenantId, sys.tenant.id), eq(letters.failureCode, 'PRINT_FAILED')));
  expect(n).toBe(sent.length);
  expect(await outOfStep(sys, after)).toEqual([]);
}

/** Waits until the run is DONE; returns its counts. */
export async function runDone(sys: TestSystem, runId: string, ms = 300_000) {
  return until(
    'run done',
    async () => {
      const r = await sys.json<{ status: string; counts: Record<string, number> }>(`/v1/runs/${runId}`);
      return r.status === 'DONE' && r;
    },
    ms,
  );
}
