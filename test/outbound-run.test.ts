// Acceptance for the whole life of a letter (issue 4), end to end against the real Temporal server,
// PostgreSQL and the Digipost simulator: a mixed run, a correction, a late PRINT_FAILED, and the costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, max, min } from 'drizzle-orm';
import { DEFAULT_PRICES, upsertTenant } from '../db/tenants';
import { costLedger } from '../db/schema';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { letterApi } from './support/letter-api';
import { Receiver } from './support/webhook-receiver';
import { historyTexts, reveals } from './support/history';
import { letterWorkflowId } from '../domain/workflow-ids';

// The case system's webhook receiver fails its first attempts (twice 500, once no answer), then accepts.
const receiver = new Receiver((n) => (n <= 2 ? 'fail' : n === 3 ? 'hang' : 'accept'));

const sys = useTestSystem();

beforeAll(async () => {
  await receiver.start();
  const created = await sys.json<{ secret: string }>('/v1/webhooks', { body: { url: receiver.url } });
  receiver.secret = created.secret;
}, 180_000);

afterAll(async () => {
  await receiver.close();
});

interface Letter {
  id: string;
  status: string;
  version: number;
  failure: { code: string | null; reason: string | null } | null;
  versions: { version: number; pages: number; pdf: string }[];
  history: { status: string; cause: string; version: number }[];
}

const { create, letter, reaches } = letterApi<Letter>(sys);
const documentUuidsAtDigipost = () =>
  new Set(sys.sim.messages.flatMap((m) => m.documents.map((d) => d.uuid)));

const ids: Record<string, string> = {};

