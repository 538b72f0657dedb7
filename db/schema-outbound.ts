// Outbound read models beyond the letter itself: runs (kjøringer), Digipost event polling, the cost ledger.
import {
  pgTable,
  text,
  timestamp,
  integer,
  uuid,
  uniqueIndex,
  index,
  jsonb,
  bigserial,
  date,
} from 'drizzle-orm/pg-core';
import type { RunStatus } from '../domain/run-status';

/** A run: the letters queued when it was sent, submitted to Digipost as one batch (batch uuid = run id). */
export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** SENDING → COMMITTED → DONE, or FAILED when Digipost refused the whole batch (domain/run-status.ts). */
    status: text('status').$type<RunStatus>().notNull(),
    /** Digipost's batch status as last seen: CREATED, NOT_COMMITTED, COMMITTED, DONE. */
    batchStatus: text('batch_status'),
    letterCount: integer('letter_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [index('runs_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** A run's history: one row per status change, written in the statement or transaction that makes it. */
export const runEvents = pgTable(
  'run_events',
  {
    id: uuid('id').primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id),
    status: text('status').$type<RunStatus>().notNull(),
    cause: text('cause').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('run_events_run_idx').on(t.runId, t.at)],
);

/** Every Digipost document event seen, once: overlapping poll windows are de-duplicated here. */
export const digipostEvents = pgTable(
  'digipost_events',
  {
    id: uuid('id').primaryKey(),
    brokerId: text('broker_id').notNull(),
    documentUuid: uuid('document_uuid').notNull(),
    type: text('type').notNull(),
    created: text('created').notNull(),
    metadata: jsonb('metadata').$type<Record<string, string>>(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the event was handed to its letter's workflow (null: not yet, or no letter of ours). */
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('digipost_events_dedup_idx').on(t.documentUuid, t.type, t.created)],
);

/** The poller's persisted cursor per broker account. */
export const digipostEventCursors = pgTable('digipost_event_cursors', {
  brokerId: text('broker_id').primaryKey(),
  /** Start of the next window (events before it have been read). */
  cursor: timestamp('cursor', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Costs: one CHARGE row per sent letter version, priced with the tenant's price list valid on the billing date
 * (the run's date, or the sending date of a letter sent alone), in øre; and one CREDIT row (negative postage)
 * when a printed version's print failed afterwards (README "Price lists": the print-failed rule).
 */
export const costLedger = pgTable(
  'cost_ledger',
  {
    letterId: uuid('letter_id').notNull(),
    version: integer('version').notNull(),
    tenantId: text('tenant_id').notNull(),
    /** CHARGE (the version was sent) or CREDIT (its postage given back: print failed after sending). */
    kind: text('kind').notNull().default('CHARGE'),
    channel: text('channel').notNull(),
    sheets: integer('sheets').notNull(),
    postage: integer('postage_ore').notNull(),
    adminFee: integer('admin_fee_ore').notNull(),
    /** The price list applied: its validity date (null: the tenant's built-in list, before any dated list). */
    priceListFrom: date('price_list_from', { mode: 'string' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cost_ledger_letter_kind_idx').on(t.letterId, t.version, t.kind),
    index('cost_ledger_tenant_at_idx').on(t.tenantId, t.at),
  ],
);

/**
 * A tenant's price lists, each valid from its date (Europe/Oslo calendar day) until the next one's. Before the
 * first, the tenant's own `tenants.prices` applies (the built-in defaults unless set at creation).
 */
export const priceLists = pgTable(
  'price_lists',
  {
    tenantId: text('tenant_id').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    /** A PriceList (db/schema.ts), in øre. */
    prices: jsonb('prices').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('price_lists_tenant_from_idx').on(t.tenantId, t.validFrom)],
);

/**
 * Digipost identification results cached for the run preview (and the run after it). The key is a SHA-256 of
 * the sender and the national id, so no national id is stored here.
 */
export const digipostIdentifications = pgTable('digipost_identifications', {
  keyHash: text('key_hash').primaryKey(),
  /** DIGIPOST | IDENTIFIED | UNIDENTIFIED | INVALID (digipost-api.md §3). */
  result: text('result').notNull(),
  reason: text('reason'),
  identifiedAt: timestamp('identified_at', { withTimezone: true }).notNull(),
});

/**
 * Signals owed to letter workflows (the outbox): written in the transaction that records the status change the
 * signal reports, deleted once Temporal has accepted the signal. A row still here after a crash or a Temporal
 * outage is sent again (by the next attempt of the run's activity, or by the letter sweeper); workflows take
 * a repeated signal as a no-op. See temporal/letter-signals.ts.
 */
export const letterSignals = pgTable(
  'letter_signals',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    letterId: uuid('letter_id').notNull(),
    /** The signal's name, e.g. `letterOutcome`, `letterDeleted` (workflows/letter-messages.ts). */
    name: text('name').notNull(),
    args: jsonb('args').$type<unknown[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('letter_signals_letter_idx').on(t.letterId),
    index('letter_signals_created_idx').on(t.createdAt),
  ],
);
