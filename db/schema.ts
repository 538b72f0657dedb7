// The drizzle schema: single source of truth for the read models. Migrations are generated from it.
import { pgTable, text, timestamp, jsonb, integer, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core';

export const letters = pgTable(
  'letters',
  {
    id: uuid('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    caseId: text('case_id').notNull(),
    templateCode: text('template_code').notNull(),
    status: text('status').notNull(),
    channel: text('channel'),
    /** Recipient and merge data; personal data stays here, never in workflow history. */
    recipient: jsonb('recipient').notNull(),
    mergeData: jsonb('merge_data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('letters_tenant_case_idx').on(t.tenantId, t.caseId)],
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('letter_documents_pk').on(t.letterId, t.version)],
);

export const letterEvents = pgTable(
  'letter_events',
  {
    id: text('id').primaryKey(),
    letterId: uuid('letter_id')
      .notNull()
      .references(() => letters.id),
    status: text('status').notNull(),
    cause: text('cause').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('letter_events_letter_idx').on(t.letterId, t.at)],
);
