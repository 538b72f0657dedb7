// Temporal search attributes (issue 15): the workflows of a case are found by `temporal workflow list --query
// 'CaseId="…"'` on the same dev server the tests start (registered there by temporal/dev-server.ts), a tenant's
// by TenantId, and a letter's status is searchable as it changes. A case id holding a national id is refused.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { temporalCliPath } from '../temporal/dev-server';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { letterWorkflowId, runWorkflowId } from '../domain/workflow-ids';

const sys = useTestSystem();

/** The ids of the workflows the CLI lists for a visibility query. */
async function cliList(query: string): Promise<string[]> {
  const cli = temporalCliPath();
  if (!cli) throw new Error('no Temporal CLI (scripts/ensure-temporal-cli.sh)');
  const { stdout } = await promisify(execFile)(cli, [
    'workflow',
    'list',
    '--address',
    sys.temporalServer.address,
    '--query',
    query,
    '--output',
    'json',
  ]);
  // --output json prints one JSON array (or nothing when no workflow matches)
  const rows = stdout.trim() ? (JSON.parse(stdout) as { execution: { workflowId: string } }[]) : [];
  return rows.map((r) => r.execution.workflowId).sort();
}

const create = async (body: unknown) => (await sys.json<{ id: string }>('/v1/letters', { body })).id;
const statusOf = async (id: string) => (await sys.json<{ status: string }>(`/v1/letters/${id}`)).status;
const reaches = (id: string, status: string) =>
  until(`letter ${id} ${status}`, async () => (await statusOf(id)) === status);

describe('search attributes', () => {
  it('finds every workflow of a case by CaseId, a tenant’s run by TenantId, and letters by status', async () => {
    const caseId = `SAK-SA-${randomUUID().slice(0, 8)}`;
    const digital = await create(letterRequest(DIGIPOST_USER, { caseId }));
    const print = await create(letterRequest(NON_USER, { caseId }));
    const deleted = await create(letterRequest(DIGIPOST_USER, { caseId }));
    const otherCase = await create(letterRequest(DIGIPOST_USER));
    for (const id of [digital, print, deleted, otherCase]) await reaches(id, 'QUEUED');
    expect((await sys.api(`/v1/letters/${deleted}`, { method: 'DELETE' })).status).toBe(200);
    const run = await sys.json<{ id: string }>('/v1/runs', { body: {} });
    await reaches(digital, 'SENT_DIGITAL');
    await reaches(print, 'SENT_PRINT');

    const ofCase = [digital, print, deleted].map((id) => letterWorkflowId(id)).sort();
    // visibility is eventually consistent: wait for the last status changes to be indexed
    await until('the case’s workflows listed by status', async () => {
      const sent = await cliList(`CaseId="${caseId}" AND LetterStatus="SENT_DIGITAL"`);
      const gone = await cliList(`CaseId="${caseId}" AND LetterStatus="DELETED"`);
      return sent.join() === letterWorkflowId(digital) && gone.join() === letterWorkflowId(deleted);
    });
    expect(await cliList(`CaseId="${caseId}"`)).toEqual(ofCase);
    expect(await cliList(`CaseId="${caseId}" AND LetterStatus="SENT_PRINT"`)).toEqual([
      letterWorkflowId(print),
    ]);

    const ofTenant = await cliList(`TenantId="${sys.tenant.id}"`);
    expect(ofTenant).toEqual(
      expect.arrayContaining([...ofCase, letterWorkflowId(otherCase), runWorkflowId(run.id)]),
    );
    expect(await cliList(`TenantId="${sys.tenant.id}" AND WorkflowType="runWorkflow"`)).toEqual([
      runWorkflowId(run.id),
    ]);
    expect(await cliList(`TenantId="not-${sys.tenant.id}"`)).toEqual([]);
  }, 180_000);

  it('refuses a case id that holds a national id (400 naming caseId), so none reaches a search attribute', async () => {
    for (const caseId of [DIGIPOST_USER, `SAK-${NON_USER}`, `x${DIGIPOST_USER}9`]) {
      const res = await sys.api('/v1/letters', { body: letterRequest(NON_USER, { caseId }) });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/caseId.*national identity number/);
    }
    // eleven digits that are no national id are an ordinary case reference
    const plain = await sys.api('/v1/letters', { body: letterRequest(NON_USER, { caseId: '20240000001' }) });
    expect(plain.status).toBe(202);
  });
});
