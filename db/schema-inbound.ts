// Inbound (SvarInn intake) tables: receiving systems, the organisation numbers they receive for, the items
// received and their files. Re-exported from schema.ts, so drizzle-kit and the connection see them.
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from './schema';
import type { InboundStatus } from '../domain/inbound-status';
import type { TriageRules } from '../domain/triage-rules';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** Where a `forward` triage sends an item: a named e-mail address, configured per receiving system. */
export interface ForwardDestination {
  id: string;
  email: string;
  name?: string;
}

/** Automatic triage (domain/triage-rules.ts); an operator may decide otherwise. */
export type { TriageRules };

/** A SvarInn mottakersystem: its credentials (encrypted at rest) and its triage settings. */
export const receivingSystems = pgTable('receiving_systems', {
  id: uuid('id').primaryKey(),
  tenantId: text('tenant_id')
    .notNull()
    .references(() => tenants.id),
  name: text('name').notNull(),
  /** The Basic username (the mottakersystem id). */
  username: text('username').notNull(),
  /** AES-256-GCM sealed, see db/secret-box.ts. */
  passwordSealed: text('password_sealed').notNull(),
  privateKeySealed: text('private_key_sealed').notNull(),
  forwardDestinations: jsonb('forward_destinations').$type<ForwardDestination[]>().notNull().default([]),
  rules: jsonb('rules').$type<TriageRules>().notNull().default({ archiveIntoNamedCase: false, forward: [] }),
  active: boolean('active').notNull().default(true),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  /** The last poll's failure in Norwegian (credentials refused, SvarInn down), cleared by a good poll. */
  lastPollError: text('last_poll_error'),
  /** The service's own words about that failure (may be English): the technical detail beside the text. */
  lastPollErrorDetail: text('last_poll_error_detail'),
  /** Gets a short digest of the flagged items, at most once per INBOUND_DIGEST_INTERVAL_SECONDS (daily). */
  digestEmail: text('digest_email'),
  lastDigestAt: timestamp('last_digest_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An organisation number belongs to at most one receiving system: the primary key says so. */
export const receivingSystemOrgNumbers = pgTable(
  'receiving_system_org_numbers',
  {
    orgNumber: text('org_number').notNull(),
    receivingSystemId: uuid('receiving_system_id')
      .notNull()
      .references(() => receivingSystems.id),
  },
  (t) => [
    primaryKey({ name: 'receiving_system_org_numbers_pk', columns: [t.orgNumber] }),
    index('receiving_system_org_numbers_system_idx').on(t.receivingSystemId),
  ],
);

/**
 * Item statuses: RECEIVED (listed, not yet stored) → STORED (files stored, not acknowledged) →
 * AWAITING_TRIAGE → ARCHIVING | FORWARDING → ARCHIVED | FORWARDED, or DELETED; TRIAGE_FAILED when an
 * archive or forward was refused (an operator decides again); UNREADABLE when it could never be read
 * (reported to SvarInn with mottakFeilet permanent).
 */
export type { InboundStatus } from '../domain/inbound-status';

export interface TriageRecord {
  action: 'archive' | 'delete' | 'forward';
  by: 'rule' | 'operator';
  caseNumber?: string;
  caseId?: string;
  caseTitle?: string;
  destination?: string;
  reason?: string;
  at: string;
}

/** What a rule has decided for an item and when it acts, unless an operator decides first. */
export interface PendingRule {
  action: 'archive' | 'forward';
  caseNumber?: string;
  destination?: string;
  /** ISO-8601: the rule acts at the earliest then. */
  actsAt: string;
}

export const inboundItems = pgTable(
  'inbound_items',
  {
    id: uuid('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    receivingSystemId: uuid('receiving_system_id')
      .notNull()
      .references(() => receivingSystems.id),
    /** SvarInn's id: the same item is never stored twice. */
    forsendelseId: text('forsendelse_id').notNull(),
    status: text('status').$type<InboundStatus>().notNull(),
    /** When the status last changed: how long an item has waited where it is. */
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
    title: text('title').notNull(),
    orgNumber: text('org_number'),
    senderName: text('sender_name'),
    senderOrgNumber: text('sender_org_number'),
    forsendelseType: text('forsendelse_type'),
    /** When SvarUt received it. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** The normalised forsendelse as listed (personal data stays here, never in workflow history). */
    metadata: jsonb('metadata').notNull(),
    storedAt: timestamp('stored_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    /** Why it could not be read, or why the last archive/forward failed. */
    failureReason: text('failure_reason'),
    triage: jsonb('triage').$type<TriageRecord>(),
    /** A rule's decision waiting for its delay to pass; cleared once the item is triaged (by anyone). */
    pendingRule: jsonb('pending_rule').$type<PendingRule>(),
    /** Flagged for operators: it has waited too long in a status that is not final. Cleared when it moves. */
    flaggedAt: timestamp('flagged_at', { withTimezone: true }),
    /** Why it is flagged, in Norwegian. */
    flagReason: text('flag_reason'),
    /** What the intake noticed about the item (no files, characters that could not be stored), in Norwegian. */
    intakeNote: text('intake_note'),
    journalpostNumber: text('journalpost_number'),
    archiveCaseNumber: text('archive_case_number'),
    forwardedTo: text('forwarded_to'),
    filesPurgeAfter: timestamp('files_purge_after', { withTimezone: true }),
    filesPurgedAt: timestamp('files_purged_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_items_forsendelse_idx').on(t.forsendelseId),
    index('inbound_items_tenant_status_idx').on(t.tenantId, t.status, t.createdAt),
    // GET /v1/inbound pages by (created_at, id), newest first
    index('inbound_items_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);

export const inboundFiles = pgTable(
  'inbound_files',
  {
    id: uuid('id').primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inboundItems.id),
    position: integer('position').notNull(),
    filename: text('filename').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** Null once purged (a deleted item's retention ran out). */
    content: bytea('content'),
  },
  (t) => [uniqueIndex('inbound_files_item_position_idx').on(t.itemId, t.position)],
);

/** An item's history: one row per status change, written in the transaction that makes it (db/transitions.ts). */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: uuid('id').primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inboundItems.id),
    status: text('status').$type<InboundStatus>().notNull(),
    /** Why it failed (UNREADABLE, TRIAGE_FAILED), in Norwegian; null otherwise. */
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inbound_events_item_idx').on(t.itemId, t.at)],
);