describe('a mixed run', () => {
  it('ends with exactly the expected statuses; the deleted and the unmarked letter never reach Digipost', async () => {
    ids.digital = await create(letterRequest(DIGIPOST_USER, { caseId: 'SAK-MIX' }));
    ids.print = await create(letterRequest(NON_USER, { caseId: 'SAK-MIX' }));
    ids.incomplete = await create(
      letterRequest(NON_USER, { caseId: 'SAK-MIX', address: { lines: ['Storgata 1'], city: 'OSLO' } }),
    );
    ids.deleted = await create(letterRequest(DIGIPOST_USER, { caseId: 'SAK-MIX' }));
    ids.unmarked = await create(
      letterRequest(DIGIPOST_USER, { caseId: 'SAK-MIX', templateCode: 'rentenota' }),
    );
    for (const key of ['digital', 'print', 'incomplete', 'deleted']) await reaches(ids[key]!, 'QUEUED');
    await reaches(ids.unmarked!, 'SELF_SEND');

    const queue = await sys.json<{ letters: { id: string }[] }>('/v1/queue');
    expect(queue.letters.map((l) => l.id).sort()).toEqual(
      [ids.digital, ids.print, ids.incomplete, ids.deleted].sort(),
    );
    expect((await sys.api(`/v1/letters/${ids.deleted}`, { method: 'DELETE' })).status).toBe(200);
    expect((await sys.json<{ letters: unknown[] }>('/v1/queue')).letters).toHaveLength(3);

    const run = await sys.json<{ id: string; counts: { total: number } }>('/v1/runs', { body: {} });
    expect(run.counts.total).toBe(3);
    // once in a run a letter can no longer be deleted
    expect((await sys.api(`/v1/letters/${ids.digital}`, { method: 'DELETE' })).status).toBe(409);

    await reaches(ids.digital!, 'SENT_DIGITAL');
    await reaches(ids.print!, 'SENT_PRINT');
    const incomplete = await reaches(ids.incomplete!, 'NOT_SENT');
    expect(incomplete.failure?.code).toBe('INCOMPLETE_ADDRESS');
    expect(incomplete.failure?.reason).toMatch(/postnummer/);
    expect((await letter(ids.deleted!)).status).toBe('DELETED');
    expect((await letter(ids.unmarked!)).status).toBe('SELF_SEND');

    const done = await until('run done', async () => {
      const r = await sys.json<{
        status: string;
        batchStatus: string;
        counts: Record<string, number>;
        history: { status: string; cause: string; at: string }[];
      }>(`/v1/runs/${run.id}`);
      return r.status === 'DONE' && r;
    });
    expect(done.counts).toEqual({ total: 3, waiting: 0, sentDigital: 1, sentPrint: 1, notSent: 1 });
    // its history: each status change with its cause, oldest first
    expect(done.history.map((h) => h.status)).toEqual(['SENDING', 'COMMITTED', 'DONE']);
    expect(done.history[0]!.cause).toBe('Kjøringen er sendt med 3 brev');
    expect(done.history.every((h) => h.cause.length > 0 && !Number.isNaN(Date.parse(h.at)))).toBe(true);
    expect(sys.sim.batches().map((b) => b.uuid)).toContain(run.id);

    const atDigipost = documentUuidsAtDigipost();
    const uuidOf = async (id: string) => {
      const rows = await sys.db.query.letterDocuments.findMany({ where: (d, { eq }) => eq(d.letterId, id) });
      return rows.map((r) => r.documentUuid);
    };
    for (const u of await uuidOf(ids.digital!)) expect(atDigipost.has(u)).toBe(true);
    for (const u of await uuidOf(ids.print!)) expect(atDigipost.has(u)).toBe(true);
    for (const u of await uuidOf(ids.deleted!)) expect(atDigipost.has(u)).toBe(false);
    for (const u of await uuidOf(ids.unmarked!)) expect(atDigipost.has(u)).toBe(false);

    const failures = await sys.json<{ letters: { id: string; failure: { reason: string } }[] }>(
      '/v1/failures',
    );
    expect(failures.letters.map((l) => l.id)).toEqual([ids.incomplete]);
    // the unmarked letter's PDF is there for the tenant to send itself
    const pdf = await sys.api(`/v1/letters/${ids.unmarked}/versions/1/pdf`);
    expect(pdf.status).toBe(200);
  });

  it('a letter not sent is corrected through the API and ends Sendt print, with both versions in its history', async () => {
    const bad = await sys.api(`/v1/letters/${ids.incomplete}/correction`, {
      body: { address: { lines: ['Storgata 1'], city: 'OSLO' } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /address\.postalCode/,
    );

    const ok = await sys.api(`/v1/letters/${ids.incomplete}/correction`, {
      body: { address: { lines: ['Storgata 1'], postalCode: '0155', city: 'OSLO' } },
    });
    expect(ok.status).toBe(202);
    await reaches(ids.incomplete!, 'QUEUED'); // the tenant queues corrections for the next run
    await sys.json('/v1/runs', { body: {} });
    const corrected = await reaches(ids.incomplete!, 'SENT_PRINT');
    expect(corrected.version).toBe(2);
    expect(corrected.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(corrected.history.map((h) => [h.version, h.status])).toEqual([
      [1, 'QUEUED'],
      [1, 'WAITING'],
      [1, 'NOT_SENT'],
      [2, 'QUEUED'],
      [2, 'WAITING'],
      [2, 'SENT_PRINT'],
    ]);
    expect((await sys.json<{ letters: unknown[] }>('/v1/failures')).letters).toEqual([]);
  });

  it('a late PRINT_FAILED after Sendt print moves the letter to the failure list; a correction recovers it', async () => {
    await upsertTenant(sys.db, { ...sys.tenant, digipostAgreement: 'ACTIVE', correctionMode: 'SEND_NOW' });
    const [doc] = await sys.db.query.letterDocuments.findMany({
      where: (d, { eq, and }) => and(eq(d.letterId, ids.print!), eq(d.version, 1)),
    });
    sys.sim.injectEvent(doc!.documentUuid, 'PRINT_FAILED', { 'error-code': 'Ukjent adresse' });
    const failed = await reaches(ids.print!, 'NOT_SENT');
    expect(failed.failure?.code).toBe('PRINT_FAILED');
    expect(failed.failure?.reason).toMatch(/Utskriften feilet.*Ukjent adresse/);
    const list = await sys.json<{ letters: { id: string }[] }>('/v1/failures');
    expect(list.letters.map((l) => l.id)).toEqual([ids.print]);

    await sys.json(`/v1/letters/${ids.print}/correction`, {
      body: { address: { lines: ['Kirkegata 5'], postalCode: '0153', city: 'OSLO' } },
    });
    const recovered = await reaches(ids.print!, 'SENT_PRINT');
    expect(recovered.version).toBe(2);
    expect(recovered.history.map((h) => h.status)).toEqual([
      'QUEUED',
      'WAITING',
      'SENT_PRINT',
      'NOT_SENT',
      'WAITING',
      'SENT_PRINT',
    ]);
  });

  it('costs equal the price list applied by hand', async () => {
    const sheets = (pages: number) => Math.ceil(pages / 2);
    const pagesOf = async (id: string, v: number) =>
      (await letter(id)).versions.find((x) => x.version === v)!.pages;
    const p = DEFAULT_PRICES;
    const print = async (id: string, v: number) =>
      p.printPerLetter + (sheets(await pagesOf(id, v)) - 1) * p.printPerExtraSheet;
    // sent: digital v1; print v1, print v2; incomplete v2. Print v1's print failed later: its postage is
    // credited, its fee stands (README "Price lists": the print-failed rule)
    const credited = await print(ids.print!, 1);
    const postage =
      p.digitalPerLetter +
      credited +
      (await print(ids.print!, 2)) +
      (await print(ids.incomplete!, 2)) -
      credited;
    // The days (Oslo time) the ledger was written on, from the ledger itself, not today's date.
    const osloDay = (at: Date) => at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
    const [span] = await sys.db
      .select({ first: min(costLedger.at), last: max(costLedger.at) })
      .from(costLedger)
      .where(eq(costLedger.tenantId, sys.tenant.id));
    const costs = await sys.json<{
      channels: { channel: string; letters: number; postage: number }[];
      adminFee: { letters: number; amount: number };
      credits: { letters: number; amount: number };
      total: number;
    }>(`/v1/costs?from=${osloDay(span!.first!)}&to=${osloDay(span!.last!)}`);
    expect(costs.credits).toEqual({ letters: 1, amount: -credited / 100 });
    expect(costs.channels.map((c) => [c.channel, c.letters])).toEqual([
      ['DIGIPOST', 1],
      ['PRINT', 3],
    ]);
    expect(costs.adminFee).toEqual({ letters: 4, amount: 4 });
    expect(Math.round(costs.total * 100)).toBe(postage + 4 * p.adminFeePerLetter);
  });

  it('shows the case page with every letter, its status and versions', async () => {
    const page = await sys.json<{ letters: { id: string; status: string; versions: unknown[] }[] }>(
      '/v1/cases/SAK-MIX/letters',
    );
    const byId = Object.fromEntries(page.letters.map((l) => [l.id, l]));
    expect(byId[ids.digital!]!.status).toBe('SENT_DIGITAL');
    expect(byId[ids.print!]!.versions).toHaveLength(2);
    expect(byId[ids.deleted!]!.status).toBe('DELETED');
    expect(page.letters).toHaveLength(5);
  });

  it('the webhook receiver got every status change once per event id, in order per letter, signed', async () => {
    for (const key of ['digital', 'print', 'incomplete', 'deleted']) {
      const id = ids[key]!;
      const history = (await letter(id)).history.map((h) => h.status);
      const got = await until(`webhooks for ${key}`, async () => {
        const mine = receiver.accepted.filter((r) => r.letterId === id);
        return mine.length >= history.length && mine;
      });
      expect(got.map((r) => r.status)).toEqual(history);
      expect(new Set(got.map((r) => r.eventId)).size).toBe(got.length);
      expect(got.every((r) => r.signatureValid)).toBe(true);
    }
    expect(receiver.attempts).toBeGreaterThan(receiver.accepted.length);
  });

  it('keeps the national id and the corrected address out of clear-text workflow history', async () => {
    const history = historyTexts(
      await sys.temporal.workflow.getHandle(letterWorkflowId(ids.print!)).fetchHistory(),
    );
    expect(history.length).toBeGreaterThan(0);
    for (const secret of [NON_USER, 'Kirkegata 5', 'Storgata 1'])
      expect(reveals(history, secret)).toBe(false);
  });
});
