// Hostile input at the edge (real API, worker, Temporal, PostgreSQL, Digipost simulator): strings PostgreSQL
// cannot store (NUL, unpaired surrogates) and values out of bounds are refused with a 400 naming the field and
// where it was (body, query, path), whatever the route; a malformed session cookie breaks nothing; the PDF's
// Content-Disposition survives any case id. And the cases that used to be accepted, then stuck for ever: a
// correction that cannot be stored is refused, or (sent straight to the workflow) ends in a visible state, and
// a later valid correction still works.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { letterRequest, until } from './support/system';
import { useTestSystemWithOperator } from './support/operator';
import { correctAddress } from '../workflows/letter-messages';
import { validateTriage } from '../workflows/inbound-messages';
import { letterWorkflowId } from '../domain/workflow-ids';
import { FAILURE } from '../domain/failure-types';

const { sys, operator } = useTestSystemWithOperator();
const { password } = operator;

type Problem = { error: { code: string; message: string; details?: { field: string; in: string }[] } };
const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${sys.base}${path}`, {
    ...init,
    headers: { ...sys.auth, 'content-type': 'application/json', ...(init.headers as object) },
  });
/** JSON with a NUL or a lone surrogate, exactly as a client can send it (JSON.stringify would keep both). */
const body = (value: unknown) => JSON.stringify(value);

async function refused(res: Response, field: string, where: string) {
  expect(res.status).toBe(400);
  const problem = (await res.json()) as Problem;
  expect(problem.error.code).toBe('VALIDATION_FAILED');
  expect(problem.error.details).toContainEqual(expect.objectContaining({ field, in: where }));
}

type Letter = { status: string; version: number; failure: { code: string; reason: string } | null };
const letter = (id: string) => sys.json<Letter>(`/v1/letters/${id}`);

describe('strings PostgreSQL cannot store', () => {
  const bad = { nul: 'Kari\u0000Nordmann', surrogate: 'Kari \ud800 Nordmann', lowSurrogate: '\udc00x' };

  for (const [kind, value] of Object.entries(bad)) {
    it(`are refused with 400 naming the field on every route (${kind})`, async () => {
      const valid = letterRequest(DIGIPOST_USER);
      await refused(
        await raw('/v1/letters', {
          method: 'POST',
          body: body({ ...valid, recipient: { ...valid.recipient, name: value } }),
        }),
        'recipient.name',
        'body',
      );
      await refused(
        await raw('/v1/letters', { method: 'POST', body: body({ ...valid, caseId: value }) }),
        'caseId',
        'body',
      );
      await refused(
        await raw('/v1/letters', {
          method: 'POST',
          body: body({ ...valid, mergeData: { ...valid.mergeData, debtor: { name: value } } }),
        }),
        'mergeData.debtor.name',
        'body',
      );
      await refused(
        await raw('/v1/webhooks', {
          method: 'POST',
          body: body({ url: 'https://case.example/hook', description: value }),
        }),
        'description',
        'body',
      );
      await refused(
        await raw('/v1/receiving-systems', { method: 'POST', body: body({ name: value }) }),
        'name',
        'body',
      );
      await refused(
        await raw(`/v1/letters/${randomUUID()}/correction`, {
          method: 'POST',
          body: body({ name: value, address: { lines: ['Ny vei 1'], postalCode: '0150', city: 'OSLO' } }),
        }),
        'name',
        'body',
      );
      await refused(
        await raw(`/v1/inbound/${randomUUID()}/triage`, {
          method: 'POST',
          body: body({ action: 'delete', reason: value }),
        }),
        'reason',
        'body',
      );
      // the unauthenticated login too
      await refused(
        await fetch(`${sys.base}/admin/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-postgang-admin': '1' },
          body: body({ username: value, password }),
        }),
        'username',
        'body',
      );
      const encoded = encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '')) + '%00';
      await refused(await raw(`/v1/inbound?sender=${encoded}`), 'sender', 'query');
      await refused(await raw(`/v1/cases/${encoded}/letters`), '(path)', 'path');
    });
  }

  it('refuses an object key that cannot be stored', async () => {
    const valid = letterRequest(DIGIPOST_USER);
    await refused(
      await raw('/v1/letters', {
        method: 'POST',
        body: body({ ...valid, mergeData: { ...valid.mergeData, 'x\u0000': 1 } }),
      }),
      'mergeData.(key)',
      'body',
    );
  });

  it('is refused by the triage update validator too (a decision sent straight to the workflow)', () => {
    let thrown: unknown;
    try {
      validateTriage({ action: 'delete', reason: 'ok\u0000' }, []);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect((thrown as ApplicationFailure).type).toBe(FAILURE.INVALID_TRIAGE);
    expect((thrown as ApplicationFailure).details).toEqual(['reason']);
  });
});

