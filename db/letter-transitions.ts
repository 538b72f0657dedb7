// The one place a letter changes status: guarded by the expected current statuses (so a retried activity or a
// late duplicate is a no-op), with its history row, its webhook rows, the signal its workflow is owed (when the
// workflow does not learn the move from an activity's result) and, for a sent letter, its cost row, all in the
// same transaction.
import { attachmentPagesOf } from './attachment-pages';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './connection';
import {
  costLedger,
  letterDocuments,
  letterEvents,
  letterSignals,
  letters,
  runs,
  type PriceList,
} from './schema';
import { osloDay, priceListOn } from './prices';
import type { LetterStatus } from '../domain/letter-status';
import { enqueueLetterWebhook } from './webhooks';
import { letterDeleted, letterOutcome } from '../workflows/letter-messages';

export interface Transition {
  letterId: string;
  to: LetterStatus;
  /** Only move when the letter is in one of these statuses. */
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
   * signal is stored with the move and sent by activities/letter-signals.ts.
   */
  tell?: 'outcome' | 'deleted';
}

/** Sheets of a duplex print: two pages a sheet (digipost-api.md §11: a 20-page PDF is 10 sheets). */
export const sheetsFor = (pages: number) => Math.max(1, Math.ceil(pages / 2));

/**
 * The price of one sent letter. `pages`: the pages of each document of the message, the primary first, then
 * its attachments; in print each document starts on a fresh sheet (duplex), so their sheets add up.
 */
export function priceLetter(
  prices: PriceList,
  channel: 'DIGIPOST' | 'PRINT',
  pages: readonly number[],
): { sheets: number; postage: number; adminFee: number } {
  const sheets = channel === 'PRINT' ? pages.reduce((s, p) => s + sheetsFor(p), 0) : 0;
  const postage =
    channel === 'PRINT'
      ? prices.printPerLetter + (sheets - 1) * prices.printPerExtraSheet
      : prices.digitalPerLetter;
  return { sheets, postage, adminFee: prices.adminFeePerLetter };
}

/**
 * Digipost's events saying a printed letter never reached its recipient (digipost-api.md, document events).
 * The print-failed rule (README "Price lists"): its postage is credited, the administration fee stands (the
 * measure was produced and sent); the credit is its own ledger row dated when the failure was recorded, so a
 * period already exported stays as it was and the credit shows in the period it happened.
 */
const PRINT_FAILURES = new Set(['PRINT_FAILED', 'SHREDDED']);

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

