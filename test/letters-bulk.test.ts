// Acceptance for POST /v1/letters/bulk (issue 14) against the real Temporal server and PostgreSQL: 1,000
// letters with 10 bad ones spread through them create 990 letters, start 990 workflows, and name each bad
// item by its index and field. No worker runs here: the test checks that the workflows were started, not
// that 990 PDFs get produced (the per-letter path is tested end to end elsewhere).
import { describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { letters } from '../db/schema';
import { DIGIPOST_USER, NON_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { letterWorkflowId } from '../domain/workflow-ids';

const sys = useTestSystem({ withWorker: false });

type ItemResult =
  | { index: number; id: string; status: string; workflowId: string }
  | { index: number; error: { code: string; message: string; field: string | null; existingId?: string } };
interface BulkAnswer {
  accepted: number;
  refused: number;
  results: ItemResult[];
}

const CASE = 'SAK-BULK';
const good = (i: number) => ({
  ...letterRequest(i % 2 ? DIGIPOST_USER : NON_USER, { caseId: CASE }),
  externalId: `BULK-${i}`,
});

/** Ten bad items, each wrong in another field, and the field the answer must name. */
const BAD: Record<number, { field: string; code: string; item: (i: number) => unknown }> = {
  0: { field: 'caseId', code: 'VALIDATION_FAILED', item: (i) => ({ ...good(i), caseId: '   ' }) },
  97: {
    field: 'recipient.nationalId',
    code: 'VALIDATION_FAILED',
    item: (i) => {
      const g = good(i);
      return { ...g, recipient: { ...g.recipient, nationalId: '01019010047' } };
    },
  },
  150: {
    field: 'recipient.address.postalCode',
    code: 'VALIDATION_FAILED',
    item: (i) => {
      const g = good(i);
      return { ...g, recipient: { ...g.recipient, address: { ...g.recipient.address, postalCode: '01' } } };
    },
  },
  333: {
    field: 'recipient.name',
    code: 'VALIDATION_FAILED',
    item: (i) => {
      const g = good(i);
      return { ...g, recipient: { ...g.recipient, name: 'Kari\u0000Nordmann' } };
    },
  },
  404: {
    field: 'templateCode',
    code: 'VALIDATION_FAILED',
    item: (i) => ({ ...good(i), templateCode: 'NOPE_x' }),
  },
  512: {
    field: 'mergeData.total',
    code: 'VALIDATION_FAILED',
    item: (i) => ({ ...good(i), mergeData: { ...good(i).mergeData, total: 1 } }),
  },
  640: {
    field: 'externalId',
    code: 'EXTERNAL_ID_EXISTS',
    // the same externalId as item 639, earlier in the same request
    item: () => good(639),
  },
  777: {
    field: 'externalId',
    code: 'VALIDATION_FAILED',
    item: (i) => ({ ...good(i), externalId: 'x'.repeat(201) }),
  },
  888: {
    field: 'recipient.address.lines',
    code: 'VALIDATION_FAILED',
    item: (i) => {
      const g = good(i);
      return {
        ...g,
        recipient: { ...g.recipient, address: { ...g.recipient.address, lines: ['a', 'b', 'c', 'd'] } },
      };
    },
  },
  999: {
    field: 'mergeData.dueDate',
    code: 'VALIDATION_FAILED',
    item: (i) => ({ ...good(i), mergeData: { ...good(i).mergeData, dueDate: '2026-13-45' } }),
  },
};

describe('POST /v1/letters/bulk', () => {
  it('1,000 letters with 10 bad ones: 990 letters and workflows, the 10 errors by index and field', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => BAD[i]?.item(i) ?? good(i));
    const res = await sys.api('/v1/letters/bulk', { body: { letters: items } });
    expect(res.status).toBe(207);
    const answer = (await res.json()) as BulkAnswer;
    expect(answer.accepted).toBe(990);
    expect(answer.refused).toBe(10);
    expect(answer.results.map((r) => r.index)).toEqual(items.map((_, i) => i));

    const errors = answer.results.filter((r) => 'error' in r);
    expect(errors.map((e) => [e.index, e.error.code, e.error.field])).toEqual(
      Object.entries(BAD).map(([i, b]) => [Number(i), b.code, b.field]),
    );
    const duplicate = answer.results[640] as Extract<ItemResult, { error: unknown }>;
    expect(duplicate.error.existingId).toBe((answer.results[639] as { id: string }).id);

    const ids = answer.results.flatMap((r) => ('id' in r ? [r.id] : []));
    expect(new Set(ids).size).toBe(990);
    const stored = await sys.db
      .select({ id: letters.id, externalId: letters.externalId })
      .from(letters)
      .where(and(eq(letters.tenantId, sys.tenant.id), eq(letters.caseId, CASE)));
    expect(stored.map((s) => s.id).sort()).toEqual([...ids].sort());
    // each letter stored with its own item's externalId
    const byId = new Map(stored.map((s) => [s.id, s.externalId]));
    for (const r of answer.results) if ('id' in r) expect(byId.get(r.id)).toBe(`BULK-${r.index}`);

    // one workflow per accepted letter (this test's Temporal server has no other letters)
    // 990 starts take a while on a shared machine: bounds for a hang, not a time the test asserts
    await until(
      '990 letter workflows visible',
      async () => {
        const { count } = await sys.temporal.workflow.count(`WorkflowType = 'letterWorkflow'`);
        return count === 990;
      },
      240_000,
    );
    const sample = await sys.temporal.workflow.getHandle(letterWorkflowId(ids[500]!)).describe();
    expect(sample.status.name).toBe('RUNNING');
  }, 300_000);

  it('the same externalIds again are refused item by item, not as a whole request', async () => {
    const res = await sys.api('/v1/letters/bulk', {
      body: { letters: [good(1), good(1000), good(2)] },
    });
    expect(res.status).toBe(207);
    const answer = (await res.json()) as BulkAnswer;
    expect(answer.results.map((r) => ('error' in r ? r.error.code : r.status))).toEqual([
      'EXTERNAL_ID_EXISTS',
      'RECEIVED',
      'EXTERNAL_ID_EXISTS',
    ]);
    const [{ n }] = (await sys.db
      .select({ n: sql<number>`count(*)::int` })
      .from(letters)
      .where(
        and(eq(letters.tenantId, sys.tenant.id), inArray(letters.externalId, ['BULK-1', 'BULK-2'])),
      )) as [{ n: number }];
    expect(n).toBe(2);
  });

  it('all accepted is 200', async () => {
    const res = await sys.api('/v1/letters/bulk', { body: { letters: [good(2000), good(2001)] } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as BulkAnswer).accepted).toBe(2);
  });

  it.each([
    ['over 1,000 letters', { letters: Array.from({ length: 1001 }, (_, i) => good(5000 + i)) }, 'letters'],
    ['no letters', { letters: [] }, 'letters'],
    ['not an array', { letters: good(1) }, 'letters'],
  ])('%s is 400 naming the field', async (_what, body, field) => {
    const res = await sys.api('/v1/letters/bulk', { body });
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { details: { field: string }[] } }).error;
    expect(err.details[0]!.field).toBe(field);
  });

  it('other methods on /v1/letters/bulk are 405 with Allow: POST (it is not a letter id)', async () => {
    const get = await sys.api('/v1/letters/bulk');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const options = await sys.api('/v1/letters/bulk', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST');
  });

  it('an Idempotency-Key makes a repeated bulk request answer the same, creating nothing more', async () => {
    const headers = { ...sys.auth, 'idempotency-key': 'evening-batch-2026-12-01' };
    const body = { letters: [good(3000), good(3001)] };
    const first = await sys.api('/v1/letters/bulk', { method: 'POST', body, headers });
    const again = await sys.api('/v1/letters/bulk', { method: 'POST', body, headers });
    expect(again.status).toBe(first.status);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
  });
});
