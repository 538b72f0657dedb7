// The audit log (issue 15): each operator action records who did it — the operator's user name for a panel
// session, the API key's label for a case system — and GET /v1/audit lists a tenant's entries, newest first,
// in pages, never another tenant's.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { issueApiKey } from '../db/tenants';
import { startSession, upsertOperator } from '../db/operators';
import { CSRF_HEADER, SESSION_COOKIE } from '../api/auth';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';

let asOperator: Record<string, string>;
let operatorName: string;

const sys = useTestSystem();

beforeAll(async () => {
  operatorName = `kari-${randomUUID().slice(0, 8)}`;
  const operator = await upsertOperator(sys.db, {
    tenantId: sys.tenant.id,
    username: operatorName,
    password: 'et-langt-passord-for-test',
  });
  const token = await startSession(sys.db, operator.id, 3_600_000);
  asOperator = { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}`, [CSRF_HEADER]: '1' };
}, 180_000);

interface Entry {
  id: number;
  actor: { kind: string; name: string };
  action: string;
  actionText: string;
  subjectId: string;
  detail: Record<string, unknown> | null;
}
const audit = (query = '') => sys.json<{ entries: Entry[]; nextBefore: number | null }>(`/v1/audit${query}`);
const create = async (body: unknown) => (await sys.json<{ id: string }>('/v1/letters', { body })).id;
const reaches = (id: string, status: string) =>
  until(`letter ${id} ${status}`, async () => {
    const l = await sys.json<{ status: string }>(`/v1/letters/${id}`);
    return l.status === status;
  });

describe('the audit log', () => {
  it('records a delete, a run and a correction with the operator’s name or the API key’s label', async () => {
    const caseId = `SAK-AUD-${randomUUID().slice(0, 8)}`;
    const kept = await create(letterRequest(DIGIPOST_USER, { caseId }));
    const incomplete = await create(
      letterRequest(NON_USER, { caseId, address: { lines: ['Storgata 1'], city: 'OSLO' } }),
    );
    const doomed = await create(letterRequest(DIGIPOST_USER, { caseId }));
    for (const id of [kept, incomplete, doomed]) await reaches(id, 'QUEUED');

    // the operator deletes one and sends the run (a panel session)
    expect((await sys.api(`/v1/letters/${doomed}`, { method: 'DELETE', headers: asOperator })).status).toBe(
      200,
    );
    const runRes = await sys.api('/v1/runs', {
      body: {},
      headers: { ...asOperator, 'content-type': 'application/json' },
    });
    expect(runRes.status).toBe(202);
    const run = (await runRes.json()) as { id: string };
    await reaches(incomplete, 'NOT_SENT');
    // the case system corrects the address (its API key, labelled «test» by the test tenant)
    const corrected = await sys.api(`/v1/letters/${incomplete}/correction`, {
      body: { address: { lines: ['Storgata 1'], postalCode: '0155', city: 'OSLO' } },
    });
    expect(corrected.status).toBe(202);

    const { entries } = await audit();
    expect(entries.slice(0, 3).map((e) => [e.action, e.actor, e.subjectId])).toEqual([
      ['letter.corrected', { kind: 'api_key', name: 'test' }, incomplete],
      ['run.sent', { kind: 'operator', name: operatorName }, run.id],
      ['letter.deleted', { kind: 'operator', name: operatorName }, doomed],
    ]);
    expect(entries[0]!.detail).toMatchObject({ caseId, version: 1 });
    expect(entries[1]!.detail).toEqual({ letters: 2 });
    expect(entries[2]!.actionText).toBe('Slettet brev fra køen');
    // nothing personal in the log: no national id in any entry
    expect(JSON.stringify(entries)).not.toMatch(new RegExp(`${DIGIPOST_USER}|${NON_USER}`));
  }, 180_000);

  it('a refused action is not recorded', async () => {
    const before = (await audit()).entries[0]?.id ?? 0;
    const missing = randomUUID();
    expect((await sys.api(`/v1/letters/${missing}`, { method: 'DELETE', headers: asOperator })).status).toBe(
      404,
    );
    expect((await audit()).entries[0]?.id ?? 0).toBe(before);
  });

  it('pages newest first, names a bad query field, and shows no other tenant’s entries', async () => {
    const all = (await audit('?limit=500')).entries;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await audit('?limit=2');
    expect(first.entries.map((e) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    expect(first.nextBefore).toBe(all[1]!.id);
    const second = await audit(`?limit=2&before=${first.nextBefore}`);
    expect(second.entries.map((e) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));

    const bad = await sys.api('/v1/audit?limit=0');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/limit/);

    const other = await sys.newTenant();
    const otherKey = await issueApiKey(sys.db, other.tenant.id, 'annen');
    const theirs = await sys.json<{ entries: Entry[] }>('/v1/audit', {
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(theirs.entries).toEqual([]);
  });
});
