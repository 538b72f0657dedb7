import { describe, expect, it } from 'vitest';
import {
  getTemplate,
  isDigipostCompatible,
  listCaseFlows,
  listTemplates,
  validateCaseFlow,
  validateMergeData,
} from './index';
import { sampleMergeData } from './testing/sample-data';

describe('Digipost compatibility rule', () => {
  it('marks codes with a short uppercase prefix and an underscore, and nothing else', () => {
    for (const code of ['IKV_inkassovarsel', 'BO_betalingsoppfordring', 'SV_siste_varsel', 'RENTE_x'])
      expect(isDigipostCompatible(code), code).toBe(true);
    for (const code of [
      'rentenota',
      'saldo_oppgave',
      'ikv_x',
      'I_x',
      'IKVABC_x',
      ' IKV_x',
      'IKV',
      '_IKV_STANDARD',
    ])
      expect(isDigipostCompatible(code), code).toBe(false);
  });

  it('ships the three debt-collection letters as compatible and at least one unmarked template', () => {
    const templates = listTemplates();
    expect(templates.filter((t) => t.digipostCompatible).map((t) => t.code)).toEqual([
      'IKV_inkassovarsel',
      'BO_betalingsoppfordring',
      'SV_siste_varsel',
    ]);
    expect(templates.some((t) => !t.digipostCompatible)).toBe(true);
    expect(getTemplate('rentenota')).toEqual({
      code: 'rentenota',
      name: 'Rentenota',
      digipostCompatible: false,
    });
    expect(getTemplate('nope')).toBeUndefined();
  });
});

describe('case flows', () => {
  it('ships valid flows, with *standard_inkasso as IKV → BO → SV', () => {
    const flows = listCaseFlows();
    expect(flows.find((f) => f.name === '*standard_inkasso')).toEqual({
      name: '*standard_inkasso',
      templates: ['IKV_inkassovarsel', 'BO_betalingsoppfordring', 'SV_siste_varsel'],
      digipostOnly: true,
    });
    const unmarked = flows.filter((f) => !f.digipostOnly);
    expect(unmarked.length).toBeGreaterThan(0);
    expect(unmarked.some((f) => f.templates.some((t) => !isDigipostCompatible(t)))).toBe(true);
    for (const f of flows) expect(validateCaseFlow(f), f.name).toEqual({ ok: true });
  });

  it('refuses an unmarked template in a * flow and names its position', () => {
    expect(validateCaseFlow({ name: '*blandet', templates: ['IKV_inkassovarsel', 'rentenota'] })).toEqual({
      ok: false,
      issues: [{ path: 'templates.1', message: expect.stringContaining('not Digipost-compatible') }],
    });
    expect(validateCaseFlow({ name: 'blandet', templates: ['IKV_inkassovarsel', 'rentenota'] })).toEqual({
      ok: true,
    });
  });

  it('refuses unknown templates and empty flows', () => {
    expect(validateCaseFlow({ name: 'x', templates: ['IKV_finnes_ikke'] })).toMatchObject({
      ok: false,
      issues: [{ path: 'templates.0' }],
    });
    expect(validateCaseFlow({ name: '*tom', templates: [] })).toMatchObject({
      ok: false,
      issues: [{ path: 'templates' }],
    });
  });
});

describe('validateMergeData', () => {
  it('accepts complete data and normalises account number and KID to digits', () => {
    const result = validateMergeData('IKV_inkassovarsel', sampleMergeData({ kid: '1234 5678 903' }));
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.data).toMatchObject({
        accountNumber: '86011117947',
        kid: '12345678903',
        fees: [{ amount: 35 }],
      });
  });

  it('names every bad field', () => {
    const base = sampleMergeData();
    const result = validateMergeData('IKV_inkassovarsel', {
      ...base,
      kid: '12345678904',
      accountNumber: '86011117948',
      creditor: {
        ...base.creditor,
        orgNumber: '974760674',
        address: { lines: [], postalCode: '155', city: 'Oslo' },
      },
      debtor: {},
      claims: [{ description: 'Faktura', amount: 10.005 }],
      dueDate: '23.12.2026',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(
      [
        'accountNumber',
        'claims.0.amount',
        'creditor.address.postalCode',
        'creditor.orgNumber',
        'debtor.name',
        'dueDate',
        'kid',
      ].sort(),
    );
    expect(result.issues.find((i) => i.path === 'kid')!.message).toMatch(/KID/);
  });

  it('checks the total against the lines', () => {
    const result = validateMergeData('rentenota', sampleMergeData({ total: 1700 }));
    expect(result).toEqual({
      ok: false,
      issues: [{ path: 'total', message: 'total 1 700,00 kr does not match the lines (1 717,65 kr)' }],
    });
    expect(validateMergeData('rentenota', sampleMergeData({ paid: 17.65, total: 1700 })).ok).toBe(true);
  });

  it('requires 14 days to pay in statutory notices but not in a rentenota', () => {
    const short = sampleMergeData({ dueDate: '2026-12-06' }); // 13 days after 23.11.2026
    for (const code of ['IKV_inkassovarsel', 'BO_betalingsoppfordring', 'SV_siste_varsel']) {
      expect(validateMergeData(code, short), code).toMatchObject({
        ok: false,
        issues: [{ path: 'dueDate' }],
      });
    }
    expect(validateMergeData('IKV_inkassovarsel', sampleMergeData({ dueDate: '2026-12-07' })).ok).toBe(true);
    expect(validateMergeData('rentenota', short).ok).toBe(true);
  });

  it('answers an unknown template as an issue on templateCode', () => {
    expect(validateMergeData('XX_ukjent', sampleMergeData())).toEqual({
      ok: false,
      issues: [{ path: 'templateCode', message: 'unknown template "XX_ukjent"' }],
    });
  });
});
