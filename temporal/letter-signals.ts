// Sends the signals letter workflows are owed (the `letter_signals` outbox, written with the status change in
// db/transitions.ts) and deletes each row once Temporal has accepted its signal. A crash or a Temporal
// outage between the two leaves the row, so the signal is sent again later: at least once, never lost. The
// letter workflow takes a repeated outcome as a no-op (it only moves on an outcome while it waits for one).
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { letterSignals, letters } from '../db/schema';
import { letterWorkflowId } from '../domain/workflow-ids';

/** One owed signal, as the outbox holds it. */
export type OwedSignal = { seq: number; letterId: string; name: string; args: unknown[] };

/** Which owed signals to send: one letter's, a run's letters', or every tenant's (or some tenants') older ones. */
export type SignalScope =
  | { letterId: string }
  | { runId: string }
  | { olderThan: Date; tenantIds?: readonly string[]; limit: number };

export interface LetterSignalSender {
  /** Sends the owed signals in `scope`, oldest first per letter; returns how many were sent. */
  deliver(scope: SignalScope): Promise<number>;
  /**
   * Sends these owed signals, already read (or just written) by the caller, oldest first per letter, and deletes
   * each once Temporal has accepted it; returns how many were sent.
   */
  send(rows: readonly OwedSignal[]): Promise<number>;
}

export function createLetterSignalSender({
  db,
  temporal,
  concurrency = 16,
}: {
  db: Db;
  temporal: Client;
  concurrency?: number;
}): LetterSignalSender {
  async function pending(scope: SignalScope): Promise<OwedSignal[]> {
    const columns = {
      seq: letterSignals.seq,
      letterId: letterSignals.letterId,
      name: letterSignals.name,
      args: letterSignals.args,
    };
    if ('letterId' in scope)
      return db
        .select(columns)
        .from(letterSignals)
        .where(eq(letterSignals.letterId, scope.letterId))
        .orderBy(asc(letterSignals.seq));
    if ('runId' in scope)
      return db
        .select(columns)
        .from(letterSignals)
        .innerJoin(letters, eq(letters.id, letterSignals.letterId))
        .where(eq(letters.runId, scope.runId))
        .orderBy(asc(letterSignals.seq));
    return db
      .select(columns)
      .from(letterSignals)
      .innerJoin(letters, eq(letters.id, letterSignals.letterId))
      .where(
        and(
          lt(letterSignals.createdAt, scope.olderThan),
          scope.tenantIds ? inArray(letters.tenantId, [...scope.tenantIds]) : undefined,
        ),
      )
      .orderBy(asc(letterSignals.seq))
      .limit(scope.limit);
  }

  async function send(s: OwedSignal): Promise<void> {
    try {
      await temporal.workflow.getHandle(letterWorkflowId(s.letterId)).signal(s.name, ...s.args);
    } catch (e) {
      // a letter whose workflow has ended has nothing left to learn; anything else is tried again later
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
  }

  async function sendRows(rows: readonly OwedSignal[]): Promise<number> {
    if (rows.length === 0) return 0;
    const byLetter = new Map<string, OwedSignal[]>();
    for (const r of rows) byLetter.set(r.letterId, [...(byLetter.get(r.letterId) ?? []), r]);
    const queues = [...byLetter.values()];
    const sent: number[] = [];
    let next = 0;
    let failed: unknown;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queues.length) }, async () => {
        while (next < queues.length && failed === undefined) {
          for (const s of queues[next++]!) {
            try {
              await send(s);
              sent.push(s.seq);
            } catch (e) {
              failed ??= e;
              break;
            }
          }
        }
      }),
    );
    // what was accepted is done, even when another signal failed (that one stays for the next attempt)
    for (let i = 0; i < sent.length; i += 1000)
      await db.delete(letterSignals).where(inArray(letterSignals.seq, sent.slice(i, i + 1000)));
    if (failed !== undefined) throw failed;
    return sent.length;
  }

  return {
    deliver: async (scope) => sendRows(await pending(scope)),
    send: sendRows,
  };
}
