// The outbound API end to end (real Temporal, worker, PostgreSQL, Digipost simulator): a letter is produced
// and queued, a run sends it; bad input gets a 4xx naming the field; tenants see only their own letters.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { DIGIPOST_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { letterWorkflowId } from '../domain/workflow-ids';

let runId: string;

const sys = useTestSystem();

const post = (body: string, type = 'application/json') =>
  fetch(`${sys.base}/v1/letters`, { method: 'POST', headers: { 'content-type': type, ...sys.auth }, body });
const valid = () => letterRequest(DIGIPOST_USER);
type Letter = {
  status: string;
  workflowId: string;
  history: { status: string }[];
  versions: { pdf: string }[];
};

describe('a letter through the API', () => {
  it('is produced and queued (202 + Location), goes out in a run and ends Sendt web', async () => {
    const res = await post(JSON.stringify(valid()));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(res.headers.get('location')).toBe(`/v1/letters/${id}`);
    await until('queued', async () => (await sys.json<Letter>(`/v1/letters/${id}`)).status === 'QUEUED');
    const queue = await sys.json<{ letters: { id: string }[] }>('/v1/queue');
    expect(queue.letters.map((l) => l.id)).toContain(id);

    const run = await sys.api('/v1/runs', { method: 'POST', body: {} });
    expect(run.status).toBe(202);
    runId = ((await run.json()) as { id: string }).id;
    const letter = await until('sent', async () => {
      const l = await sys.json<Letter>(`/v1/letters/${id}`);
      return l.status === 'SENT_DIGITAL' && l;
    });
    expect(letter.workflowId).toBe(letterWorkflowId(id));
    expect(letter.history.map((h) => h.status)).toEqual(['QUEUED', 'WAITING', 'SENT_DIGITAL']);
    // exactly one message reached Digipost, correctly signed (the simulator rejects anything else), A4 pages
    expect(sys.sim.messages).toHaveLength(1);
    const pdf = await PDFDocument.load(sys.sim.messages[0]!.documents[0]!.content);
    for (const page of pdf.getPages()) {
      expect(Math.round(page.getWidth())).toBe(595);
      expect(Math.round(page.getHeight())).toBe(842);
    }
    const download = await sys.api(letter.versions[0]!.pdf);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect((await PDFDocument.load(new Uint8Array(await download.arrayBuffer()))).getPageCount()).toBe(
      pdf.getPageCount(),
    );
  });

  const bad: [string, () => Promise<Response>, number, RegExp][] = [
    ['a missing field', () => post(JSON.stringify({ ...valid(), caseId: undefined })), 400, /caseId/],
    ['a wrong type', () => post(JSON.stringify({ ...valid(), caseId: 42 })), 400, /caseId/],
    ['malformed JSON', () => post('{"caseId": '), 400, /not valid JSON/],
    [
      // POST /v1/letters takes 16 MB (attachments travel in base64), other routes 1 MB
      'a 17 MB body',
      () => post(JSON.stringify({ ...valid(), mergeData: { x: 'a'.repeat(17_000_000) } })),
      413,
      /exceeds/,
    ],
    [
      'an invalid national id',
      () =>
        post(JSON.stringify({ ...valid(), recipient: { ...valid().recipient, nationalId: '12345678901' } })),
      400,
      /recipient\.nationalId/,
    ],
    ['an unknown field', () => post(JSON.stringify({ ...valid(), extra: true })), 400, /extra/],
    [
      'a bad postal code',
      () =>
        post(
          JSON.stringify({
            ...valid(),
            recipient: { ...valid().recipient, address: { lines: ['x'], postalCode: '12', city: 'Oslo' } },
          }),
        ),
      400,
      /postalCode/,
    ],
    [
      'an unknown template',
      () => post(JSON.stringify({ ...valid(), templateCode: 'NOPE' })),
      400,
      /templateCode/,
    ],
    [
      'merge data the template cannot use',
      () => post(JSON.stringify({ ...valid(), mergeData: { ...valid().mergeData, kid: '12345678900' } })),
      400,
      /mergeData\.kid/,
    ],
  ];
  for (const [name, send, status, message] of bad) {
    it(`rejects ${name} with ${status} naming the problem`, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(message);
    });
  }

  it('answers 404 in the same error shape for an unknown letter or run', async () => {
    for (const path of [
      `/v1/letters/${randomUUID()}`,
      '/v1/letters/not-a-uuid',
      `/v1/runs/${randomUUID()}`,
    ]) {
      const res = await sys.api(path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses a missing or unknown API key with 401', async () => {
    const missing = await sys.api(`/v1/queue`, { headers: {} });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/API key/);
    const unknown = await sys.api(`/v1/queue`, { headers: { authorization: 'Bearer pg_not-a-key' } });
    expect(unknown.status).toBe(401);
  });

  it("answers 404 for another tenant's letter on every letter endpoint", async () => {
    const res = await post(JSON.stringify({ ...valid(), caseId: 'SAK-OTHER' }));
    const { id } = (await res.json()) as { id: string };
    await until('queued', async () => (await sys.json<Letter>(`/v1/letters/${id}`)).status === 'QUEUED');
    const other = await sys.newTenant();
    const as = { headers: other.auth };
    expect((await sys.api(`/v1/letters/${id}`, as)).status).toBe(404);
    expect((await sys.api(`/v1/letters/${id}/versions/1/pdf`, as)).status).toBe(404);
    expect((await sys.api(`/v1/letters/${id}`, { method: 'DELETE', ...as })).status).toBe(404);
    const correction = { address: { lines: ['Ny vei 1'], postalCode: '0150', city: 'OSLO' } };
    expect((await sys.api(`/v1/letters/${id}/correction`, { body: correction, ...as })).status).toBe(404);
    expect((await sys.api(`/v1/runs/${runId}`, as)).status).toBe(404);
    expect(((await (await sys.api('/v1/runs', as)).json()) as { runs: unknown[] }).runs).toEqual([]);
    expect(((await (await sys.api('/v1/failures', as)).json()) as { letters: unknown[] }).letters).toEqual(
      [],
    );
    const queue = await (await sys.api('/v1/queue', as)).json();
    expect(queue).toEqual({ letters: [], nextCursor: null });
    expect(await (await sys.api('/v1/letters', as)).json()).toEqual({ items: [], nextCursor: null });
    const caseLetters = (await (await sys.api('/v1/cases/SAK-OTHER/letters', as)).json()) as { letters: [] };
    expect(caseLetters.letters).toEqual([]);
    // the owner still sees it, and deletes it before any run
    expect((await sys.api(`/v1/letters/${id}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('refuses Digipost sending with 409 for a tenant without an active agreement', async () => {
    const noAgreement = await sys.newTenant({ digipostAgreement: 'NONE' });
    const res = await sys.api('/v1/letters', { body: valid(), headers: noAgreement.auth });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NO_DIGIPOST_AGREEMENT');
    const run = await sys.api('/v1/runs', { body: {}, headers: noAgreement.auth });
    expect(run.status).toBe(409);
    // a template that is not Digipost-compatible is still produced, for the tenant to send itself
    const own = await sys.api('/v1/letters', {
      body: letterRequest(DIGIPOST_USER, { templateCode: 'rentenota' }),
      headers: noAgreement.auth,
    });
    expect(own.status).toBe(202);
  });

  it('refuses an empty run, a correction of a letter that was sent, and bad query values', async () => {
    const empty = await sys.newTenant();
    const run = await sys.api('/v1/runs', { body: {}, headers: empty.auth });
    expect(run.status).toBe(409);
    expect(((await run.json()) as { error: { code: string } }).error.code).toBe('QUEUE_EMPTY');
    const costs = await sys.api('/v1/costs?from=2026-13-01&to=2026-01-01');
    expect(costs.status).toBe(400);
    expect(((await costs.json()) as { error: { message: string } }).error.message).toMatch(/from/);
    const limit = await sys.api('/v1/queue?limit=0');
    expect(limit.status).toBe(400);
  });

  it('serves the OpenAPI document generated from the validating schemas', async () => {
    const doc = (await (await fetch(`${sys.base}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
      >;
    };
    const body = doc.paths['/v1/letters']!.post!.requestBody!.content['application/json']!.schema;
    expect(body.required).toEqual(expect.arrayContaining(['caseId', 'templateCode', 'recipient']));
    for (const path of [
      '/v1/queue',
      '/v1/runs',
      '/v1/runs/{id}',
      '/v1/runs/{id}/letters',
      '/v1/failures',
      '/v1/costs',
      '/v1/cases/{caseId}/letters',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });

  it('reports Temporal and database reachability on /ready, and liveness on /health', async () => {
    const res = await fetch(`${sys.base}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: true, temporal: true });
    expect(await (await fetch(`${sys.base}/health`)).json()).toEqual({ status: 'ok' });
  });
});
