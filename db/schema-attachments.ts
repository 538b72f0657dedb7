// Attachments of a letter: PDFs the case system sent with it, stored per document version (a correction makes
// a new version with the same attachments under new Digipost document uuids). Sent with the version's primary
// document as one Digipost message; their pages count in print sheets and costs.
import { pgTable, text, timestamp, integer, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { letters } from './schema';

export const letterAttachments = pgTable(
  'letter_attachments',
  {
    letterId: uuid('letter_id')
      .notNull()
      .references(() => letters.id),
    version: integer('version').notNull(),
    /** The attachment's index in the request (0-based): the order Digipost gets them in. */
    position: integer('position').notNull(),
    /** The Digipost document uuid of this attachment in this version. */
    documentUuid: uuid('document_uuid').notNull(),
    title: text('title').notNull(),
    pdf: text('pdf_base64').notNull(),
    sha256: text('sha256').notNull(),
    pages: integer('pages').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('letter_attachments_pk').on(t.letterId, t.version, t.position)],
);