/** `recordTransition`, also saying how many webhook deliveries the move queued (0 when it did not move). */
export async function applyTransition(db: Db, t: Transition): Promise<{ moved: boolean; webhooks: number }> {
  return db.transaction(async (tx) => {
    const at = new Date();
    const failure =
      t.to === 'NOT_SENT'
        ? { failureCode: t.failure?.code ?? null, failureReason: t.failure?.reason ?? null }
        : {};
    const [moved] = await tx
      .update(letters)
      .set({
        status: t.to,
        updatedAt: at,
        ...(t.channel !== undefined ? { channel: t.channel } : {}),
        ...(t.to !== 'NOT_SENT' ? { failureCode: null, failureReason: null } : failure),
        ...t.set,
      })
      .where(and(eq(letters.id, t.letterId), inArray(letters.status, [...t.from])))
      .returning({
        tenantId: letters.tenantId,
        caseId: letters.caseId,
        version: letters.version,
        channel: letters.channel,
        runId: letters.runId,
      });
    if (!moved) return { moved: false, webhooks: 0 };
    if (t.tell)
      await tx.insert(letterSignals).values({
        letterId: t.letterId,
        name: t.tell === 'outcome' ? letterOutcome.name : letterDeleted.name,
        args: t.tell === 'outcome' ? [{ status: t.to, version: moved.version }] : [],
      });
    const eventId = randomUUID();
    await tx.insert(letterEvents).values({
      id: eventId,
      letterId: t.letterId,
      status: t.to,
      cause: t.cause,
      version: moved.version,
      failureCode: t.to === 'NOT_SENT' ? (t.failure?.code ?? null) : null,
      at,
    });
    const webhooks = await enqueueLetterWebhook(tx, {
      tenantId: moved.tenantId,
      letterId: t.letterId,
      eventId,
      caseId: moved.caseId,
      status: t.to,
      channel: moved.channel,
      cause: t.cause,
      at,
      version: moved.version,
    });
    if (t.to === 'SENT_DIGITAL' || t.to === 'SENT_PRINT') {
      const [row] = await tx
        .select({
          pages: letterDocuments.pages,
          attachmentPages: attachmentPagesOf(
            sql.raw('letter_documents.letter_id'),
            sql.raw('letter_documents.version'),
          ),
        })
        .from(letterDocuments)
        .where(and(eq(letterDocuments.letterId, t.letterId), eq(letterDocuments.version, moved.version)));
      if (!row) throw new Error(`letter ${t.letterId} v${moved.version} has no stored document`);
      // billed by the list valid on the run's date (a run is one bill), or on this day when sent alone
      const [run] = moved.runId
        ? await tx.select({ createdAt: runs.createdAt }).from(runs).where(eq(runs.id, moved.runId))
        : [];
      const list = await priceListOn(tx, moved.tenantId, osloDay(run?.createdAt ?? at));
      const channel = t.to === 'SENT_PRINT' ? 'PRINT' : 'DIGIPOST';
      await tx
        .insert(costLedger)
        .values({
          letterId: t.letterId,
          version: moved.version,
          tenantId: moved.tenantId,
          kind: 'CHARGE',
          channel,
          ...priceLetter(list.prices, channel, [row.pages, ...row.attachmentPages]),
          priceListFrom: list.validFrom,
          at,
        })
        .onConflictDoNothing();
    }
    if (t.to === 'NOT_SENT' && PRINT_FAILURES.has(t.failure?.code ?? ''))
      await creditFailedPrint(tx, t.letterId, moved.version, at);
    return { moved: true, webhooks };
  });
}

/**
 * Sending a run: every letter the tenant has queued moves to Venter in this run, in one statement, so a letter
 * is either in this run or waits for the next (a DELETE racing it finds it no longer queued). A run may hold
 * 100,000 letters, so the history rows and the webhook outbox rows are written set-wise here rather than
 * through `recordTransition`; the webhook body is the shape `enqueueLetterWebhook` (db/webhooks.ts) writes,
 * keep the two in step. Returns how many letters the run holds (0: nothing queued, and no run is stored).
 */
export async function claimQueuedLetters(db: Db, c: { runId: string; tenantId: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const taken = await tx
      .update(letters)
      .set({ status: 'WAITING', runId: c.runId, updatedAt: new Date() })
      .where(and(eq(letters.tenantId, c.tenantId), eq(letters.status, 'QUEUED')))
      .returning({ id: letters.id });
    if (taken.length === 0) return 0;
    await tx
      .insert(runs)
      .values({ id: c.runId, tenantId: c.tenantId, status: 'SENDING', letterCount: taken.length });
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
      insert into webhook_deliveries (id, subscription_id, tenant_id, letter_id, event_id, body)
      select gen_random_uuid(), s.id, ${c.tenantId}, ev.letter_id, ev.id,
        jsonb_build_object(
          'id', ev.id, 'type', 'letter.status_changed',
          'occurredAt', to_char(ev.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'data', jsonb_build_object(
            'letterId', ev.letter_id, 'caseId', l.case_id, 'status', 'WAITING', 'channel', l.channel,
            'cause', ${cause}::text, 'version', ev.version))
      from ev
      join letters l on l.id = ev.letter_id
      join webhook_subscriptions s on s.tenant_id = ${c.tenantId} and s.deleted_at is null`);
    return taken.length;
  });
}
