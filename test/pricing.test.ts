// Price lists and the ledger (issue 15): a run is billed by the list valid on the run's date, also when its
// letters are delivered after the list changed; a print that failed after sending has its postage credited
// (the fee stands); GET/PUT /v1/prices; the costs by month and the CSV export. Fixed dates throughout: no test
// here depends on today's date (costs are read for 0001-01-01..9999-12-31).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { and, eq } from 'drizzle-orm';
import { Client } from '@temporalio/client';
import { openDatabase, type Db } from '../db/connection';
import { createApp } from '../api/app';
import { costLedger, letterDocuments, letters, runs } from '../db/schema';
import { recordTransition } from '../db/transitions';
import { setPriceList } from '../db/prices';
import { tenantForTests } from './support/tenants';
import type { Tenant } from '../db/tenants';

const MARCH = { digitalPerLetter: 50, printPerLetter: 1000, printPerExtraSheet: 100, adminFeePerLetter: 100 };
const APRIL = { digitalPerLetter: 70, printPerLetter: 2000, printPerExtraSheet: 300, adminFeePerLetter: 150 };
const ALL = 'from=0001-01-01&to=9999-12-31';

let db: Db;
let close: () => Promise<void>;
let server: Server;
let base: string;

beforeAll(async () => {
  ({ db, close } = await openDatabase(inject('databaseUrl')));
  // the routes under test never reach Temporal; a lazy client is never connected
  const app = createApp({
    db,
    temporal: new Client(),
    taskQueue: 'unused',
    logger: pino({ level: 'silent' }),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await close();
});

/** A letter of `tenant` waiting in a run created at `runAt`, its document `pages` long. */
async function waitingLetter(tenant: Tenant, runAt: Date, pages: number, caseId: string) {
  const runId = randomUUID();
  await db
    .insert(runs)
    .values({ id: runId, tenantId: tenant.id, status: 'COMMITTED', letterCount: 1, createdAt: runAt });
  const id = randomUUID();
  await db.insert(letters).values({
    id,
    tenantId: tenant.id,
    caseId,
    templateCode: 'IKV_inkassovarsel',
    status: 'WAITING',
    runId,
    recipient: { name: 'Kari Nordmann', nationalId: '01019010127', address: { lines: ['Storgata 1'] } },
    mergeData: {},
  });
  await db
    .insert(letterDocuments)
    .values({ letterId: id, version: 1, documentUuid: randomUUID(), pdf: '', sha256: '', pages });
  return id;
}

const sent = (letterId: string, to: 'SENT_PRINT' | 'SENT_DIGITAL') =>
  recordTransition(db, { letterId, from: ['WAITING'], to, cause: 'Levert av Digipost' });

const ledgerOf = (letterId: string) =>
  db.select().from(costLedger).where(eq(costLedger.letterId, letterId)).orderBy(costLedger.kind);

async function call(tenantKey: string, path: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${tenantKey}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

describe('billing by the price list valid on the run’s date', () => {
  it('bills a run sent on 31 March by March’s list, one sent on 1 April (Oslo) by April’s, whenever delivered', async () => {
    const { tenant } = await tenantForTests(db);
    await setPriceList(db, tenant.id, '2026-03-01', MARCH);
    await setPriceList(db, tenant.id, '2026-04-01', APRIL);
    // 23:30 and 00:30 Oslo time (UTC+2 from 29 March): either side of the change
    const lateMarch = await waitingLetter(tenant, new Date('2026-03-31T21:30:00Z'), 5, 'BILL-1');
    const earlyApril = await waitingLetter(tenant, new Date('2026-03-31T22:30:00Z'), 5, 'BILL-2');
    const digitalApril = await waitingLetter(tenant, new Date('2026-04-02T08:00:00Z'), 5, 'BILL-3');
    expect(await sent(lateMarch, 'SENT_PRINT')).toBe(true);
    expect(await sent(earlyApril, 'SENT_PRINT')).toBe(true);
    expect(await sent(digitalApril, 'SENT_DIGITAL')).toBe(true);

    // 5 pages = 3 sheets: first sheet + 2 extra
    const charges = [
      {
        letter: lateMarch,
        channel: 'PRINT',
        sheets: 3,
        postage: 1000 + 2 * 100,
        adminFee: 100,
        priceListFrom: '2026-03-01',
      },
      {
        letter: earlyApril,
        channel: 'PRINT',
        sheets: 3,
        postage: 2000 + 2 * 300,
        adminFee: 150,
        priceListFrom: '2026-04-01',
      },
      {
        letter: digitalApril,
        channel: 'DIGIPOST',
        sheets: 0,
        postage: 70,
        adminFee: 150,
        priceListFrom: '2026-04-01',
      },
    ];
    for (const { letter, ...charge } of charges) {
      expect(await ledgerOf(letter)).toMatchObject([{ kind: 'CHARGE', ...charge }]);
    }
  });

  it('bills by the tenant’s built-in list before its first dated list', async () => {
    const { tenant } = await tenantForTests(db);
    await setPriceList(db, tenant.id, '2026-04-01', APRIL);
    const before = await waitingLetter(tenant, new Date('2026-03-15T12:00:00Z'), 1, 'BILL-4');
    await sent(before, 'SENT_PRINT');
    expect(await ledgerOf(before)).toMatchObject([
      {
        postage: tenant.prices.printPerLetter,
        adminFee: tenant.prices.adminFeePerLetter,
        priceListFrom: null,
      },
    ]);
  });
});

describe('the print-failed rule', () => {
  it('credits the postage of a print that failed after sending, once; the fee stands; digital is not credited', async () => {
    const { tenant, apiKey } = await tenantForTests(db);
    await setPriceList(db, tenant.id, '2026-03-01', MARCH);
    const printed = await waitingLetter(tenant, new Date('2026-03-10T10:00:00Z'), 3, 'FAIL-1');
    const digital = await waitingLetter(tenant, new Date('2026-03-10T10:00:00Z'), 1, 'FAIL-2');
    await sent(printed, 'SENT_PRINT');
    await sent(digital, 'SENT_DIGITAL');
    const fail = (letterId: string, code: string) =>
      recordTransition(db, {
        letterId,
        from: ['SENT_PRINT', 'SENT_DIGITAL', 'WAITING'],
        to: 'NOT_SENT',
        cause: `Digipost meldte ${code}`,
        failure: { code, reason: 'Utskriften feilet' },
      });
    expect(await fail(printed, 'PRINT_FAILED')).toBe(true);
    expect(await fail(printed, 'PRINT_FAILED')).toBe(false); // a repeated event changes nothing
    expect(await fail(digital, 'SHREDDED')).toBe(true);

    expect(await ledgerOf(printed)).toMatchObject([
      { kind: 'CHARGE', postage: 1100, adminFee: 100 },
      {
        kind: 'CREDIT',
        channel: 'PRINT',
        sheets: 2,
        postage: -1100,
        adminFee: 0,
        priceListFrom: '2026-03-01',
      },
    ]);
    expect((await ledgerOf(digital)).map((r) => r.kind)).toEqual(['CHARGE']);

    const costs = (await (await call(apiKey, `/v1/costs?${ALL}`)).json()) as Record<string, unknown>;
    expect(costs).toMatchObject({
      channels: [
        { channel: 'DIGIPOST', letters: 1, postage: 0.5 },
        { channel: 'PRINT', letters: 1, sheets: 2, postage: 0 },
      ],
      adminFee: { letters: 2, amount: 2 },
      credits: { letters: 1, amount: -11 },
      total: 2.5,
    });
  });
});

describe('GET/PUT /v1/prices, costs by month and the CSV export', () => {
  it('sets and shows the lists, refuses bad input naming the field and a list for days already billed', async () => {
    const { tenant, apiKey } = await tenantForTests(db);
    const put = (body: unknown) => call(apiKey, '/v1/prices', { method: 'PUT', body });
    const bad = await put({ validFrom: '2026-02-30', prices: MARCH });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^validFrom:/);
    const negative = await put({ validFrom: '2026-03-01', prices: { ...MARCH, printPerLetter: -1 } });
    expect(negative.status).toBe(400);
    expect(((await negative.json()) as { error: { message: string } }).error.message).toMatch(
      /prices\.printPerLetter/,
    );
    const ok = await put({ validFrom: '2026-03-01', prices: MARCH });
    expect(ok.status).toBe(200);
    const got = (await (await call(apiKey, '/v1/prices')).json()) as { lists: unknown[] };
    expect(got.lists).toEqual([
      { validFrom: null, prices: tenant.prices },
      { validFrom: '2026-03-01', prices: MARCH },
    ]);
    // a letter billed: a list starting on or before that day is refused
    const l = await waitingLetter(tenant, new Date('2026-03-10T10:00:00Z'), 1, 'P-1');
    await sent(l, 'SENT_DIGITAL');
    const late = await put({ validFrom: '2026-03-05', prices: APRIL });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('ALREADY_BILLED');
  });

  it('answers a period in one request with its months and the prices applied, and exports one CSV line per sent version', async () => {
    const { tenant, apiKey } = await tenantForTests(db);
    await setPriceList(db, tenant.id, '2026-03-01', MARCH);
    const a = await waitingLetter(tenant, new Date('2026-03-10T10:00:00Z'), 5, '=HYPERLINK("x")');
    const b = await waitingLetter(tenant, new Date('2026-03-10T10:00:00Z'), 1, 'CSV-2');
    await sent(a, 'SENT_PRINT');
    await sent(b, 'SENT_DIGITAL');
    // delivered times are the clock's; fix them so the month is known
    await db
      .update(costLedger)
      .set({ at: new Date('2026-03-10T10:05:00Z') })
      .where(eq(costLedger.letterId, a));
    await db
      .update(costLedger)
      .set({ at: new Date('2026-04-30T22:30:00Z') })
      .where(eq(costLedger.letterId, b));

    const costs = (await (await call(apiKey, `/v1/costs?${ALL}`)).json()) as {
      months: { month: string; total: number }[];
      pricesApplied: unknown[];
      total: number;
    };
    // b at 00:30 on 1 May, Oslo time
    expect(costs.months).toMatchObject([
      { month: '2026-03', total: 13 },
      { month: '2026-05', total: 1.5 },
    ]);
    expect(costs.total).toBe(14.5);
    expect(costs.pricesApplied).toEqual([{ validFrom: '2026-03-01', prices: MARCH }]);

    const csv = await call(apiKey, `/v1/costs.csv?from=2026-03-01&to=2026-05-31`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/kostnader-2026-03-01-2026-05-31\.csv/);
    const lines = (await csv.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toEqual([
      'dato;sak;brev;versjon;type;kanal;ark;pris;gebyr;prisliste',
      `2026-03-10;"'=HYPERLINK(""x"")";${a};1;sendt;print;3;12,00;1,00;2026-03-01`,
      `2026-05-01;CSV-2;${b};1;sendt;digital;0;0,50;1,00;2026-03-01`,
    ]);
    // another tenant sees none of it
    const other = await tenantForTests(db);
    const theirs = await (await call(other.apiKey, `/v1/costs.csv?${ALL}`)).text();
    expect(
      theirs
        .replace(/^\ufeff/, '')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(1);
    const bad = await call(apiKey, '/v1/costs.csv?from=2026-03-01');
    expect(bad.status).toBe(400);
    expect(
      await db
        .select()
        .from(costLedger)
        .where(and(eq(costLedger.tenantId, other.tenant.id))),
    ).toEqual([]);
  });
});
