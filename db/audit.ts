// Writes and reads the audit log (db/schema-audit.ts).
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from './connection';
import { auditLog } from './schema-audit';
import type { AuditAction } from '../domain/audit-actions';

export interface Actor {
  kind: 'operator' | 'api_key';
  /** The operator's user name, or the API key's label. */
  name: string;
}

export type AuditEntry = typeof auditLog.$inferSelect;

export async function recordAudit(
  db: Db,
  e: {
    tenantId: string;
    actor: Actor;
    action: AuditAction;
    subjectId: string;
    detail?: Record<string, string | number | boolean | null>;
  },
): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: e.tenantId,
    actorKind: e.actor.kind,
    actor: e.actor.name,
    action: e.action,
    subjectId: e.subjectId,
    detail: e.detail ?? null,
  });
}

/** The tenant's entries, newest first; `before` is the id of the last entry of the previous page. */
export async function listAudit(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: number },
): Promise<AuditEntry[]> {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        opts.before !== undefined ? lt(auditLog.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}

/** Who did `action` last to each subject (e.g. who triaged each inbound item). */
export async function lastActors(
  db: Db,
  tenantId: string,
  action: AuditAction,
  subjectIds: string[],
): Promise<Map<string, Actor>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await db
    .select({ subjectId: auditLog.subjectId, kind: auditLog.actorKind, name: auditLog.actor })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.action, action),
        inArray(auditLog.subjectId, subjectIds),
      ),
    )
    .orderBy(auditLog.id);
  return new Map(rows.map((r) => [r.subjectId, { kind: r.kind, name: r.name }]));
}
