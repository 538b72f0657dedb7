// The audit log: who did what to a tenant's letters, runs, inbound items and rules (issue 15). One row per
// operator action, with the operator's user name or the API key's label; never personal data.
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** `operator` (a panel session) or `api_key` (a case system). */
    actorKind: text('actor_kind').$type<'operator' | 'api_key'>().notNull(),
    /** The operator's user name, or the API key's label. */
    actor: text('actor').notNull(),
    /** What was done: domain/audit-actions.ts. */
    action: text('action').notNull(),
    /** The letter, run, inbound item or receiving system it was done to. */
    subjectId: text('subject_id').notNull(),
    /** Codes and ids that say more (a triage's action, a run's letter count); no personal data. */
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>(),
  },
  (t) => [
    index('audit_log_tenant_idx').on(t.tenantId, t.id),
    index('audit_log_subject_idx').on(t.subjectId, t.action),
  ],
);
