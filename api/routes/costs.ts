// Costs: the ledger (one row per sent letter version) summed by channel, plus the administration fee.
import { Router } from 'express';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection';
import { costLedger } from '../../db/schema';
import { fromZod } from '../errors';
import { costsQuerySchema } from '../letters-schemas';
import { tenantOf } from '../auth';

const nok = (ore: number) => Math.round(ore) / 100;

export function costsRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/costs', async (req, res) => {
    const q = costsQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZod(q.error, 'query');
    // `to` is a whole day: everything before the next midnight (Oslo time)
    const from = sql`(${q.data.from}::date::timestamp at time zone 'Europe/Oslo')`;
    const to = sql`((${q.data.to}::date + 1)::timestamp at time zone 'Europe/Oslo')`;
    const rows = await db
      .select({
        channel: costLedger.channel,
        letters: sql<number>`count(*)::int`,
        sheets: sql<number>`coalesce(sum(${costLedger.sheets}), 0)::int`,
        postage: sql<number>`coalesce(sum(${costLedger.postage}), 0)::int`,
        adminFee: sql<number>`coalesce(sum(${costLedger.adminFee}), 0)::int`,
      })
      .from(costLedger)
      .where(and(eq(costLedger.tenantId, tenantOf(res).id), gte(costLedger.at, from), lt(costLedger.at, to)))
      .groupBy(costLedger.channel)
      .orderBy(costLedger.channel);
    const adminLetters = rows.reduce((n, r) => n + r.letters, 0);
    const adminOre = rows.reduce((n, r) => n + r.adminFee, 0);
    const postageOre = rows.reduce((n, r) => n + r.postage, 0);
    res.json({
      from: q.data.from,
      to: q.data.to,
      currency: 'NOK',
      channels: rows.map((r) => ({
        channel: r.channel,
        letters: r.letters,
        sheets: r.sheets,
        postage: nok(r.postage),
      })),
      adminFee: { letters: adminLetters, amount: nok(adminOre) },
      total: nok(postageOre + adminOre),
    });
  });
  return router;
}
