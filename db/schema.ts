// The drizzle schema: single source of truth for the read models. Migrations are generated from it.
import type { PriceList } from '../domain/pricing';
import { pgTable, text, timestamp, jsonb, integer, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { LetterStatus } from '../domain/letter-status';

export const letters = pgTable(
  'letters',
  {
    id: uuid('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    caseId: text('case_id').notNull(),
    templateCode: text('template_code').notNull(),
    /** One of domain/letter-status.ts. */
    status: text('status').$type<LetterStatus>().notNull(),
    channel: text('channel'),
    /** The current document version (1, then one more per correction). */
    version: integer('version').notNull().default(1),
    /** The run the letter went out in (null while queued or when sent alone). */
    runId: uuid('run_id'),
    /** When Digipost accepted the current version (null: not yet submitted). */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** Why the letter was not sent: a code and words an operator understands. */
    failureCode: text('failure_code'),
    failureReason: text('failure_reason'),
    /** Set when the letter's life is over (no correction will come). */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The case flow (saksgang) and its step (1-based) the letter was sent as, if the case system named one. */
    caseFlow: text('case_flow'),
    caseFlowStep: integer('case_flow_step'),
    /** Recipient and merge data; personal data stays here, never in workflow history. */
    recipient: jsonb('recipient').notNull(),
    mergeData: jsonb('merge_data').notNull(),
    /** The case system's own reference for the letter: optional, unique per tenant. */
    externalId: text('external_id'),
    /**
     * When its workflow was known to be started (by the API, or by the letter sweeper); null while the letter
     * sweeper should still look at it. Saves the sweeper restarting letters whose production merely lags.
     */
    workflowStartedAt: timestamp('workflow_started_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // the letter lists page by (created_at, id) under each filter (api/routes/letter-lists.ts)
    index('letters_tenant_case_created_idx').on(t.tenantId, t.caseId, t.createdAt, t.id),
    index('letters_tenant_status_created_idx').on(t.tenantId, t.status, t.createdAt, t.id),
    index('letters_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('letters_run_idx').on(t.runId, t.status),
    uniqueIndex('letters_tenant_external_id_idx').on(t.tenantId, t.externalId),
    // the letter sweeper's question: which letters may still lack a workflow (few at any time)
    index('letters_unstarted_idx')
      .on(t.createdAt)
      .where(sql`status = 'RECEIVED' and workflow_started_at is null`),
  ],
);

export const letterDocuments = pgTable(
  'letter_documents',
  {
    letterId: uuid('letter_id')
      .notNull()
      .references(() => letters.id),
    version: integer('version').notNull(),
    /** The Digipost document uuid: stable per version, so a retried send reuses it. */
    documentUuid: uuid('document_uuid').notNull(),
    pdf: text('pdf_base64').notNull(),
    sha256: text('sha256').notNull(),
    pages: integer('pages').notNull(),
    /** The run that sent this version (null: not sent in a run); a run's letters and counts are read from it. */
    runId: uuid('run_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('letter_documents_pk').on(t.letterId, t.version),
    index('letter_documents_run_idx').on(t.runId, t.letterId),
  ],
);

export const letterEvents = pgTable(
  'letter_events',
  {
    id: text('id').primaryKey(),
    letterId: uuid('letter_id')
      .notNull()
      .references(() => letters.id),
    status: text('status').$type<LetterStatus>().notNull(),
    cause: text('cause').notNull(),
    version: integer('version').notNull().default(1),
    /** For a move to NOT_SENT: the failure code, so each version's reason can be said in Norwegian. */
    failureCode: text('failure_code'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('letter_events_letter_idx').on(t.letterId, t.at)],
);

export type { PriceList };

export interface ReturnAddress {
  name: string;
  lines: string[];
  postalCode: string;
  city: string;
}

/** A municipality or creditor. Digipost sending needs an active agreement. */
export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  orgNumber: text('org_number').notNull(),
  digipostAgreement: text('digipost_agreement').notNull().default('NONE'), // NONE | ACTIVE | ENDED
  /** Digipost sender id (the broker sends on its behalf); null means the broker sends as itself. */
  digipostSenderId: text('digipost_sender_id'),
  returnAddress: jsonb('return_address').$type<ReturnAddress>().notNull(),
  /** What a correction does: QUEUE (wait for the next run) or SEND_NOW. */
  correctionMode: text('correction_mode').notNull().default('QUEUE'),
  prices: jsonb('prices').$type<PriceList>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** API keys: only a SHA-256 of the key is stored; the key itself is shown once, when issued. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    keyHash: text('key_hash').notNull(),
    label: text('label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_hash_idx').on(t.keyHash)],
);

export * from './schema-outbound';
export * from './schema-inbound';
export * from './schema-webhooks';
export * from './schema-admin';
export * from './schema-attachments';
export * from './schema-idempotency';
export * from './schema-audit';
