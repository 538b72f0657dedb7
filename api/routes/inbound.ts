// Inbound items received through SvarInn: list (filters), read (metadata + files), download a file, triage.
// Triage is a Temporal update on the item's workflow `svarinn-{forsendelseId}`: its validator decides.
import { Router } from 'express';
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  ilike,
  isNotNull,
  isNull,
  lte,
  or,
  type SQL,
} from 'drizzle-orm';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { inboundEvents, inboundFiles, inboundItems } from '../../db/schema';
import { inboundItemWorkflowId } from '../../domain/workflow-ids';
import { ApiError, fromZod } from '../errors';
import { actorOf, tenantOf } from '../auth';
import { contentDisposition } from '../content-disposition';
import { listInboundQuerySchema, triageSchema } from '../inbound-schemas';
import { afterCursor, cursorKey, pageOf } from '../cursor';
import { triageUpdate } from '../../workflows/inbound-messages';
import { FAILURE } from '../../domain/failure-types';
import { INBOUND_REASON_TEXT, inboundFailureCode } from '../../domain/reason-texts';
import { lastActors, recordAudit } from '../../db/audit';

/** The Norwegian words of a stored reason, without the technical detail (domain/reason-texts.ts). */
const reasonTextOf = (reason: string | null): string | null => {
  const code = inboundFailureCode(reason);
  return code ? INBOUND_REASON_TEXT[code] : null;
};

