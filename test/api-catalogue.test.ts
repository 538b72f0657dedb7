// Templates and case flows over HTTP against the real system (Temporal dev server, worker, PostgreSQL): the
// merge data's published JSON Schema agrees with the zod schema that validates it (checked by an independent
// validator, ajv), and a letter sent as a step of a case flow follows the flow's rules: only `_` templates of
// a `*` flow go to Digipost, others are produced for the tenant to send itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { validateMergeData } from '../documents';
import { sampleMergeData } from '../documents/testing/sample-data';
import { DIGIPOST_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';

const sys = useTestSystem();

type Template = {
  code: string;
  title: string;
  digipostCompatible: boolean;
  mergeDataSchema: Record<string, unknown>;
};
type Flow = {
  name: string;
  digipostOnly: boolean;
  steps: { step: number; templateCode: string; dispatch: string }[];
};
type ErrorBody = { error: { code: string; details?: { field: string; problem: string }[] } };

describe('GET /v1/templates', () => {
  let templates: Template[];
  beforeAll(async () => {
    ({ templates } = await sys.json<{ templates: Template[] }>('/v1/templates'));
  });

  it('lists every template with its title and whether it is Digipost-compatible', () => {
    expect(templates.map((t) => [t.code, t.title, t.digipostCompatible])).toEqual([
      ['IKV_inkassovarsel', 'Inkassovarsel', true],
      ['BO_betalingsoppfordring', 'Betalingsoppfordring', true],
      ['SV_siste_varsel', 'Siste varsel før rettslig inndriving', true],
      ['rentenota', 'Rentenota', false],
      ['saldo_oppgave', 'Saldooppgave', false],
    ]);
  });

  it('publishes a JSON Schema that accepts a valid merge data sample and refuses what zod refuses', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const valid = sampleMergeData();
    const invalid: [string, unknown][] = [
      ['no debtor', { ...valid, debtor: undefined }],
      ['an amount as text', { ...valid, total: '1305.65' }],
      ['a bad date', { ...valid, dueDate: '08.12.2026' }],
      ['no claim lines', { ...valid, claims: [] }],
      [
        'a four-digit postal code missing',
        { ...valid, creditor: { ...valid.creditor, address: { lines: [] } } },
      ],
    ];
    for (const t of templates) {
      expect(t.mergeDataSchema.type, t.code).toBe('object');
      const check = ajv.compile(t.mergeDataSchema);
      expect(check(valid), `${t.code}: ${JSON.stringify(check.errors)}`).toBe(true);
      expect(validateMergeData(t.code, valid).ok, t.code).toBe(true);
      for (const [what, data] of invalid) {
        const json = JSON.parse(JSON.stringify(data)) as unknown;
        expect(check(json), `${t.code}, ${what}: JSON Schema`).toBe(false);
        expect(validateMergeData(t.code, json).ok, `${t.code}, ${what}: zod`).toBe(false);
      }
    }
  });
});

describe('GET /v1/case-flows', () => {
  it('lists the flows with each step’s template and where its letter goes', async () => {
    const { caseFlows } = await sys.json<{ caseFlows: Flow[] }>('/v1/case-flows');
    const byName = Object.fromEntries(caseFlows.map((f) => [f.name, f]));
    expect(byName['*standard_inkasso']).toEqual({
      name: '*standard_inkasso',
      digipostOnly: true,
      steps: [
        { step: 1, templateCode: 'IKV_inkassovarsel', dispatch: 'DIGIPOST' },
        { step: 2, templateCode: 'BO_betalingsoppfordring', dispatch: 'DIGIPOST' },
        { step: 3, templateCode: 'SV_siste_varsel', dispatch: 'DIGIPOST' },
      ],
    });
    // an unmarked flow goes nowhere through Digipost, even with `_` templates
    expect(byName['inkasso_med_rentenota']!.digipostOnly).toBe(false);
    expect(byName['inkasso_med_rentenota']!.steps.map((s) => s.dispatch)).toEqual([
      'SELF_SEND',
      'SELF_SEND',
      'SELF_SEND',
      'SELF_SEND',
    ]);
  });
});

describe('POST /v1/letters with a case flow', () => {
  type Letter = {
    status: string;
    caseFlow: string | null;
    step: number | null;
    history: { cause: string }[];
  };
  const reaches = (id: string, status: string) =>
    until(`letter ${id} ${status}`, async () => {
      const l = await sys.json<Letter>(`/v1/letters/${id}`);
      return l.status === status && l;
    });
  const send = (body: Record<string, unknown>, headers?: Record<string, string>) =>
    sys.api('/v1/letters', {
      body: { ...letterRequest(DIGIPOST_USER), ...body },
      ...(headers ? { headers } : {}),
    });

  it('queues a `_` template of a `*` flow for Digipost, with its step', async () => {
    const res = await send({
      templateCode: 'BO_betalingsoppfordring',
      caseFlow: '*standard_inkasso',
      step: 2,
      mergeData: sampleMergeData({ previousNotices: { inkassovarsel: '2026-10-01' } }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const letter = await reaches(id, 'QUEUED');
    expect([letter.caseFlow, letter.step]).toEqual(['*standard_inkasso', 2]);
  });

  it('produces a `_` template of an unmarked flow for self-dispatch, never for Digipost', async () => {
    const res = await send({ caseFlow: 'inkasso_med_rentenota' });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const letter = await reaches(id, 'SELF_SEND');
    expect([letter.caseFlow, letter.step]).toEqual(['inkasso_med_rentenota', 1]);
    expect(letter.history.at(-1)!.cause).toMatch(/egen utsendelse/);
    const queue = await sys.json<{ letters: { id: string }[] }>('/v1/queue?limit=1000');
    expect(queue.letters.map((l) => l.id)).not.toContain(id);
  });

  it('refuses a template outside the flow or its step with 400 naming the field', async () => {
    const refused = async (body: Record<string, unknown>, field: string, problem: RegExp) => {
      const res = await send(body);
      expect(res.status).toBe(400);
      const e = ((await res.json()) as ErrorBody).error;
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.details).toContainEqual(
        expect.objectContaining({ field, problem: expect.stringMatching(problem) }),
      );
    };
    await refused({ templateCode: 'rentenota', caseFlow: '*standard_inkasso' }, 'templateCode', /not part/);
    await refused({ caseFlow: '*standard_inkasso', step: 2 }, 'step', /is "BO_betalingsoppfordring"/);
    await refused({ caseFlow: '*standard_inkasso', step: 4 }, 'step', /has 3 steps/);
    await refused({ caseFlow: 'standard_inkasso' }, 'caseFlow', /unknown case flow/);
    await refused({ step: 1 }, 'step', /needs `caseFlow`/);
    await refused({ caseFlow: '*standard_inkasso', step: 0 }, 'step', /.+/);
    await refused({ caseFlow: '' }, 'caseFlow', /.+/);
  });

  it('asks for a Digipost agreement only when the letter would go to Digipost', async () => {
    const { auth } = await sys.newTenant({ digipostAgreement: 'NONE' });
    const selfSend = await send({ caseFlow: 'inkasso_med_rentenota' }, auth);
    expect(selfSend.status, await selfSend.clone().text()).toBe(202);
    const digipost = await send({ caseFlow: '*standard_inkasso' }, auth);
    expect(digipost.status).toBe(409);
    expect(((await digipost.json()) as ErrorBody).error.code).toBe('NO_DIGIPOST_AGREEMENT');
  });
});
