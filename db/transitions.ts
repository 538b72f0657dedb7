// The one place a letter, an inbound item or a run changes status, for the API and the activities alike: each
// move is guarded by the statuses it may come from (domain/transitions.ts states the allowed moves once; a
// retried activity or a late duplicate finds the row moved and records nothing twice) and writes its history row
// in the same transaction. A letter's move also writes its webhook rows, the signal its workflow is owed (when
// the workflow does not learn the move from an activity's result) and, for a sent letter, its cost row; an
// item's move its webhook row. Telling a workflow is the caller's part (temporal/letter-transitions.ts).
import { randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from './connection';
import { costLedger, inboundEvents, inboundItems, letters, runEvents, runs } from './schema';
import { billingOf } from './prices';
import type { InboundStatus } from '../domain/inbound-status';
import { creditsPostage, priceLetter } from '../domain/pricing';
import { INBOUND_MOVES, LETTER_MOVES, RUN_MOVES, guardFor } from '../domain/transitions';
import type { LetterStatus } from '../domain/letter-status';
import type { RunStatus } from '../domain/run-status';
import { storableText } from './storable-text';
import { enqueueInboundWebhook, letterEventBody, webhookOutboxInsert } from './webhooks';
import { letterDeleted, letterOutcome } from '../workflows/letter-messages';
import type { OwedSignal } from '../temporal/letter-signals';

export interface Transition {
  letterId: string;
  to: LetterStatus;
  /** Only move when the letter is in one of these statuses (each move must be in LETTER_MOVES). */
  from: readonly LetterStatus[];
  cause: string;
  channel?: string | null;
  failure?: { code: string; reason: string } | null;
  /** Extra columns to set with the move (run membership, submission time, version, closing). */
  set?: Partial<
    Pick<typeof letters.$inferInsert, 'runId' | 'submittedAt' | 'version' | 'closedAt' | 'recipient'>
  >;
  /**
   * The letter's workflow learns this move by signal (a run or the API moved the letter, not the workflow's own
   * activity): `outcome` owes it `letterOutcome` with the new status, `deleted` owes it `letterDeleted`. The
   * signal is stored with the move and sent by temporal/letter-signals.ts.
   */
  tell?: 'outcome' | 'deleted';
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The credit for a failed print: the charge's postage back, once per version, nothing for a digital one. */
async function creditFailedPrint(tx: Tx, letterId: string, version: number, at: Date): Promise<void> {
  await tx.execute(sql`
    insert into cost_ledger (letter_id, version, tenant_id, kind, channel, sheets, postage_ore, admin_fee_ore,
                             price_list_from, at)
    select letter_id, version, tenant_id, 'CREDIT', channel, sheets, -postage_ore, 0, price_list_from, ${at.toISOString()}::timestamptz
    from cost_ledger
    where letter_id = ${letterId} and version = ${version} and kind = 'CHARGE' and channel = 'PRINT'
    on conflict do nothing`);
}

/** Applies the transition; returns false when the letter was not in an expected status (nothing changed). */
export async function recordTransition(db: Db, t: Transition): Promise<boolean> {
  return (await applyTransition(db, t)).moved;
}

/**
 * `recordTransition`, also saying how many webhook deliveries the move queued (0 when it did not move) and, as
 * `owedAlone`, the signal it stored for the letter's workflow (`Transition.tell`) when the letter owed no earlier
 * one, so the caller can send it as it is (otherwise the letter's owed signals are read and sent in order).
 */
export async function applyTransition(
  db: Db,
  t: Transition,
): Promise<{ moved: boolean; webhooks: number; owedAlone?: OwedSignal }> {
  const from = guardFor('letter', LETTER_MOVES, t.to, t.from);
  const sent = t.to === 'SENT_DIGITAL' || t.to === 'SENT_PRINT';
  const credit = t.to === 'NOT_SENT' && creditsPostage(t.failure?.code);
  // a move with nothing to bill or credit is one statement, atomic by itself; the others add their ledger rows
  // in the same transaction
  if (!sent && !credit) return moveLetter(db, t, from, new Date());
  return db.transaction(async (tx) => {
    const at = new Date();
    const result = await moveLetter(tx, t, from, at);
    if (!result.moved) return result;
    const { tenantId, runId, version } = result.row!;
    if (sent) {
      // billed by the list valid on the run's date (a run is one bill), or on this day when sent alone
      const billing = await billingOf(tx, { letterId: t.letterId, version, tenantId, runId, at });
      if (!billing) throw new Error(`letter ${t.letterId} v${version} has no stored document`);
      const channel = t.to === 'SENT_PRINT' ? 'PRINT' : 'DIGIPOST';
      await tx
        .insert(costLedger)
        .values({
          letterId: t.letterId,
          version,
          tenantId,
          kind: 'CHARGE',
          channel,
          ...priceLetter(billing.list.prices, channel, billing.pages),
          priceListFrom: billing.list.validFrom,
          at,
        })
        .onConflictDoNothing();
    }
    if (credit) await creditFailedPrint(tx, t.letterId, version, at);
    return result;
  });
}

/**
 * The move itself, in one statement: the guarded UPDATE, its history row, its webhook outbox rows (one per active
 * subscription of the tenant, the body by `letterEventBody`) and the signal its workflow is owed, each written
 * from the moved row, so nothing is written when the letter was not in an expected status.
 */
async function moveLetter(
  db: Pick<Db, 'execute'>,
  t: Transition,
  from: readonly LetterStatus[],
  at: Date,
): Promise<{
  moved: boolean;
  webhooks: number;
  owedAlone?: OwedSignal;
  row?: { tenantId: string; runId: string | null; version: number };
}> {
  const values: Partial<typeof letters.$inferInsert> = {
    status: t.to,
    updatedAt: at,
    ...(t.channel !== undefined ? { channel: t.channel } : {}),
    ...(t.to === 'NOT_SENT'
      ? { failureCode: t.failure?.code ?? null, failureReason: t.failure?.reason ?? null }
      : { failureCode: null, failureReason: null }),
    ...t.set,
  };
  const columns = getTableColumns(letters);
  const assignments = sql.join(
    Object.entries(values).map(([key, value]) => {
      const column = columns[key as keyof typeof columns];
      return sql`${sql.identifier(column.name)} = ${sql.param(value, column)}`;
    }),
    sql`, `,
  );
  const eventId = randomUUID();
  const atParam = sql`${at.toISOString()}::timestamptz`;
  const signal = t.tell && {
    name: t.tell === 'outcome' ? letterOutcome.name : letterDeleted.name,
    args:
      t.tell === 'outcome'
        ? sql`jsonb_build_array(jsonb_build_object('status', ${t.to}::text, 'version', m.version))`
        : sql`'[]'::jsonb`,
  };
  const body = letterEventBody({
    id: sql`${eventId}::text`,
    at: atParam,
    letterId: sql`${t.letterId}::text`,
    caseId: sql`m.case_id`,
    status: sql`${t.to}::text`,
    channel: sql`m.channel`,
    cause: sql`${t.cause}::text`,
    version: sql`m.version`,
  });
  const rows = await db.execute<{
    tenant_id: string;
    run_id: string | null;
    version: number;
    webhooks: number;
    seq: string | number | null;
    args: unknown[] | null;
    earlier: boolean | null;
  }>(sql`
    with moved as (
      update letters set ${assignments}
      where id = ${t.letterId} and status in (${sql.join(
        from.map((f) => sql`${f}`),
        sql`, `,
      )})
      returning tenant_id, case_id, version, channel, run_id
    ), event as (
      insert into letter_events (id, letter_id, status, cause, version, failure_code, at)
      select ${eventId}, ${t.letterId}, ${t.to}, ${t.cause}, m.version,
             ${t.to === 'NOT_SENT' ? (t.failure?.code ?? null) : null}, ${atParam}
      from moved m
    ), hooks as (
      ${webhookOutboxInsert({
        source: sql.raw('moved m'),
        tenantId: sql.raw('m.tenant_id'),
        ownerId: sql`${t.letterId}::uuid`,
        eventId: sql`${eventId}::text`,
        body,
      })}
      returning 1
    ), owed as (
      insert into letter_signals (letter_id, name, args)
      select ${t.letterId}, ${signal ? signal.name : ''}, ${signal ? signal.args : sql`'[]'::jsonb`}
      from moved m where ${signal ? sql`true` : sql`false`}
      -- the statement's snapshot holds the letter's earlier owed signals, not this one
      returning seq, args, exists (select 1 from letter_signals o where o.letter_id = ${t.letterId}) as earlier
    )
    select m.tenant_id, m.run_id, m.version, (select count(*)::int from hooks) as webhooks,
           owed.seq, owed.args, owed.earlier
    from moved m left join owed on true`);
  const [row] = rows;
  if (!row) return { moved: false, webhooks: 0 };
  const owedAlone: OwedSignal | undefined =
    signal && row.seq !== null && !row.earlier
      ? { seq: Number(row.seq), letterId: t.letterId, name: signal.name, args: row.args ?? [] }
      : undefined;
  return {
    moved: true,
    webhooks: row.webhooks,
    ...(owedAlone ? { owedAlone } : {}),
    row: { tenantId: row.tenant_id, runId: row.run_id, version: row.version },
  };
}

/**
 * Sending a run: every letter the tenant has queued moves to Venter in this run, in one statement, so a letter
 * is either in this run or waits for the next (a DELETE racing it finds it no longer queued). A run may hold
 * 100,000 letters, so the history rows and the webhook outbox rows are written set-wise here rather than
 * through `recordTransition`; the webhook body is built by the same definition as a single move's
 * (`letterEventBody` in db/webhooks.ts). Returns how many letters the run holds (0: nothing queued, and no run is stored).
 */
export async function claimQueuedLetters(db: Db, c: { runId: string; tenantId: string }): Promise<number> {
  const from = guardFor('letter', LETTER_MOVES, 'WAITING', ['QUEUED']);
  return db.transaction(async (tx) => {
    const taken = await tx
      .update(letters)
      .set({ status: 'WAITING', runId: c.runId, updatedAt: new Date() })
      .where(and(eq(letters.tenantId, c.tenantId), inArray(letters.status, from)))
      .returning({ id: letters.id });
    if (taken.length === 0) return 0;
    await tx
      .insert(runs)
      .values({ id: c.runId, tenantId: c.tenantId, status: 'SENDING', letterCount: taken.length });
    await tx.insert(runEvents).values({
      id: randomUUID(),
      runId: c.runId,
      status: 'SENDING',
      cause: `Kjøringen er sendt med ${taken.length} brev`,
    });
    // each letter's current version is sent by this run: the link a run's letters and counts are read from
    await tx.execute(sql`
      update letter_documents d set run_id = ${c.runId}
      from letters l where l.run_id = ${c.runId} and d.letter_id = l.id and d.version = l.version`);
    const cause = `Med i kjøring ${c.runId}`;
    await tx.execute(sql`
      with ev as (
        insert into letter_events (id, letter_id, status, cause, version, at)
        select gen_random_uuid()::text, l.id, 'WAITING', ${cause}, l.version, now()
        from letters l where l.run_id = ${c.runId}
        returning id, letter_id, version, at
      )
      ${webhookOutboxInsert({
        source: sql.raw('ev join letters l on l.id = ev.letter_id'),
        tenantId: sql`${c.tenantId}::text`,
        ownerId: sql.raw('ev.letter_id'),
        eventId: sql.raw('ev.id'),
        body: letterEventBody({
          id: sql.raw('ev.id'),
          at: sql.raw('ev.at'),
          letterId: sql.raw('ev.letter_id'),
          caseId: sql.raw('l.case_id'),
          status: sql.raw("'WAITING'::text"),
          channel: sql.raw('l.channel'),
          cause: sql`${cause}::text`,
          version: sql.raw('ev.version'),
        }),
      })}`);
    return taken.length;
  });
}

/** The columns an item's move returns: what its webhook event and the caller need. */
export const movedItem = {
  id: inboundItems.id,
  tenantId: inboundItems.tenantId,
  receivingSystemId: inboundItems.receivingSystemId,
  forsendelseId: inboundItems.forsendelseId,
  failureReason: inboundItems.failureReason,
};
export type MovedItem = { id: string; tenantId: string; receivingSystemId: string; forsendelseId: string };

type ItemValues = Partial<typeof inboundItems.$inferInsert>;

export interface InboundMove {
  /** The item, by SvarInn's id. */
  forsendelseId: string;
  to: InboundStatus;
  /** Only from these (each must be in INBOUND_MOVES); default: every status INBOUND_MOVES allows into `to`. */
  from?: readonly InboundStatus[];
  /** Extra columns to set with the move (a reason is made storable). */
  set?: ItemValues;
  /** A further condition the item must meet to move (e.g. not stored yet). */
  only?: SQL;
}

/** Queues an item's webhook event (a status change, or its flag for waiting too long) in the caller's transaction. */
export async function enqueueItemEvent(
  tx: Tx,
  row: MovedItem,
  type: 'inbound.status_changed' | 'inbound.flagged',
  status: InboundStatus,
  reason: string | null,
  at: Date,
): Promise<void> {
  await enqueueInboundWebhook(tx, {
    tenantId: row.tenantId,
    type,
    eventId: `${type}:${row.id}:${status}:${at.getTime()}`,
    inboundItemId: row.id,
    forsendelseId: row.forsendelseId,
    receivingSystemId: row.receivingSystemId,
    status,
    reason,
    at,
  });
}

/** An item's history row and its webhook event, in the transaction that records the move or the new item. */
async function recordItemEvent(
  tx: Tx,
  row: MovedItem & { failureReason: string | null },
  status: InboundStatus,
  at: Date,
) {
  const reason = status === 'UNREADABLE' || status === 'TRIAGE_FAILED' ? row.failureReason : null;
  await tx.insert(inboundEvents).values({ id: randomUUID(), itemId: row.id, status, reason, at });
  await enqueueItemEvent(tx, row, 'inbound.status_changed', status, reason, at);
}

/**
 * Moves an inbound item, inside the caller's transaction: the time it entered the status is kept, a flag for
 * waiting too long in the previous status is cleared; with its history row and its webhook event. Returns the
 * item when it moved, undefined when it was not in a status the move may come from.
 */
export async function moveInboundIn(tx: Tx, m: InboundMove): Promise<MovedItem | undefined> {
  const from = guardFor('inbound item', INBOUND_MOVES, m.to, m.from);
  const at = new Date();
  const values = m.set ?? {};
  const [row] = await tx
    .update(inboundItems)
    .set({
      ...values,
      ...(values.failureReason && { failureReason: storableText(values.failureReason) }),
      status: m.to,
      statusChangedAt: at,
      flaggedAt: null,
      flagReason: null,
      updatedAt: at,
    })
    .where(and(eq(inboundItems.forsendelseId, m.forsendelseId), inArray(inboundItems.status, from), m.only))
    .returning(movedItem);
  if (!row) return undefined;
  await recordItemEvent(tx, row, m.to, at);
  return row;
}

/** `moveInboundIn` in a transaction of its own. */
export async function moveInbound(db: Db, m: InboundMove): Promise<MovedItem | undefined> {
  return db.transaction((tx) => moveInboundIn(tx, m));
}

/**
 * Records a new item (RECEIVED, or UNREADABLE when its listing could not be read) with its first history row
 * and webhook event; undefined when SvarInn's id is stored already (nothing is recorded twice).
 */
export async function createInboundItem(
  db: Db,
  values: typeof inboundItems.$inferInsert & { status: 'RECEIVED' | 'UNREADABLE' },
): Promise<MovedItem | undefined> {
  return db.transaction(async (tx) => {
    const at = new Date();
    const [row] = await tx
      .insert(inboundItems)
      .values(values)
      .onConflictDoNothing({ target: inboundItems.forsendelseId })
      .returning(movedItem);
    if (row) await recordItemEvent(tx, row, values.status, at);
    return row;
  });
}

export interface RunMove {
  runId: string;
  to: RunStatus;
  /** Only from these (each must be in RUN_MOVES); default: every status RUN_MOVES allows into `to`. */
  from?: readonly RunStatus[];
  /** What happened, in Norwegian (the run's history). */
  cause: string;
  set?: Partial<Pick<typeof runs.$inferInsert, 'batchStatus' | 'committedAt' | 'doneAt'>>;
}

/** Moves a run, with its history row; false when it was not in a status the move may come from. */
export async function moveRun(db: Db, m: RunMove): Promise<boolean> {
  const from = guardFor('run', RUN_MOVES, m.to, m.from);
  return db.transaction(async (tx) => {
    const at = new Date();
    const [moved] = await tx
      .update(runs)
      .set({ ...m.set, status: m.to })
      .where(and(eq(runs.id, m.runId), inArray(runs.status, from)))
      .returning({ id: runs.id });
    if (!moved) return false;
    await tx.insert(runEvents).values({ id: randomUUID(), runId: m.runId, status: m.to, cause: m.cause, at });
    return true;
  });
}
