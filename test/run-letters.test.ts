// The run page (GET /v1/runs/{id}/letters) and a run's counts, end to end against the real Temporal server,
// PostgreSQL and the Digipost simulator: a letter not sent in the first run is corrected and sent in a second
// run; the first run still counts it once, as it ended there, and the second lists the corrected version.
import { describe, expect, it } from 'vitest';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';

const sys = useTestSystem();

interface RunLetter {
  id: string;
  version: number;
  status: string;
  statusText: string;
  reasonText: string | null;
  currentVersion: number;
  currentStatus: string;
  pdf: string;
}
interface RunPage {
  run: { id: string; status: string; counts: Record<string, number> };
  letters: RunLetter[];
}

const create = async (body: unknown) => (await sys.json<{ id: string }>('/v1/letters', { body })).id;
const reaches = (id: string, status: string) =>
  until(`letter ${id} ${status}`, async () => {
    const l = await sys.json<{ status: string; version: number }>(`/v1/letters/${id}`);
    return l.status === status && l;
  });
const runDone = (id: string) =>
  until(`run ${id} done`, async () => {
    const r = await sys.json<RunPage>(`/v1/runs/${id}/letters`);
    return r.run.status === 'DONE' && r;
  });

describe('a run page', () => {
  it('keeps a run’s letters and counts when a letter of it is corrected and sent in a later run', async () => {
    const digital = await create(letterRequest(DIGIPOST_USER, { caseId: 'SAK-RUNPAGE' }));
    const incomplete = await create(
      letterRequest(NON_USER, { caseId: 'SAK-RUNPAGE', address: { lines: ['Storgata 1'], city: 'OSLO' } }),
    );
    await reaches(digital, 'QUEUED');
    await reaches(incomplete, 'QUEUED');
    const first = await sys.json<{ id: string }>('/v1/runs', { body: {} });
    await reaches(digital, 'SENT_DIGITAL');
    await reaches(incomplete, 'NOT_SENT');
    const page1 = await runDone(first.id);
    expect(page1.run.counts).toEqual({ total: 2, waiting: 0, sentDigital: 1, sentPrint: 0, notSent: 1 });
    // the order the run sent them: the letters' creation
    expect(page1.letters.map((l) => [l.id, l.version, l.status])).toEqual([
      [digital, 1, 'SENT_DIGITAL'],
      [incomplete, 1, 'NOT_SENT'],
    ]);
    expect(page1.letters[1]!.statusText).toBe('Ikke sendt');
    expect(page1.letters[1]!.reasonText).toMatch(/postadressen er ufullstendig/);

    const ok = await sys.api(`/v1/letters/${incomplete}/correction`, {
      body: { address: { lines: ['Storgata 1'], postalCode: '0155', city: 'OSLO' } },
    });
    expect(ok.status).toBe(202);
    await reaches(incomplete, 'QUEUED');
    const second = await sys.json<{ id: string }>('/v1/runs', { body: {} });
    await reaches(incomplete, 'SENT_PRINT');
    const page2 = await runDone(second.id);
    expect(page2.run.counts).toEqual({ total: 1, waiting: 0, sentDigital: 0, sentPrint: 1, notSent: 0 });
    expect(page2.letters).toMatchObject([
      { id: incomplete, version: 2, status: 'SENT_PRINT', reasonText: null, currentVersion: 2 },
    ]);
    expect(page2.letters[0]!.pdf).toBe(`/v1/letters/${incomplete}/versions/2/pdf`);

    // the first run still counts the letter once, as it ended there, and shows what the letter is now
    const again = await sys.json<RunPage>(`/v1/runs/${first.id}/letters`);
    expect(again.run.counts).toEqual(page1.run.counts);
    expect(again.letters.find((l) => l.id === incomplete)).toMatchObject({
      version: 1,
      status: 'NOT_SENT',
      currentVersion: 2,
      currentStatus: 'SENT_PRINT',
    });
    const listed = await sys.json<{ runs: { id: string; counts: Record<string, number> }[] }>('/v1/runs');
    expect(listed.runs.find((r) => r.id === first.id)?.counts).toEqual(page1.run.counts);

    // paging: limit/offset in the documented order
    const paged = await sys.json<RunPage>(`/v1/runs/${first.id}/letters?limit=1&offset=1`);
    expect(paged.letters.map((l) => l.id)).toEqual([incomplete]);
  });

  it('answers 400 for a bad limit, 404 for an unknown or malformed run, 405 for another method', async () => {
    const bad = await sys.api(`/v1/runs/${crypto.randomUUID()}/letters?limit=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/limit/);
    expect((await sys.api(`/v1/runs/${crypto.randomUUID()}/letters`)).status).toBe(404);
    expect((await sys.api('/v1/runs/not-a-run/letters')).status).toBe(404);
    const post = await sys.api(`/v1/runs/${crypto.randomUUID()}/letters`, { body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toContain('GET');
  });
});
