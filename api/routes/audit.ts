// GET /v1/audit: who did what to the tenant's letters, runs, inbound items and receiving systems.
import { Router } from 'express';
import type { Db } from '../../db/connection';
import { listAudit } from '../../db/audit';
import { AUDIT_ACTION, type AuditAction } from '../../domain/audit-actions';
import { fromZod } from '../errors';
import { auditQuerySchema } from '../audit-schemas';
import { tenantOf } from '../auth';

export function auditRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const q = auditQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZod(q.error, 'query');
    const rows = await listAudit(db, tenantOf(res).id, q.data);
    res.json({
      entries: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: { kind: r.actorKind, name: r.actor },
        action: r.action,
        actionText: AUDIT_ACTION[r.action as AuditAction] ?? r.action,
        subjectId: r.subjectId,
        detail: r.detail ?? null,
      })),
      nextBefore: rows.length === q.data.limit ? rows[rows.length - 1]!.id : null,
    });
  });
  return router;
}
