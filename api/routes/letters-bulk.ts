// POST /v1/letters/bulk: many letters in one request. Each item is checked like POST /v1/letters (same schema,
// same merge-data and agreement checks, externalId unique per tenant); the good ones are stored in a few
// statements before the answer, and their workflows started right after it, in the background with bounded
// concurrency (api/letter-create.ts backgroundStarter; the letter sweeper starts any left when the API stops).
// The answer lists every item in the order sent, with its letter id or its own error: 200 when all were
// accepted, 207 when some were refused.
import { Router } from 'express';
import { ApiError, fromZod } from '../errors';
import { tenantOf } from '../auth';
import { letterWorkflowId } from '../../domain/workflow-ids';
import { bulkEnvelopeSchema } from '../letters-bulk-schemas';
import {
  backgroundStarter,
  checkLetter,
  insertLetters,
  type CheckedLetter,
  type LetterToStart,
} from '../letter-create';
import type { LettersRouterDeps } from './letters';

/** The same dependencies as the single-letter routes (api/routes/letters.ts). */
export type LettersBulkRouterDeps = LettersRouterDeps;

type ItemResult =
  | { index: number; id: string; status: 'RECEIVED'; workflowId: string }
  | { index: number; error: { code: string; message: string; field: string | null; existingId?: string } };

function itemError(index: number, e: ApiError): ItemResult {
  const first = Array.isArray(e.details) ? (e.details[0] as { field?: string } | undefined) : undefined;
  return {
    index,
    error: {
      code: e.code,
      message: e.message,
      field: first?.field && !first.field.startsWith('(') ? first.field : null,
      ...(typeof e.extra?.existingId === 'string' ? { existingId: e.extra.existingId } : {}),
    },
  };
}

export function lettersBulkRouter({
  db,
  temporal,
  taskQueue,
  timers,
  logger,
  started,
}: LettersBulkRouterDeps): Router {
  const router = Router();
  const starter = backgroundStarter({ temporal, taskQueue, timers, logger, started });

  router.post('/letters/bulk', async (req, res) => {
    const tenant = tenantOf(res);
    const envelope = bulkEnvelopeSchema.safeParse(req.body);
    if (!envelope.success) throw fromZod(envelope.error);
    const items = envelope.data.letters;

    const results: ItemResult[] = new Array(items.length);
    const good: CheckedLetter[] = [];
    const rowIndex: number[] = [];
    for (const [index, item] of items.entries()) {
      const checked = await checkLetter(item, tenant);
      if (!checked.ok) results[index] = itemError(index, checked.error);
      else {
        good.push(checked);
        rowIndex.push(index);
      }
    }

    const refusals = await insertLetters(db, good);
    const started: LetterToStart[] = [];
    good.forEach(({ row }, i) => {
      const index = rowIndex[i]!;
      const refused = refusals[i];
      if (refused) results[index] = itemError(index, refused);
      else {
        results[index] = { index, id: row.id, status: 'RECEIVED', workflowId: letterWorkflowId(row.id) };
        started.push(row);
      }
    });
    starter.start(started);

    const refused = items.length - started.length;
    res.status(refused === 0 ? 200 : 207).json({ accepted: started.length, refused, results });
  });

  return router;
}
