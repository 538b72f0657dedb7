// Letters: start one (its workflow `letter-{id}`), read it with its versions and history, download a version's
// PDF, delete it from the queue, correct its address; the case page. The lists are in letter-lists.ts.
// Everything is scoped to the caller's tenant: another tenant's ids answer 404.
import { Router, type Response } from 'express';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { letterAttachments, letterDocuments, letterEvents, letters } from '../../db/schema';
import { createTransitionRecorder } from '../../temporal/letter-transitions';
import { ApiError, fromZod, requestValue } from '../errors';
import {
  checkLetter,
  insertLetters,
  startLetterWorkflowOrLeaveToSweeper,
  type StartedMarks,
} from '../letter-create';
import { caseIdSchema, correctionSchema, versionParamSchema } from '../letters-schemas';
import { attachmentPositionSchema } from '../attachments-schema';
import { contentDisposition } from '../content-disposition';
import { correctAddress } from '../../workflows/letter-messages';
import { letterWorkflowId } from '../../domain/workflow-ids';
import { actorOf, tenantOf } from '../auth';
import { LETTER_STATUS } from '../../domain/letter-status';
import { wordsFor } from '../../domain/vocabulary';
import { letterReasonText } from '../../domain/reason-texts';
import { recordAudit } from '../../db/audit';

export const failureOf = (l: { failureCode: string | null; failureReason: string | null }) => ({
  code: l.failureCode,
  reason: l.failureReason,
  reasonText: letterReasonText(l.failureCode),
});

export interface LetterTimers {
  /** How long a sent letter listens for late PRINT_FAILED / SHREDDED. */
  eventWindow: string;
  /** How long a failed letter waits for a correction. */
  correctionWindow: string;
}

export interface LettersRouterDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  timers: LetterTimers;
  logger: Logger;
  /** Notes letters whose workflow started (api/letter-create.ts), shared by the single and bulk routes. */
  started: StartedMarks;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type LetterRow = typeof letters.$inferSelect;

