// Costs: the ledger (a CHARGE row per sent letter version, a CREDIT row per failed print) summed by channel,
// for the whole period and for each calendar month in it (one request for the panel's chart), with the price
// lists the ledger applied; and the same rows one by one as CSV for the municipality's accounting.
import { Router, type Response } from 'express';
import { and, asc, eq, gt, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection';
import { costLedger, letters, priceLists, tenants, type PriceList } from '../../db/schema';
import { fromZod } from '../errors';
import { costsQuerySchema } from '../letters-schemas';
import { tenantOf } from '../auth';

const nok = (ore: number) => Math.round(ore) / 100;

interface Sums {
  channel: string;
  kind: string;
  letters: number;
  sheets: number;
  postage: number;
  adminFee: number;
}

/** One period's answer from its ledger sums (øre) : NOK by channel, the fee, the credits and the total. */
function period(rows: Sums[]) {
  const charges = rows.filter((r) => r.kind === 'CHARGE');
  const credits = rows.filter((r) => r.kind === 'CREDIT');
  const channels = [...new Set(rows.map((r) => r.channel))].sort().map((channel) => {
    const mine = rows.filter((r) => r.channel === channel);
    const charged = mine.filter((r) => r.kind === 'CHARGE');
    return {
      channel,
      letters: charged.reduce((n, r) => n + r.letters, 0),
      sheets: charged.reduce((n, r) => n + r.sheets, 0),
      postage: nok(mine.reduce((n, r) => n + r.postage, 0)),
    };
  });
  const all = (f: (r: Sums) => number, of = rows) => of.reduce((n, r) => n + f(r), 0);
  return {
    channels,
    adminFee: { letters: all((r) => r.letters, charges), amount: nok(all((r) => r.adminFee)) },
    credits: { letters: all((r) => r.letters, credits), amount: nok(all((r) => r.postage, credits)) },
    total: nok(all((r) => r.postage + r.adminFee)),
  };
}

/** The period's bounds: `to` is a whole day (everything before the next midnight, Oslo time). */
function bounds(q: { from: string; to: string }): { from: SQL; to: SQL } {
  return {
    from: sql`(${q.from}::date::timestamp at time zone 'Europe/Oslo')`,
    to: sql`((${q.to}::date + 1)::timestamp at time zone 'Europe/Oslo')`,
  };
}

/** A CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** NOK with a decimal comma, as Norwegian spreadsheets read it. */
const csvNok = (ore: number) => (ore / 100).toFixed(2).replace('.', ',');

const CSV_HEADER = ['dato', 'sak', 'brev', 'versjon', 'type', 'kanal', 'ark', 'pris', 'gebyr', 'prisliste'];
const CSV_KIND: Record<string, string> = { CHARGE: 'sendt', CREDIT: 'kreditert' };
const CSV_CHANNEL: Record<string, string> = { DIGIPOST: 'digital', PRINT: 'print' };

async function writeCsv(db: Db, res: Response, tenantId: string, q: { from: string; to: string }) {
  const { from, to } = bounds(q);
  res.status(200).type('text/csv; charset=utf-8').attachment(`kostnader-${q.from}-${q.to}.csv`);
  res.write(`\ufeff${CSV_HEADER.join(';')}\r\n`);
  // keyset pages, so a year of 100,000-letter runs streams without being held in memory
  let after: { at: Date; letterId: string; version: number; kind: string } | undefined;
  for (;;) {
    const page = await db
      .select({
        at: costLedger.at,
        day: sql<string>`to_char(${costLedger.at} at time zone 'Europe/Oslo', 'YYYY-MM-DD')`,
        caseId: letters.caseId,
        letterId: costLedger.letterId,
        version: costLedger.version,
        kind: costLedger.kind,
        channel: costLedger.channel,
        sheets: costLedger.sheets,
        postage: costLedger.postage,
        adminFee: costLedger.adminFee,
        priceListFrom: costLedger.priceListFrom,
      })
      .from(costLedger)
      .innerJoin(letters, eq(letters.id, costLedger.letterId))
      .where(
        and(
          eq(costLedger.tenantId, tenantId),
          gte(costLedger.at, from),
          lt(costLedger.at, to),
          after
            ? or(
                gt(costLedger.at, after.at),
                and(
                  eq(costLedger.at, after.at),
                  sql`(${costLedger.letterId}, ${costLedger.version}, ${costLedger.kind}) > (${after.letterId}, ${after.version}, ${after.kind})`,
                ),
              )
            : undefined,
        ),
      )
      .orderBy(asc(costLedger.at), asc(costLedger.letterId), asc(costLedger.version), asc(costLedger.kind))
      .limit(5000);
    if (page.length === 0) break;
    let chunk = '';
    for (const r of page)
      chunk +=
        [
          r.day,
          r.caseId,
          r.letterId,
          r.version,
          CSV_KIND[r.kind] ?? r.kind,
          CSV_CHANNEL[r.channel] ?? r.channel,
          r.sheets,
          csvNok(r.postage),
          csvNok(r.adminFee),
          r.priceListFrom ?? 'standard',
        ]
          .map(csvField)
          .join(';') + '\r\n';
    if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    const last = page[page.length - 1]!;
    after = { at: last.at, letterId: last.letterId, version: last.version, kind: last.kind };
  }
  res.end();
}

export function costsRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/costs', async (req, res) => {
    const q = costsQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZod(q.error, 'query');
    const tenantId = tenantOf(res).id;
    const { from, to } = bounds(q.data);
    const month = sql<string>`to_char(${costLedger.at} at time zone 'Europe/Oslo', 'YYYY-MM')`;
    const rows = await db
      .select({
        month,
        channel: costLedger.channel,
        kind: costLedger.kind,
        letters: sql<number>`count(*)::int`,
        sheets: sql<number>`coalesce(sum(${costLedger.sheets}), 0)::int`,
        postage: sql<number>`coalesce(sum(${costLedger.postage}), 0)::int`,
        adminFee: sql<number>`coalesce(sum(${costLedger.adminFee}), 0)::int`,
      })
      .from(costLedger)
      .where(and(eq(costLedger.tenantId, tenantId), gte(costLedger.at, from), lt(costLedger.at, to)))
      .groupBy(month, costLedger.channel, costLedger.kind)
      .orderBy(month, costLedger.channel);
    // the lists the ledger applied in the period (null: the tenant's built-in list)
    const applied = await db
      .selectDistinct({ validFrom: costLedger.priceListFrom })
      .from(costLedger)
      .where(and(eq(costLedger.tenantId, tenantId), gte(costLedger.at, from), lt(costLedger.at, to)));
    const [tenant] = await db
      .select({ prices: tenants.prices })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    const dated = await db
      .select({ validFrom: priceLists.validFrom, prices: priceLists.prices })
      .from(priceLists)
      .where(eq(priceLists.tenantId, tenantId));
    const pricesApplied = applied
      .map(({ validFrom }) => ({
        validFrom,
        prices: (validFrom === null
          ? tenant!.prices
          : dated.find((d) => d.validFrom === validFrom)?.prices) as PriceList | undefined,
      }))
      .filter((l): l is { validFrom: string | null; prices: PriceList } => l.prices !== undefined)
      .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
    const months = [...new Set(rows.map((r) => r.month))].map((m) => ({
      month: m,
      ...period(rows.filter((r) => r.month === m)),
    }));
    res.json({
      from: q.data.from,
      to: q.data.to,
      currency: 'NOK',
      ...period(rows),
      months,
      pricesApplied,
    });
  });

  router.get('/costs.csv', async (req, res) => {
    const q = costsQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZod(q.error, 'query');
    await writeCsv(db, res, tenantOf(res).id, q.data);
  });
  return router;
}
