// Idempotency keys: a case system that repeats a creating POST with the same `Idempotency-Key` gets the first
// answer again instead of a second letter, run or subscription (api/idempotency.ts).
import { pgTable, text, timestamp, integer, jsonb, primaryKey, index } from 'drizzle-orm/pg-core';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: text('tenant_id').notNull(),
    /** The header's value as sent (1–255 visible ASCII characters). */
    key: text('key').notNull(),
    /** SHA-256 (hex) of the method, the path and the canonical JSON body. */
    requestHash: text('request_hash').notNull(),
    /** IN_PROGRESS while the first request runs, then DONE with its answer. */
    state: text('state').notNull(),
    status: integer('status'),
    /** The answer's JSON body, and its Location header when it had one. */
    body: jsonb('body'),
    location: text('location'),
    /** When the key was first used; it expires IDEMPOTENCY_TTL_HOURS later. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key] }),
    index('idempotency_keys_created_idx').on(t.tenantId, t.createdAt),
  ],
);
