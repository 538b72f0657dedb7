// The letter lists over HTTP against the real system (Temporal dev server, worker, PostgreSQL): the search
// GET /v1/letters pages through 2,500 letters of a case with a cursor, each exactly once and in the documented
// order (newest first); its filters, and the queue, failure and inbound lists' cursors. The letters are
// written straight into the database (this tests the read path) for tenants the letter sweeper does not look
// at, with fixed creation times (never today's date).
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { inboundItems, letters, receivingSystems } from '../db/schema';
import { useTestSystem } from './support/system';
import type { LetterStatus } from '../domain/letter-status';

let auth: { authorization: string };
let tenantId: string;

const sys = useTestSystem();

beforeAll(async () => {
  ({
    auth,
    tenant: { id: tenantId },
  } = await sys.newTenant());
}, 180_000);

type Summary = { id: string; caseId: string; status: string; templateCode: string; createdAt: string };
type Page = { items: Summary[]; nextCursor: string | null };
type ErrorBody = { error: { code: string; details?: { field: string; in?: string }[] } };

const BASE = '2026-03-01T10:00:00.000Z';

/** Letter rows for `tenant`: creation times `BASE + micros(i)` microseconds, so several share one millisecond. */
function rows(
  tenant: string,
  n: number,
  opts: {
    caseId: string;
    status: LetterStatus;
    templateCode?: string;
    runId?: string;
    micros?: (i: number) => number;
    at?: string;
  },
) {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    tenantId: tenant,
    caseId: opts.caseId,
    templateCode: opts.templateCode ?? 'IKV_inkassovarsel',
    status: opts.status,
    runId: opts.runId ?? null,
    recipient: { nationalId: '01010112345', name: `Mottaker ${i}`, address: { lines: ['Storgata 1'] } },
    mergeData: {},
    createdAt: sql`${opts.at ?? BASE}::timestamptz + ${opts.micros?.(i) ?? i} * interval '1 microsecond'`,
  }));
}

async function insert(values: ReturnType<typeof rows>) {
  for (let i = 0; i < values.length; i += 500) await sys.db.insert(letters).values(values.slice(i, i + 500));
  return values.map((v) => v.id);
}

const get = (path: string, as = auth) => sys.api(path, { headers: as });

/** Every page of a list, following nextCursor; each page's ids. */
async function allPages(path: string, key: 'items' | 'letters' = 'items', as = auth) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path, as);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { nextCursor: string | null };
    pages.push((body[key] as Summary[]).map((l) => l.id));
    cursor = body.nextCursor;
    if (pages.length > 1000) throw new Error('the cursor does not advance');
  } while (cursor);
  return pages;
}

async function badRequest(path: string): Promise<ErrorBody['error']> {
  const res = await get(path);
  expect(res.status, await res.clone().text()).toBe(400);
  return ((await res.json()) as ErrorBody).error;
}

