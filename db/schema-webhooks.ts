// Webhooks: a tenant's subscriptions and the outbox of deliveries to them (one row per subscription and
// letter event, delivered in `sequence` order per letter by workflow `webhooks-letter-{letterId}`).
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from './schema';

export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    url: text('url').notNull(),
    description: text('description'),
    /** The HMAC signing secret; shown once when the subscription is made. */
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set by DELETE: no new deliveries; pending ones are cancelled. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('webhook_subscriptions_tenant_idx').on(t.tenantId)],
);

/** The JSON body a receiver gets; it names the letter and case, never the recipient. */
export type WebhookEventBody = LetterEventBody | InboundEventBody;

export interface LetterEventBody {
  id: string;
  type: 'letter.status_changed';
  occurredAt: string;
  data: {
    letterId: string;
    caseId: string;
    status: string;
    channel: string | null;
    cause: string;
    version: number | null;
  };
}

/**
 * An inbound item's status change, or its flag for waiting too long. Ids, status and reasons only: never the
 * title or the sender (they may be personal data).
 */
export interface InboundEventBody {
  id: string;
  type: 'inbound.status_changed' | 'inbound.flagged';
  occurredAt: string;
  data: {
    inboundItemId: string;
    forsendelseId: string;
    receivingSystemId: string;
    status: string;
    /** inbound.status_changed: why it failed (UNREADABLE, TRIAGE_FAILED); inbound.flagged: why it is flagged. */
    reason: string | null;
  };
}

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    /** Increases with every row: the order in which a letter's events are delivered. */
    sequence: bigint('sequence', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    tenantId: text('tenant_id').notNull(),
    /** The letter, or the inbound item, the event is about: its delivery workflow delivers them in order. */
    letterId: uuid('letter_id').notNull(),
    eventId: text('event_id').notNull(),
    body: jsonb('body').$type<WebhookEventBody>().notNull(),
    status: text('status').notNull().default('PENDING'), // PENDING | DELIVERED | CANCELLED
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_idx').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_letter_idx').on(t.letterId, t.status, t.sequence),
  ],
);
