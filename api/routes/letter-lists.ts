// The letter lists, each paged by an opaque cursor on (created_at, id) so every letter is listed exactly once:
// the search (GET /v1/letters, newest first), the queue (oldest first: the order the run sends them) and the
// failure list (newest first). The queue and the failure list still take limit/offset as before.
import { Router } from 'express';
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection';
import { letters } from '../../db/schema';
import { fromZod } from '../errors';
import { tenantOf } from '../auth';
import { afterCursor, cursorKey, pageOf, type Cursor } from '../cursor';
import { letterListQuerySchema, searchLettersQuerySchema } from '../letter-lists-schemas';
import { failureOf, letterSummary } from './letters';
import type { PostalAddress } from '../../domain/postal-address';

interface Filters {
  caseId?: string;
  templateCode?: string;
  createdFrom?: string;
  createdTo?: string;
}

/** The filters every letter list shares; dates are whole days in Oslo time, as in /v1/costs. */
function filterConditions(tenantId: string, q: Filters): SQL[] {
  const where: SQL[] = [eq(letters.tenantId, tenantId)];
  if (q.caseId !== undefined) where.push(eq(letters.caseId, q.caseId));
  if (q.templateCode !== undefined) where.push(eq(letters.templateCode, q.templateCode));
  if (q.createdFrom !== undefined)
    where.push(gte(letters.createdAt, sql`(${q.createdFrom}::date::timestamp at time zone 'Europe/Oslo')`));
  if (q.createdTo !== undefined)
    where.push(
      lt(letters.createdAt, sql`((${q.createdTo}::date + 1)::timestamp at time zone 'Europe/Oslo')`),
    );
  return where;
}

export function letterListsRouter({ db }: { db: Db }): Router {
  const router = Router();

  /** One page in (created_at, id) order, after the cursor or at the offset. */
  function page(
    where: SQL[],
    order: 'asc' | 'desc',
    paging: { limit: number; cursor?: Cursor; offset?: number },
  ) {
    const by = order === 'desc' ? desc : asc;
    const conditions = paging.cursor
      ? [...where, afterCursor(letters.createdAt, letters.id, paging.cursor, order)]
      : where;
    return db
      .select({ ...getTableColumns(letters), cursorKey: cursorKey(letters.createdAt) })
      .from(letters)
      .where(and(...conditions))
      .orderBy(by(letters.createdAt), by(letters.id))
      .limit(paging.limit + 1)
      .offset(paging.offset ?? 0)
      .then((rows) => pageOf(rows, paging.limit));
  }

  router.get('/letters', async (req, res) => {
    const parsed = searchLettersQuerySchema.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error, 'query');
    const q = parsed.data;
    const where = filterConditions(tenantOf(res).id, q);
    if (q.status) where.push(inArray(letters.status, q.status));
    if (q.runId) where.push(eq(letters.runId, q.runId));
    if (q.externalId) where.push(eq(letters.externalId, q.externalId));
    const { page: rows, nextCursor } = await page(where, 'desc', q);
    res.json({ items: rows.map(letterSummary), nextCursor });
  });

  router.get('/queue', async (req, res) => {
    const parsed = letterListQuerySchema.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error, 'query');
    const where = [...filterConditions(tenantOf(res).id, parsed.data), eq(letters.status, 'QUEUED')];
    const { page: rows, nextCursor } = await page(where, 'asc', parsed.data);
    res.json({ letters: rows.map(letterSummary), nextCursor });
  });

  router.get('/failures', async (req, res) => {
    const parsed = letterListQuerySchema.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error, 'query');
    const where = [...filterConditions(tenantOf(res).id, parsed.data), eq(letters.status, 'NOT_SENT')];
    const { page: rows, nextCursor } = await page(where, 'desc', parsed.data);
    res.json({
      letters: rows.map((l) => ({
        ...letterSummary(l),
        failure: failureOf(l),
        closed: l.closedAt !== null,
        address: (l.recipient as { address: PostalAddress }).address,
      })),
      nextCursor,
    });
  });

  return router;
}