export function letterSummary(l: LetterRow) {
  const recipient = l.recipient as { name: string };
  return {
    id: l.id,
    caseId: l.caseId,
    templateCode: l.templateCode,
    status: l.status,
    statusText: wordsFor(LETTER_STATUS, l.status),
    channel: l.channel,
    version: l.version,
    runId: l.runId,
    recipientName: recipient.name,
    externalId: l.externalId,
    workflowId: letterWorkflowId(l.id),
    caseFlow: l.caseFlow,
    step: l.caseFlowStep,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

export function lettersRouter({
  db,
  temporal,
  taskQueue,
  timers,
  logger,
  started,
}: LettersRouterDeps): Router {
  const router = Router();
  const recordTransition = createTransitionRecorder({
    db,
    temporal,
    taskQueue,
    // the move is recorded and its signal kept: the letter sweeper sends it once Temporal answers
    onSignalDeferred: (letterId, e) =>
      logger.warn({ letterId, err: (e as Error).message }, 'letter moved; its workflow is told later'),
  });

  async function findLetter(res: Response, id: string): Promise<LetterRow> {
    const notFound = new ApiError(404, 'NOT_FOUND', `letter ${id} not found`);
    if (!UUID.test(id)) throw notFound;
    const [letter] = await db
      .select()
      .from(letters)
      .where(and(eq(letters.id, id), eq(letters.tenantId, tenantOf(res).id)));
    if (!letter) throw notFound;
    return letter;
  }

  /** The attachments (without their bytes) of these letters, every version. */
  async function attachmentsOf(letterIds: string[]) {
    if (letterIds.length === 0) return [];
    return db
      .select({
        letterId: letterAttachments.letterId,
        version: letterAttachments.version,
        position: letterAttachments.position,
        title: letterAttachments.title,
        pages: letterAttachments.pages,
      })
      .from(letterAttachments)
      .where(inArray(letterAttachments.letterId, letterIds))
      .orderBy(asc(letterAttachments.version), asc(letterAttachments.position));
  }
  const attachmentsIn = (all: Awaited<ReturnType<typeof attachmentsOf>>, letterId: string, version: number) =>
    all
      .filter((a) => a.letterId === letterId && a.version === version)
      .map((a) => ({
        position: a.position,
        title: a.title,
        pages: a.pages,
        pdf: `/v1/letters/${letterId}/versions/${version}/attachments/${a.position}/pdf`,
      }));

  router.post('/letters', async (req, res) => {
    const checked = await checkLetter(req.body, tenantOf(res));
    if (!checked.ok) throw checked.error;
    const { id } = checked.row;
    const [taken] = await insertLetters(db, [checked]);
    if (taken) throw taken;
    await startLetterWorkflowOrLeaveToSweeper({ temporal, taskQueue, timers, logger, started }, checked.row);
    res
      .status(202)
      .location(`/v1/letters/${id}`)
      .json({ id, status: 'RECEIVED', workflowId: letterWorkflowId(id) });
  });

  router.get('/letters/:id', async (req, res) => {
    const letter = await findLetter(res, req.params.id);
    const [versions, history, attachments] = await Promise.all([
      db
        .select({
          version: letterDocuments.version,
          pages: letterDocuments.pages,
          sha256: letterDocuments.sha256,
          createdAt: letterDocuments.createdAt,
        })
        .from(letterDocuments)
        .where(eq(letterDocuments.letterId, letter.id))
        .orderBy(asc(letterDocuments.version)),
      db
        .select({
          status: letterEvents.status,
          cause: letterEvents.cause,
          version: letterEvents.version,
          at: letterEvents.at,
        })
        .from(letterEvents)
        .where(eq(letterEvents.letterId, letter.id))
        .orderBy(asc(letterEvents.at)),
      attachmentsOf([letter.id]),
    ]);
    res.json({
      ...letterSummary(letter),
      failure: letter.status === 'NOT_SENT' ? failureOf(letter) : null,
      closed: letter.closedAt !== null,
      versions: versions.map((v) => ({
        ...v,
        createdAt: v.createdAt.toISOString(),
        pdf: `/v1/letters/${letter.id}/versions/${v.version}/pdf`,
        attachments: attachmentsIn(attachments, letter.id, v.version),
      })),
      history: history.map((h) => ({ ...h, at: h.at.toISOString() })),
    });
  });

  router.get('/letters/:id/versions/:version/pdf', async (req, res) => {
    const version = requestValue(versionParamSchema, req.params.version, 'path', 'version');
    const letter = await findLetter(res, req.params.id);
    const [doc] = await db
      .select({ pdf: letterDocuments.pdf })
      .from(letterDocuments)
      .where(and(eq(letterDocuments.letterId, letter.id), eq(letterDocuments.version, version)));
    if (!doc)
      throw new ApiError(404, 'NOT_FOUND', `letter ${letter.id} has no version ${req.params.version}`);
    res
      .type('application/pdf')
      .set(
        'content-disposition',
        contentDisposition('inline', `${letter.caseId}-${letter.templateCode}-v${version}.pdf`),
      )
      .send(Buffer.from(doc.pdf, 'base64'));
  });

  router.get('/letters/:id/versions/:version/attachments/:position/pdf', async (req, res) => {
    const version = requestValue(versionParamSchema, req.params.version, 'path', 'version');
    const position = requestValue(attachmentPositionSchema, req.params.position, 'path', 'position');
    const letter = await findLetter(res, req.params.id);
    const [a] = await db
      .select({ pdf: letterAttachments.pdf, title: letterAttachments.title })
      .from(letterAttachments)
      .where(
        and(
          eq(letterAttachments.letterId, letter.id),
          eq(letterAttachments.version, version),
          eq(letterAttachments.position, position),
        ),
      );
    if (!a)
      throw new ApiError(
        404,
        'NOT_FOUND',
        `letter ${letter.id} has no attachment ${position} in version ${version}`,
      );
    res
      .type('application/pdf')
      .set(
        'content-disposition',
        contentDisposition('inline', `${letter.caseId}-v${version}-vedlegg-${position + 1}.pdf`),
      )
      .send(Buffer.from(a.pdf, 'base64'));
  });

  router.delete('/letters/:id', async (req, res) => {
    const letter = await findLetter(res, req.params.id);
    // The database decides, atomically with run claiming: only a queued letter (not in a run) can go.
    const moved = await recordTransition({
      letterId: letter.id,
      from: ['QUEUED'],
      to: 'DELETED',
      cause: 'Slettet fra køen før kjøringen',
      set: { closedAt: new Date() },
      tell: 'deleted',
    });
    if (!moved)
      throw new ApiError(
        409,
        'NOT_IN_QUEUE',
        `letter ${letter.id} is ${wordsFor(LETTER_STATUS, letter.status)}; only a queued letter can be deleted before its run`,
      );
    await recordAudit(db, {
      tenantId: letter.tenantId,
      actor: actorOf(res),
      action: 'letter.deleted',
      subjectId: letter.id,
      detail: { caseId: letter.caseId, version: letter.version },
    });
    res.json({ id: letter.id, status: 'DELETED' });
  });

  router.post('/letters/:id/correction', async (req, res) => {
    const parsed = correctionSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const letter = await findLetter(res, req.params.id);
    if (letter.status !== 'NOT_SENT' || letter.closedAt)
      throw new ApiError(
        409,
        'NOT_CORRECTABLE',
        letter.closedAt
          ? `letter ${letter.id} is closed; it can no longer be corrected`
          : `letter ${letter.id} is ${wordsFor(LETTER_STATUS, letter.status)}; only a letter not sent can be corrected`,
      );
    try {
      await temporal.workflow.getHandle(letterWorkflowId(letter.id)).signal(correctAddress, parsed.data);
    } catch (e) {
      if (e instanceof WorkflowNotFoundError)
        throw new ApiError(
          409,
          'NOT_CORRECTABLE',
          `letter ${letter.id} is closed; it can no longer be corrected`,
        );
      throw e;
    }
    await recordAudit(db, {
      tenantId: letter.tenantId,
      actor: actorOf(res),
      action: 'letter.corrected',
      subjectId: letter.id,
      detail: { caseId: letter.caseId, version: letter.version },
    });
    res
      .status(202)
      .location(`/v1/letters/${letter.id}`)
      .json({ id: letter.id, status: 'NOT_SENT', correction: 'accepted' });
  });

  router.get('/cases/:caseId/letters', async (req, res) => {
    const caseId = requestValue(caseIdSchema, req.params.caseId, 'path', 'caseId');
    const rows = await db
      .select()
      .from(letters)
      .where(and(eq(letters.tenantId, tenantOf(res).id), eq(letters.caseId, caseId)))
      .orderBy(asc(letters.createdAt));
    const docs = rows.length
      ? await db
          .select({
            letterId: letterDocuments.letterId,
            version: letterDocuments.version,
            createdAt: letterDocuments.createdAt,
            runId: letterDocuments.runId,
          })
          .from(letterDocuments)
          .innerJoin(letters, eq(letters.id, letterDocuments.letterId))
          .where(and(eq(letters.tenantId, tenantOf(res).id), eq(letters.caseId, caseId)))
          .orderBy(asc(letterDocuments.version))
      : [];
    const events = rows.length
      ? await db
          .select({
            letterId: letterEvents.letterId,
            version: letterEvents.version,
            status: letterEvents.status,
            cause: letterEvents.cause,
            failureCode: letterEvents.failureCode,
            at: letterEvents.at,
          })
          .from(letterEvents)
          .where(
            inArray(
              letterEvents.letterId,
              rows.map((l) => l.id),
            ),
          )
          .orderBy(asc(letterEvents.at), asc(letterEvents.id))
      : [];
    const attachments = await attachmentsOf(rows.map((l) => l.id));
    res.json({
      caseId,
      letters: rows.map((l) => ({
        ...letterSummary(l),
        failure: l.status === 'NOT_SENT' ? failureOf(l) : null,
        versions: docs
          .filter((d) => d.letterId === l.id)
          .map((d) => ({
            version: d.version,
            createdAt: d.createdAt.toISOString(),
            runId: d.runId,
            pdf: `/v1/letters/${l.id}/versions/${d.version}/pdf`,
            attachments: attachmentsIn(attachments, l.id, d.version),
            // the version's history, each move with its status and, for a move to Ikke sendt, its reason
            history: events
              .filter((e) => e.letterId === l.id && e.version === d.version)
              .map((e) => ({
                status: e.status,
                statusText: wordsFor(LETTER_STATUS, e.status),
                cause: e.cause,
                reasonText: e.status === 'NOT_SENT' ? letterReasonText(e.failureCode) : null,
                at: e.at.toISOString(),
              })),
          })),
      })),
    });
  });

  return router;
}