describe('bounds', () => {
  it('refuses numbers out of bounds in the query and the path, naming them', async () => {
    await refused(await raw('/v1/inbound?olderThanMinutes=100000000000'), 'olderThanMinutes', 'query');
    await refused(await raw('/v1/inbound?olderThanMinutes=abc'), 'olderThanMinutes', 'query');
    await refused(await raw('/v1/queue?offset=99999999999'), 'offset', 'query');
    await refused(await raw('/v1/queue?limit='), 'limit', 'query');
    await refused(await raw('/v1/costs?from=0000-01-01&to=2026-01-01'), 'from', 'query');
    await refused(await raw(`/v1/letters/${randomUUID()}/versions/1e20/pdf`), 'version', 'path');
    await refused(await raw(`/v1/letters/${randomUUID()}/versions/99999999999/pdf`), 'version', 'path');
    await refused(await raw(`/v1/cases/${'x'.repeat(101)}/letters`), 'caseId', 'path');
  });

  it('refuses a city longer than the renderer prints, so a correction can always be produced', async () => {
    const res = await raw(`/v1/letters/${randomUUID()}/correction`, {
      method: 'POST',
      body: body({ address: { lines: ['Ny vei 1'], postalCode: '0150', city: 'O'.repeat(61) } }),
    });
    await refused(res, 'address.city', 'body');
  });

  it('answers 405 with Allow for a method a documented path does not serve', async () => {
    const res = await raw('/v1/letters', { method: 'PUT', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, GET, HEAD');
    // OPTIONS lists every method of a path, though two routers serve it
    const options = await raw('/v1/letters', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST, GET, HEAD');
    const runs = await raw('/v1/runs', { method: 'DELETE' });
    expect(runs.status).toBe(405);
    expect(runs.headers.get('allow')).toBe('POST, GET, HEAD');
  });
});

describe('a malformed session cookie', () => {
  for (const value of ['%', '%E0%A4%A', '%00', 'a'.repeat(5000)]) {
    it(`breaks no route (postgang_admin=${value.slice(0, 12)})`, async () => {
      const cookie = `postgang_admin=${value}`;
      expect((await raw('/v1/queue', { headers: { cookie } })).status).toBe(200);
      const anonymous = await fetch(`${sys.base}/v1/queue`, { headers: { cookie } });
      expect(anonymous.status).toBe(401);
      const who = await fetch(`${sys.base}/admin/session`, { headers: { cookie } });
      expect(who.status).toBe(200);
      expect(((await who.json()) as { operator: unknown }).operator).toBeNull();
      const login = await fetch(`${sys.base}/admin/session`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-postgang-admin': '1' },
        body: body({ username: operator.username, password }),
      });
      expect(login.status).toBe(201);
      const logout = await fetch(`${sys.base}/admin/session`, {
        method: 'DELETE',
        headers: { cookie, 'x-postgang-admin': '1' },
      });
      expect(logout.status).toBe(204);
    });
  }
});

describe('the PDF download', () => {
  it('names the file in Content-Disposition whatever the case id holds (quotes, CR/LF, non-Latin-1)', async () => {
    const caseId = 'Sak "1"\r\nX-Injected: ja 北京 ÆØÅ';
    const { id } = await sys.json<{ id: string }>('/v1/letters', {
      body: letterRequest(DIGIPOST_USER, { caseId }),
    });
    await until('queued', async () => (await letter(id)).status === 'QUEUED');
    const res = await sys.api(`/v1/letters/${id}/versions/1/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-injected')).toBeNull();
    const header = res.headers.get('content-disposition')!;
    const star = /filename\*=UTF-8''(.+)$/.exec(header)![1]!;
    expect(decodeURIComponent(star)).toBe(`${caseId}-IKV_inkassovarsel-v1.pdf`);
  });
});

describe('a correction that cannot be used', () => {
  async function notSentLetter(): Promise<string> {
    const { id } = await sys.json<{ id: string }>('/v1/letters', {
      body: letterRequest(NON_USER, { address: { lines: ['Storgata 1'], city: 'OSLO' } }),
    });
    await until('queued', async () => (await letter(id)).status === 'QUEUED');
    await sys.json('/v1/runs', { body: {} });
    await until('not sent', async () => (await letter(id)).status === 'NOT_SENT');
    return id;
  }
  const valid = { address: { lines: ['Kirkegata 5'], postalCode: '0153', city: 'OSLO' } };

  it('is refused with 400, and a later valid correction is accepted and produces version 2', async () => {
    const id = await notSentLetter();
    const res = await raw(`/v1/letters/${id}/correction`, {
      method: 'POST',
      body: body({ ...valid, name: 'Kari\u0000' }),
    });
    await refused(res, 'name', 'body');
    expect((await sys.api(`/v1/letters/${id}/correction`, { body: valid })).status).toBe(202);
    const after = await until('corrected', async () => {
      const l = await letter(id);
      return l.version === 2 && l.status !== 'NOT_SENT' && l;
    });
    expect(['QUEUED', 'WAITING', 'SENT_PRINT']).toContain(after.status);
  });

  it('sent straight to the workflow, ends visible on the failure list; the next valid one still works', async () => {
    const id = await notSentLetter();
    // past the API: the activity cannot store it, fails for good (not retried), and the letter says why
    await sys.temporal.workflow
      .getHandle(letterWorkflowId(id))
      .signal(correctAddress, { name: 'Kari\u0000', address: valid.address });
    const refusedLetter = await until('refusal visible', async () => {
      const l = await letter(id);
      return l.failure?.code === 'CORRECTION_REFUSED' && l;
    });
    expect(refusedLetter.status).toBe('NOT_SENT');
    expect(refusedLetter.failure!.reason).toMatch(/Rettelsen kunne ikke brukes/);
    const failures = await sys.json<{ letters: { id: string }[] }>('/v1/failures');
    expect(failures.letters.map((l) => l.id)).toContain(id);

    expect((await sys.api(`/v1/letters/${id}/correction`, { body: valid })).status).toBe(202);
    await until('corrected', async () => {
      const l = await letter(id);
      return l.version === 2 && l.status !== 'NOT_SENT';
    });
  });
});
