// The run preview (issue 15), end to end against the real Temporal server, PostgreSQL and the Digipost
// simulator: its forecast for a Digipost user, an identified non-user and a recipient unknown to Digipost (both
// with a complete address) and a non-user without one is what the run then does, letter by letter, and its cost
// estimate is what the ledger then bills. It sends nothing, and a second preview reuses the identifications.
import { describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { digipostIdentifications } from '../db/schema';
import { identificationKey } from '../db/identifications';
import { isValidNationalId } from '../domain/national-id';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';

const sys = useTestSystem();

/** A valid national id the simulator's register does not know (Digipost: UNIDENTIFIED, NOT_FOUND). */
function unknownPerson(): string {
  for (let n = 0; n < 100_000; n++) {
    const id = `010190${String(n).padStart(5, '0')}`;
    if (isValidNationalId(id) && id !== DIGIPOST_USER && id !== NON_USER) return id;
  }
  throw new Error('no valid national id found');
}

interface Preview {
  letters: { id: string; forecast: string; reasonCode: string | null; reason: string | null; cost: number }[];
  totals: { letters: number; digital: number; print: number; notReachable: number };
  cost: { total: number; postage: number; adminFee: number };
  identification: { asked: number; cached: number };
}

const EXPECTED_STATUS: Record<string, string> = {
  DIGITAL: 'SENT_DIGITAL',
  PRINT: 'SENT_PRINT',
  NOT_REACHABLE: 'NOT_SENT',
};

describe('POST /v1/runs/preview', () => {
  it('forecasts each letter as the run then sends it, with the cost the ledger then bills, sending nothing', async () => {
    const stranger = unknownPerson();
    const create = async (body: unknown) => (await sys.json<{ id: string }>('/v1/letters', { body })).id;
    const ids = {
      digital: await create(letterRequest(DIGIPOST_USER, { caseId: 'PRE-1' })),
      print: await create(letterRequest(NON_USER, { caseId: 'PRE-2' })),
      unknown: await create(letterRequest(stranger, { caseId: 'PRE-3' })),
      incomplete: await create(
        letterRequest(NON_USER, { caseId: 'PRE-4', address: { lines: ['Storgata 1'], city: 'OSLO' } }),
      ),
    };
    for (const id of Object.values(ids))
      await until(`letter ${id} queued`, async () => {
        return (await sys.json<{ status: string }>(`/v1/letters/${id}`)).status === 'QUEUED';
      });

    // the cache is the broker's (shared by its tenants): forget these recipients from an earlier run of this test
    await sys.db.delete(digipostIdentifications).where(
      inArray(
        digipostIdentifications.keyHash,
        [DIGIPOST_USER, NON_USER, stranger].map((n) => identificationKey(null, n)),
      ),
    );
    const sentBefore = sys.sim.messages.length;
    const res = await sys.api('/v1/runs/preview', { method: 'POST' });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as Preview;
    expect(sys.sim.messages.length, 'the preview sent nothing').toBe(sentBefore);
    const forecast = Object.fromEntries(preview.letters.map((l) => [l.id, l]));
    expect(forecast[ids.digital]).toMatchObject({ forecast: 'DIGITAL', reasonCode: null });
    expect(forecast[ids.print]).toMatchObject({ forecast: 'PRINT', reasonCode: 'NO_DIGIPOST_MAILBOX' });
    expect(forecast[ids.unknown]).toMatchObject({ forecast: 'PRINT', reasonCode: 'NO_DIGIPOST_MAILBOX' });
    expect(forecast[ids.incomplete]).toMatchObject({
      forecast: 'NOT_REACHABLE',
      reasonCode: 'INCOMPLETE_ADDRESS',
      cost: 0,
    });
    expect(forecast[ids.incomplete]!.reason).toMatch(/ufullstendig.*mangler postnummer/);
    expect(preview.totals).toEqual({ letters: 4, digital: 1, print: 2, notReachable: 1 });
    expect(preview.identification).toEqual({ asked: 3, cached: 0 }); // NON_USER has two letters, asked once

    // the cache: no national id stored, only its keyed hash; a second preview asks Digipost nothing
    const cached = await sys.db
      .select()
      .from(digipostIdentifications)
      .where(
        inArray(
          digipostIdentifications.keyHash,
          [DIGIPOST_USER, NON_USER, stranger].map((n) => identificationKey(null, n)),
        ),
      );
    expect(cached.map((c) => c.result).sort()).toEqual(['DIGIPOST', 'IDENTIFIED', 'UNIDENTIFIED']);
    expect(JSON.stringify(cached)).not.toContain(NON_USER);
    const again = (await sys.json<Preview>('/v1/runs/preview', { method: 'POST' })).identification;
    expect(again).toEqual({ asked: 0, cached: 4 });
    // an identification older than the cache time is asked again
    await sys.db
      .update(digipostIdentifications)
      .set({ identifiedAt: sql`now() - interval '2 days'` })
      .where(eq(digipostIdentifications.keyHash, identificationKey(null, DIGIPOST_USER)));
    expect((await sys.json<Preview>('/v1/runs/preview', { method: 'POST' })).identification).toEqual({
      asked: 1,
      cached: 3,
    });

    // the run: every letter ends as forecast, and the bill is the estimate
    const run = await sys.json<{ id: string }>('/v1/runs', { method: 'POST', body: {} });
    for (const [id, f] of Object.entries(forecast)) {
      const l = await until(`letter ${id} ${EXPECTED_STATUS[f.forecast]}`, async () => {
        const l = await sys.json<{ status: string; runId: string; failure: { code: string } | null }>(
          `/v1/letters/${id}`,
        );
        return l.status === EXPECTED_STATUS[f.forecast] && l;
      });
      expect(l.runId).toBe(run.id);
      if (f.forecast === 'NOT_REACHABLE') expect(l.failure?.code).toBe(f.reasonCode);
    }
    const costs = await sys.json<{ total: number; adminFee: { amount: number } }>(
      '/v1/costs?from=0001-01-01&to=9999-12-31',
    );
    expect(costs.total).toBe(preview.cost.total);
    expect(costs.adminFee.amount).toBe(preview.cost.adminFee);
  }, 180_000);

  it('answers an empty forecast for an empty queue, and 409 for a tenant without a Digipost agreement', async () => {
    const empty = await sys.newTenant();
    const none = await sys.json<Preview>('/v1/runs/preview', { method: 'POST', headers: empty.auth });
    expect(none.totals).toEqual({ letters: 0, digital: 0, print: 0, notReachable: 0 });
    expect(none.cost.total).toBe(0);
    const without = await sys.newTenant({ digipostAgreement: 'NONE' });
    const res = await sys.api('/v1/runs/preview', { method: 'POST', headers: without.auth });
    expect(res.status).toBe(409);
    const get = await sys.api('/v1/runs/preview');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const bad = await sys.api('/v1/runs/preview?limit=-1', { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^limit:/);
  });
});
