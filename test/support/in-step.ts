// The end-of-run checks of the durability tests: every letter of the tenant final in the database, exactly one
// message at Digipost for each sent letter, and each letter's workflow (asked by query) in the database's state.
import { eq } from 'drizzle-orm';
import { ServiceError } from '@temporalio/client';
import { letterDocuments, letters } from '../../db/schema';
import { letterState } from '../../workflows/letter-messages';
import type { TestSystem } from './system';
import { letterWorkflowId } from '../../domain/workflow-ids';

export interface LetterCheck {
  id: string;
  status: string;
  version: number;
  documentUuid: string;
}

/** Every letter of the test tenant with its current version's document uuid. */
export async function tenantLetters(sys: TestSystem): Promise<LetterCheck[]> {
  return sys.db
    .select({
      id: letters.id,
      status: letters.status,
      version: letters.version,
      documentUuid: letterDocuments.documentUuid,
    })
    .from(letters)
    .innerJoin(letterDocuments, eq(letterDocuments.letterId, letters.id))
    .where(eq(letters.tenantId, sys.tenant.id));
}

/** How many messages Digipost holds per document uuid. */
export function messagesPerDocument(sys: TestSystem): Map<string, number> {
  const n = new Map<string, number>();
  for (const m of sys.sim.messages) for (const d of m.documents) n.set(d.uuid, (n.get(d.uuid) ?? 0) + 1);
  return n;
}

/**
 * The letter workflow's own view, by query. Just after a worker was killed and started again, Temporal may answer
 * "no poller seen for task queue recently" until it has seen the new worker poll (a query is answered by a worker):
 * that answer is waited out, for at most 30 s; any other failure fails the check.
 */
async function queryState(sys: TestSystem, letterId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sys.temporal.workflow.getHandle(letterWorkflowId(letterId)).query(letterState);
    } catch (e) {
      const noPoller = e instanceof ServiceError && /no poller seen/.test(String(e.cause ?? e.message));
      if (!noPoller || attempt >= 30) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The letters whose workflow disagrees with the database, with both views. */
export async function outOfStep(
  sys: TestSystem,
  rows: LetterCheck[],
): Promise<{ id: string; db: string; workflow: string }[]> {
  const wrong: { id: string; db: string; workflow: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < rows.length) {
        const l = rows[next++]!;
        const wf = await queryState(sys, l.id);
        if (wf.status !== l.status || wf.version !== l.version)
          wrong.push({ id: l.id, db: `${l.status} v${l.version}`, workflow: `${wf.status} v${wf.version}` });
      }
    }),
  );
  return wrong;
}