export interface InboundRouterDeps {
  db: Db;
  temporal: Client;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIME_TYPE = /^[\w.+-]{1,100}\/[\w.+-]{1,100}$/;

type Item = typeof inboundItems.$inferSelect;

function summary(item: Item) {
  return {
    id: item.id,
    forsendelseId: item.forsendelseId,
    receivingSystemId: item.receivingSystemId,
    status: item.status,
    title: item.title,
    orgNumber: item.orgNumber,
    sender: { name: item.senderName, orgNumber: item.senderOrgNumber },
    forsendelseType: item.forsendelseType,
    sentAt: item.sentAt?.toISOString() ?? null,
    receivedAt: item.createdAt.toISOString(),
    flagged: item.flaggedAt !== null,
    flagReason: item.flaggedAt !== null ? item.flagReason : null,
    intakeNote: item.intakeNote,
    statusChangedAt: item.statusChangedAt.toISOString(),
    failureReason: item.failureReason,
    failureCode: inboundFailureCode(item.failureReason),
    reasonText: reasonTextOf(item.failureReason),
    triage: item.triage ?? null,
    pendingRule: item.triage ? null : (item.pendingRule ?? null),
    journalpostNumber: item.journalpostNumber,
    archiveCaseNumber: item.archiveCaseNumber,
    forwardedTo: item.forwardedTo,
    filesPurgedAt: item.filesPurgedAt?.toISOString() ?? null,
    workflowId: inboundItemWorkflowId(item.forsendelseId),
  };
}

export function inboundRouter({ db, temporal }: InboundRouterDeps): Router {
  const router = Router();

  const load = async (tenantId: string, id: string): Promise<Item> => {
    const [item] = UUID.test(id)
      ? await db
          .select()
          .from(inboundItems)
          .where(and(eq(inboundItems.id, id), eq(inboundItems.tenantId, tenantId)))
      : [];
    if (!item) throw new ApiError(404, 'NOT_FOUND', `inbound item ${id} not found`);
    return item;
  };

  router.get('/inbound', async (req, res) => {
    const tenant = tenantOf(res);
    const parsed = listInboundQuerySchema.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error, 'query');
    const q = parsed.data;
    const where: SQL[] = [eq(inboundItems.tenantId, tenant.id)];
    if (q.status) where.push(eq(inboundItems.status, q.status));
    if (q.orgNumber) where.push(eq(inboundItems.orgNumber, q.orgNumber));
    if (q.sender) {
      const pattern = `%${q.sender.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(or(eq(inboundItems.senderOrgNumber, q.sender), ilike(inboundItems.senderName, pattern))!);
    }
    if (q.olderThanMinutes !== undefined)
      where.push(lte(inboundItems.createdAt, new Date(Date.now() - q.olderThanMinutes * 60_000)));
    if (q.flagged === 'true') where.push(isNotNull(inboundItems.flaggedAt));
    if (q.flagged === 'false') where.push(isNull(inboundItems.flaggedAt));
    if (q.cursor) where.push(afterCursor(inboundItems.createdAt, inboundItems.id, q.cursor, 'desc'));
    // newest first; the cursor pages on past any limit
    const rows = await db
      .select({ ...getTableColumns(inboundItems), cursorKey: cursorKey(inboundItems.createdAt) })
      .from(inboundItems)
      .where(and(...where))
      .orderBy(desc(inboundItems.createdAt), desc(inboundItems.id))
      .limit(q.limit + 1);
    const { page, nextCursor } = pageOf(rows, q.limit);
    res.json({ items: page.map(summary), nextCursor });
  });

  router.get('/inbound/:id', async (req, res) => {
    const item = await load(tenantOf(res).id, req.params.id);
    const [files, history] = await Promise.all([
      db
        .select({
          id: inboundFiles.id,
          filename: inboundFiles.filename,
          mimeType: inboundFiles.mimeType,
          size: inboundFiles.size,
          sha256: inboundFiles.sha256,
        })
        .from(inboundFiles)
        .where(eq(inboundFiles.itemId, item.id))
        .orderBy(asc(inboundFiles.position)),
      db
        .select({ status: inboundEvents.status, reason: inboundEvents.reason, at: inboundEvents.at })
        .from(inboundEvents)
        .where(eq(inboundEvents.itemId, item.id))
        .orderBy(asc(inboundEvents.at), asc(inboundEvents.id)),
    ]);
    const { raw: _raw, downloadUrl: _url, ...metadata } = item.metadata as Record<string, unknown>;
    void _raw;
    void _url;
    const triagedBy = (await lastActors(db, item.tenantId, 'inbound.triaged', [item.id])).get(item.id);
    res.json({
      ...summary(item),
      // the operator's name, or the API key's label, of the last triage by hand (none for a rule's)
      triagedBy: item.triage?.by === 'operator' ? (triagedBy ?? null) : null,
      metadata,
      files: files.map((f) => ({
        id: f.id,
        filename: f.filename,
        mimeType: f.mimeType,
        size: f.size,
        sha256: f.sha256,
        purged: item.filesPurgedAt !== null,
        href: `/v1/inbound/${item.id}/files/${f.id}`,
      })),
      history: history.map((h) => ({ ...h, reasonText: reasonTextOf(h.reason), at: h.at.toISOString() })),
    });
  });

  router.get('/inbound/:id/files/:fileId', async (req, res) => {
    const item = await load(tenantOf(res).id, req.params.id);
    const notFound = new ApiError(404, 'NOT_FOUND', `file ${req.params.fileId} not found`);
    if (!UUID.test(req.params.fileId)) throw notFound;
    const [file] = await db
      .select()
      .from(inboundFiles)
      .where(and(eq(inboundFiles.id, req.params.fileId), eq(inboundFiles.itemId, item.id)));
    if (!file) throw notFound;
    if (!file.content)
      throw new ApiError(410, 'PURGED', `file ${file.filename} was purged after the item was deleted`);
    res
      .status(200)
      // what SvarInn sent: a content type that is not a plain `type/subtype` is served as bytes
      .type(MIME_TYPE.test(file.mimeType) ? file.mimeType : 'application/octet-stream')
      .setHeader('content-disposition', contentDisposition('attachment', file.filename))
      .send(file.content);
  });

  router.post('/inbound/:id/triage', async (req, res) => {
    const item = await load(tenantOf(res).id, req.params.id);
    const parsed = triageSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const handle = temporal.workflow.getHandle(inboundItemWorkflowId(item.forsendelseId));
    try {
      await handle.executeUpdate(triageUpdate, { args: [parsed.data] });
    } catch (e) {
      const cause = e instanceof WorkflowUpdateFailedError ? e.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === FAILURE.INVALID_TRIAGE) {
        const field = String(cause.details?.[0] ?? '(body)');
        throw new ApiError(400, 'VALIDATION_FAILED', cause.message, [{ field, problem: cause.message }]);
      }
      if (cause instanceof ApplicationFailure && cause.type === FAILURE.TRIAGE_NOT_ALLOWED)
        throw new ApiError(409, 'NOT_TRIAGEABLE', `${cause.message} (status ${item.status})`);
      if (e instanceof WorkflowNotFoundError)
        throw new ApiError(
          409,
          'NOT_TRIAGEABLE',
          `the item is no longer open for triage (status ${item.status})`,
        );
      throw e;
    }
    await recordAudit(db, {
      tenantId: item.tenantId,
      actor: actorOf(res),
      action: 'inbound.triaged',
      subjectId: item.id,
      detail: { action: parsed.data.action },
    });
    res
      .status(202)
      .location(`/v1/inbound/${item.id}`)
      .json({ id: item.id, action: parsed.data.action, status: 'ACCEPTED' });
  });

  return router;
}
