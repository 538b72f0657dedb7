// A tenant's price lists, each valid from a calendar day (Europe/Oslo) until the next one's. A letter is billed
// by the list valid on its billing day: the day its run was sent, or the day it was sent when it went alone.
// Before a tenant's first dated list, its own `tenants.prices` applies (validFrom null: the built-in list).
import { and, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Db } from './connection';
import { costLedger, priceLists, tenants, type PriceList } from './schema';
import { attachmentPagesOf } from './attachment-pages';

/** A transaction or the database: both read and write the same way here. */
type Tx = Pick<Db, 'select' | 'insert' | 'execute'>;

export interface DatedPriceList {
  /** YYYY-MM-DD; null for the tenant's built-in list (in force before any dated list). */
  validFrom: string | null;
  prices: PriceList;
}

/**
 * The price-list rule, written once: the tenant's dated list valid on `day` (an SQL date), else its built-in
 * `tenants.prices` (valid_from null). One row when the tenant exists, none otherwise. `priceListOn` reads it
 * for a day; `billingOf` joins it for a sent letter's billing day.
 */
function listValidOn(tenantId: string, day: SQL): SQL {
  return sql`(
    select dated.valid_from, coalesce(dated.prices, t.prices) as prices
    from tenants t
    left join lateral (
      select p.valid_from::text as valid_from, p.prices from price_lists p
      where p.tenant_id = t.id and p.valid_from <= ${day}
      order by p.valid_from desc
      limit 1
    ) dated on true
    where t.id = ${tenantId}
  )`;
}

/**
 * What billing a sent letter version needs, in one read: its pages (the document's, then each attachment's) and the
 * list valid on its billing day, which is the day (Europe/Oslo) its run was sent, or the day of `at` when it went
 * alone. Undefined when the version has no stored document.
 */
export async function billingOf(
  db: Tx,
  v: { letterId: string; version: number; tenantId: string; runId: string | null; at: Date },
): Promise<{ pages: number[]; list: DatedPriceList } | undefined> {
  const billingDay = sql`(coalesce(r.created_at, ${v.at.toISOString()}::timestamptz) at time zone 'Europe/Oslo')::date`;
  const [row] = await db.execute<{
    pages: number;
    attachment_pages: number[];
    valid_from: string | null;
    prices: PriceList;
  }>(sql`
    select d.pages, ${attachmentPagesOf(sql.raw('d.letter_id'), sql.raw('d.version'))} as attachment_pages,
           list.valid_from, list.prices
    from letter_documents d
    left join runs r on r.id = ${v.runId}
    cross join lateral ${listValidOn(v.tenantId, billingDay)} list
    where d.letter_id = ${v.letterId} and d.version = ${v.version}`);
  if (!row) return undefined;
  return {
    pages: [row.pages, ...row.attachment_pages],
    list: { validFrom: row.valid_from, prices: row.prices },
  };
}

/** The list valid on `day` (YYYY-MM-DD). */
export async function priceListOn(db: Tx, tenantId: string, day: string): Promise<DatedPriceList> {
  const [list] = await db.execute<{ valid_from: string | null; prices: PriceList }>(
    sql`select list.valid_from, list.prices from ${listValidOn(tenantId, sql`${day}::date`)} list`,
  );
  if (!list) throw new Error(`no tenant ${tenantId}`);
  return { validFrom: list.valid_from, prices: list.prices };
}

/** Every dated list of the tenant, oldest first, after the built-in one. */
export async function priceListsOf(db: Tx, tenantId: string): Promise<DatedPriceList[]> {
  const [tenant] = await db.select({ prices: tenants.prices }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  const dated = await db
    .select({ validFrom: priceLists.validFrom, prices: priceLists.prices })
    .from(priceLists)
    .where(eq(priceLists.tenantId, tenantId))
    .orderBy(priceLists.validFrom);
  return [
    { validFrom: null, prices: tenant.prices },
    ...dated.map((d) => ({ validFrom: d.validFrom, prices: d.prices as PriceList })),
  ];
}

/**
 * Stores the list valid from `validFrom` (replacing one with the same date). Letters already billed keep the
 * price their ledger row holds; the new list applies to what is billed from now on with a date on or after it.
 */
export async function setPriceList(
  db: Tx,
  tenantId: string,
  validFrom: string,
  prices: PriceList,
): Promise<DatedPriceList> {
  await db
    .insert(priceLists)
    .values({ tenantId, validFrom, prices })
    .onConflictDoUpdate({
      target: [priceLists.tenantId, priceLists.validFrom],
      set: { prices, createdAt: sql`now()` },
    });
  return { validFrom, prices };
}

/**
 * Whether the tenant has letters billed on or after `day` (Europe/Oslo): a new list may not start on a day
 * already billed, so the ledger and the list valid on each day always agree.
 */
export async function billedSince(db: Tx, tenantId: string, day: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(costLedger)
    .where(
      and(
        eq(costLedger.tenantId, tenantId),
        gte(costLedger.at, sql`(${day}::date::timestamp at time zone 'Europe/Oslo')`),
      ),
    );
  return (row?.n ?? 0) > 0;
}