describe('GET /v1/letters', () => {
  const bigCase = `SAK-${randomUUID().slice(0, 8)}`;
  let expected: string[];
  let otherStatus: string[];

  beforeAll(async () => {
    // 2,500 queued letters of one case, creation times repeating every 1,000 letters within one millisecond
    // (ties broken by id, microseconds that a millisecond cursor would lose)
    const wanted = await insert(
      rows(tenantId, 2500, { caseId: bigCase, status: 'QUEUED', micros: (i) => i % 1000 }),
    );
    otherStatus = await insert(rows(tenantId, 40, { caseId: bigCase, status: 'WAITING' }));
    await insert(rows(tenantId, 40, { caseId: `${bigCase}-2`, status: 'QUEUED' }));
    const other = await sys.newTenant();
    await insert(rows(other.tenant.id, 40, { caseId: bigCase, status: 'QUEUED' }));
    // the order the API promises, as PostgreSQL sorts it: newest first, then id descending
    const ordered = await sys.db
      .select({ id: letters.id })
      .from(letters)
      .where(and(eq(letters.tenantId, tenantId), inArray(letters.id, wanted)))
      .orderBy(desc(letters.createdAt), desc(letters.id));
    expect(ordered).toHaveLength(2500);
    expected = ordered.map((r) => r.id);
  }, 120_000);

  it('pages through 2,500 letters of a case and status with a cursor, each exactly once, newest first', async () => {
    const pages = await allPages(`/v1/letters?caseId=${bigCase}&status=QUEUED&limit=123`);
    expect(pages).toHaveLength(Math.ceil(2500 / 123));
    for (const p of pages.slice(0, -1)) expect(p).toHaveLength(123);
    const ids = pages.flat();
    expect(new Set(ids).size).toBe(ids.length);
    // no gaps, no strangers (other status, other case, other tenant), in the documented order
    expect(ids).toEqual(expected);
  });

  it('pages the same with the largest limit and with the default of 50', async () => {
    const big = await allPages(`/v1/letters?caseId=${bigCase}&status=QUEUED&limit=500`);
    expect(big.map((p) => p.length)).toEqual([500, 500, 500, 500, 500]);
    expect(big.flat()).toEqual(expected);
    const first = (await (await get(`/v1/letters?caseId=${bigCase}&status=QUEUED`)).json()) as Page;
    expect(first.items.map((l) => l.id)).toEqual(expected.slice(0, 50));
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it('takes several statuses, comma-separated or repeated', async () => {
    const comma = (await allPages(`/v1/letters?caseId=${bigCase}&status=QUEUED,WAITING&limit=500`)).flat();
    const repeated = (
      await allPages(`/v1/letters?caseId=${bigCase}&status=WAITING&status=QUEUED&limit=500`)
    ).flat();
    expect(comma).toHaveLength(2540);
    expect(new Set(comma)).toEqual(new Set([...expected, ...otherStatus]));
    expect(repeated).toEqual(comma);
    const waiting = (await allPages(`/v1/letters?caseId=${bigCase}&status=WAITING`)).flat();
    expect(new Set(waiting)).toEqual(new Set(otherStatus));
  });

  it('finds a letter by its externalId, and only that one', async () => {
    const [a, b] = rows(tenantId, 2, { caseId: 'EXT-1', status: 'QUEUED' });
    await sys.db.insert(letters).values([
      { ...a!, externalId: 'KK2-4711-IKV' },
      { ...b!, externalId: 'KK2-4712-IKV' },
    ]);
    expect((await allPages('/v1/letters?externalId=KK2-4711-IKV')).flat()).toEqual([a!.id]);
    expect((await allPages('/v1/letters?externalId=KK2-4711-IKV&status=WAITING')).flat()).toEqual([]);
    expect((await allPages('/v1/letters?externalId=ukjent')).flat()).toEqual([]);
  });

  it('filters by template, run and creation day (whole days in Oslo time)', async () => {
    const caseId = `SAK-${randomUUID().slice(0, 8)}`;
    const runId = randomUUID();
    const [inRun] = await insert(rows(tenantId, 1, { caseId, status: 'WAITING', runId }));
    const [rentenota] = await insert(
      rows(tenantId, 1, { caseId, status: 'SELF_SEND', templateCode: 'rentenota' }),
    );
    // 23:30 UTC on 1 March is 00:30 on 2 March in Oslo
    const [lateEvening] = await insert(
      rows(tenantId, 1, { caseId, status: 'QUEUED', at: '2026-03-01T23:30:00.000Z' }),
    );
    const [early] = await insert(
      rows(tenantId, 1, { caseId, status: 'QUEUED', at: '2026-02-28T22:59:59.000Z' }),
    );
    const ids = async (q: string) =>
      new Set(
        ((await (await get(`/v1/letters?caseId=${caseId}&${q}`)).json()) as Page).items.map((l) => l.id),
      );
    expect(await ids(`runId=${runId}`)).toEqual(new Set([inRun]));
    expect(await ids('templateCode=rentenota')).toEqual(new Set([rentenota]));
    expect(await ids('createdFrom=2026-03-02')).toEqual(new Set([lateEvening]));
    expect(await ids('createdTo=2026-03-01')).toEqual(new Set([inRun, rentenota, early]));
    expect(await ids('createdFrom=2026-03-01&createdTo=2026-03-01')).toEqual(new Set([inRun, rentenota]));
    // 22:59:59 UTC on 28 February is 23:59:59 in Oslo: still 28 February
    expect(await ids('createdFrom=2026-02-28&createdTo=2026-02-28')).toEqual(new Set([early]));
    expect(await ids('status=SELF_SEND,WAITING&createdTo=2026-03-01')).toEqual(new Set([inRun, rentenota]));
  });

  it('refuses a malformed cursor, bad dates, limits and statuses with a 400 naming the parameter', async () => {
    const named = async (q: string, field: string) => {
      const e = await badRequest(`/v1/letters?${q}`);
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.details?.map((d) => [d.field, d.in])).toContainEqual([field, 'query']);
    };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await named('cursor=abc', 'cursor');
    await named('cursor=%25%25', 'cursor');
    await named(`cursor=${b64({ t: '2026-03-01T10:00:00.000000Z' })}`, 'cursor');
    await named(`cursor=${b64({ t: '2026-02-30T10:00:00.000000Z', i: randomUUID() })}`, 'cursor');
    await named(`cursor=${b64({ t: '2026-03-01 10:00', i: randomUUID() })}`, 'cursor');
    await named(`cursor=${b64({ t: '2026-03-01T10:00:00.000000Z', i: 'x' })}`, 'cursor');
    await named(`cursor=${'A'.repeat(201)}`, 'cursor');
    await named('createdFrom=2026-02-30', 'createdFrom');
    await named('createdTo=01.03.2026', 'createdTo');
    await named('createdFrom=2026-03-02&createdTo=2026-03-01', 'createdFrom');
    await named('limit=501', 'limit');
    await named('limit=0', 'limit');
    await named('status=SENT', 'status.0');
    await named('status=QUEUED,', 'status.1');
    await named('runId=not-a-uuid', 'runId');
    await named('offset=10', '(query)');
    // a cursor made by the server for one tenant reveals nothing to another: it only pages the caller's own
    const page = (await (await get(`/v1/letters?caseId=${bigCase}&limit=1`)).json()) as Page;
    const stranger = await sys.newTenant();
    const res = await get(`/v1/letters?cursor=${page.nextCursor}`, stranger.auth);
    expect(((await res.json()) as Page).items).toEqual([]);
  });
});

describe('the queue and the failure list', () => {
  it('page with a cursor, filter by case, template and day, and still take limit/offset', async () => {
    const { auth: as, tenant } = await sys.newTenant();
    const caseId = `SAK-${randomUUID().slice(0, 8)}`;
    const queued = await insert(rows(tenant.id, 30, { caseId, status: 'QUEUED' }));
    await insert(rows(tenant.id, 5, { caseId: 'ANNEN', status: 'QUEUED' }));
    await insert(rows(tenant.id, 5, { caseId, status: 'QUEUED', templateCode: 'BO_betalingsoppfordring' }));
    const failed = await insert(rows(tenant.id, 12, { caseId, status: 'NOT_SENT' }));

    const q = `/v1/queue?caseId=${caseId}&templateCode=IKV_inkassovarsel`;
    // oldest first, as the run sends them
    const byCursor = await allPages(`${q}&limit=7`, 'letters', as);
    expect(byCursor.flat()).toEqual(queued);
    const byOffset: string[] = [];
    for (let offset = 0; offset < 30; offset += 7) {
      const body = (await (await get(`${q}&limit=7&offset=${offset}`, as)).json()) as { letters: Summary[] };
      byOffset.push(...body.letters.map((l) => l.id));
    }
    expect(byOffset).toEqual(queued);
    expect((await allPages(`/v1/queue?createdFrom=2026-03-02`, 'letters', as)).flat()).toEqual([]);
    expect(
      (await allPages(`/v1/queue?createdFrom=2026-03-01&limit=1000`, 'letters', as)).flat(),
    ).toHaveLength(40);

    // newest first
    const failures = await allPages(`/v1/failures?caseId=${caseId}&limit=5`, 'letters', as);
    expect(failures.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(failures.flat()).toEqual([...failed].reverse());

    const first = (await (await get(`${q}&limit=7`, as)).json()) as { nextCursor: string };
    const both = await get(`${q}&offset=5&cursor=${first.nextCursor}`, as);
    expect(both.status).toBe(400);
    const e = ((await both.json()) as ErrorBody).error;
    expect(e.details?.map((d) => d.field)).toEqual(['offset']);
  });
});

describe('GET /v1/inbound', () => {
  it('pages past 500 items with a cursor, newest first, each once', async () => {
    const { auth: as, tenant } = await sys.newTenant();
    const systemId = randomUUID();
    await sys.db.insert(receivingSystems).values({
      id: systemId,
      tenantId: tenant.id,
      name: 'Test',
      username: `u-${systemId}`,
      passwordSealed: 'x',
      privateKeySealed: 'x',
      active: false,
    });
    const items = Array.from({ length: 620 }, (_, i) => ({
      id: randomUUID(),
      tenantId: tenant.id,
      receivingSystemId: systemId,
      forsendelseId: randomUUID(),
      status: i % 3 === 0 ? ('AWAITING_TRIAGE' as const) : ('ARCHIVED' as const),
      title: `Forsendelse ${i}`,
      metadata: {},
      createdAt: sql`${BASE}::timestamptz + ${i % 200} * interval '1 microsecond'`,
    }));
    for (let i = 0; i < items.length; i += 310)
      await sys.db.insert(inboundItems).values(items.slice(i, i + 310));
    const ordered = (
      await sys.db
        .select({ id: inboundItems.id })
        .from(inboundItems)
        .where(eq(inboundItems.tenantId, tenant.id))
        .orderBy(desc(inboundItems.createdAt), desc(inboundItems.id))
    ).map((r) => r.id);
    const pages = await allPages('/v1/inbound?limit=500', 'items', as);
    expect(pages.map((p) => p.length)).toEqual([500, 120]);
    expect(pages.flat()).toEqual(ordered);
    const awaiting = (await allPages('/v1/inbound?status=AWAITING_TRIAGE&limit=100', 'items', as)).flat();
    expect(awaiting).toEqual(
      ordered.filter((id) => items.find((x) => x.id === id)!.status === 'AWAITING_TRIAGE'),
    );
    const e = await badRequest('/v1/inbound?cursor=bm9wZQ');
    expect(e.details?.map((d) => d.field)).toEqual(['cursor']);
  });
});
