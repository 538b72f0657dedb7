// Acceptance for idempotent creating POSTs and externalId (issue 14), end to end against the real Temporal
// server, PostgreSQL and the Digipost simulator: a case system that repeats a request, even twenty times at
// once, gets one letter, one workflow, one run and one Digipost message.
import { describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { letterDocuments, letters } from '../db/schema';
import { DIGIPOST_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { letterWorkflowId, runWorkflowId } from '../domain/workflow-ids';

const sys = useTestSystem();

const withKey = (key: string) => ({ ...sys.auth, 'idempotency-key': key });

async function twentyAtOnce(path: string, body: unknown, key: string) {
  return Promise.all(
    Array.from({ length: 20 }, async () => {
      const res = await sys.api(path, { method: 'POST', body, headers: withKey(key) });
      return {
        status: res.status,
        replayed: res.headers.get('idempotent-replayed'),
        location: res.headers.get('location'),
        body: (await res.json()) as { id: string; error?: { code: string } },
      };
    }),
  );
}

const letterStatus = async (id: string) =>
  (await sys.json<{ status: string; externalId: string | null }>(`/v1/letters/${id}`)).status;

describe('Idempotency-Key', () => {
  const key = `case-system-${randomUUID()}`;
  const body = { ...letterRequest(DIGIPOST_USER, { caseId: 'SAK-IDEM' }), externalId: 'KK2-IDEM-1' };
  let letterId: string;

  it('20 concurrent identical requests create one letter, one workflow, one run and one Digipost message', async () => {
    const answers = await twentyAtOnce('/v1/letters', body, key);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    letterId = answers[0]!.body.id;
    for (const a of answers) {
      expect(a.body).toEqual({ id: letterId, status: 'RECEIVED', workflowId: letterWorkflowId(letterId) });
      expect(a.location).toBe(`/v1/letters/${letterId}`);
    }
    // one request did the work; the other nineteen got its stored answer
    expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(19);

    const stored = await sys.db
      .select({ id: letters.id, externalId: letters.externalId })
      .from(letters)
      .where(and(eq(letters.tenantId, sys.tenant.id), eq(letters.caseId, 'SAK-IDEM')));
    expect(stored).toEqual([{ id: letterId, externalId: 'KK2-IDEM-1' }]);
    // this system's Temporal server has run no other letter
    expect((await sys.temporal.workflow.count(`WorkflowType = 'letterWorkflow'`)).count).toBe(1);
    expect((await sys.temporal.workflow.getHandle(letterWorkflowId(letterId)).describe()).type).toBe(
      'letterWorkflow',
    );

    await until('the letter queued', async () => (await letterStatus(letterId)) === 'QUEUED');
    const runKey = runWorkflowId(randomUUID());
    const runs = await twentyAtOnce('/v1/runs', {}, runKey);
    expect(runs.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(runs.map((r) => r.body.id)).size).toBe(1);
    await until('the letter sent', async () => (await letterStatus(letterId)) === 'SENT_DIGITAL');

    const [doc] = await sys.db
      .select({ uuid: letterDocuments.documentUuid })
      .from(letterDocuments)
      .where(eq(letterDocuments.letterId, letterId));
    const atDigipost = sys.sim.messages.filter((m) => m.documents.some((d) => d.uuid === doc!.uuid));
    expect(atDigipost).toHaveLength(1);
    expect(sys.sim.messages).toHaveLength(1);
  });

  it('the same key with another body is 409 IDEMPOTENCY_KEY_REUSED; the same body is answered as before', async () => {
    const other = await sys.api('/v1/letters', {
      method: 'POST',
      body: { ...body, caseId: 'SAK-IDEM-2' },
      headers: withKey(key),
    });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // another path with the same key is another request too
    const run = await sys.api('/v1/runs', { method: 'POST', body: {}, headers: withKey(key) });
    expect(run.status).toBe(409);

    const again = await sys.api('/v1/letters', { method: 'POST', body, headers: withKey(key) });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(letterId);
    // the canonical body: the same JSON with its keys in another order is the same request
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const same = await sys.api('/v1/letters', { method: 'POST', body: reordered, headers: withKey(key) });
    expect(same.status).toBe(202);
  });

  it('keys are per tenant: another tenant may use the same key', async () => {
    const other = await sys.newTenant();
    const res = await sys.api('/v1/letters', {
      method: 'POST',
      body: { ...body, caseId: 'SAK-IDEM-OTHER' },
      headers: { ...other.auth, 'idempotency-key': key },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(((await res.json()) as { id: string }).id).not.toBe(letterId);
  });

  it('an error answer is not kept: the corrected request may use the same key', async () => {
    const fresh = `fix-${randomUUID()}`;
    const bad = await sys.api('/v1/letters', {
      method: 'POST',
      body: { ...body, externalId: undefined, caseId: '' },
      headers: withKey(fresh),
    });
    expect(bad.status).toBe(400);
    const good = await sys.api('/v1/letters', {
      method: 'POST',
      body: { ...body, externalId: undefined, caseId: 'SAK-IDEM-FIXED' },
      headers: withKey(fresh),
    });
    expect(good.status).toBe(202);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['with a space', 'two words'],
    ['over 255 characters', 'k'.repeat(256)],
    ['not ASCII', 'nøkkel'],
  ])('a key %s is 400 naming the header', async (_what, bad) => {
    const res = await sys.api('/v1/letters', {
      method: 'POST',
      body,
      headers: { ...sys.auth, 'idempotency-key': Buffer.from(bad, 'utf8').toString('latin1') },
    });
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { message: string; details: { field: string }[] } }).error;
    expect(err.message).toMatch(/^Idempotency-Key: /);
    expect(err.details[0]!.field).toBe('Idempotency-Key');
  });
});

describe('externalId', () => {
  it('is unique per tenant: a second letter with it is 409 naming the existing letter, and GET returns it', async () => {
    const first = await sys.json<{ id: string }>('/v1/letters', {
      body: { ...letterRequest(DIGIPOST_USER, { caseId: 'SAK-EXT' }), externalId: 'KK2-EXT-7' },
    });
    const again = await sys.api('/v1/letters', {
      body: { ...letterRequest(DIGIPOST_USER, { caseId: 'SAK-EXT' }), externalId: 'KK2-EXT-7' },
    });
    expect(again.status).toBe(409);
    const err = ((await again.json()) as { error: { code: string; existingId: string; message: string } })
      .error;
    expect(err).toMatchObject({ code: 'EXTERNAL_ID_EXISTS', existingId: first.id });
    expect(err.message).toContain(first.id);
    expect((await sys.json<{ externalId: string }>(`/v1/letters/${first.id}`)).externalId).toBe('KK2-EXT-7');
    const page = await sys.json<{ letters: { id: string; externalId: string | null }[] }>(
      '/v1/cases/SAK-EXT/letters',
    );
    expect(page.letters).toEqual([expect.objectContaining({ id: first.id, externalId: 'KK2-EXT-7' })]);

    // another tenant's letters do not collide
    const other = await sys.newTenant();
    const theirs = await sys.api('/v1/letters', {
      body: { ...letterRequest(DIGIPOST_USER, { caseId: 'SAK-EXT' }), externalId: 'KK2-EXT-7' },
      headers: other.auth,
    });
    expect(theirs.status).toBe(202);
    const [{ n }] = (await sys.db
      .select({ n: sql<number>`count(*)::int` })
      .from(letters)
      .where(
        and(eq(letters.externalId, 'KK2-EXT-7'), inArray(letters.tenantId, [sys.tenant.id, other.tenant.id])),
      )) as [{ n: number }];
    expect(n).toBe(2);
  });
});
