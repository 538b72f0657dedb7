import { describe, expect, it } from 'vitest';
import { isValidOrgNumber } from './org-number';

describe('isValidOrgNumber', () => {
  it('accepts real organisation numbers (Brønnøysundregistrene, Skatteetaten)', () => {
    expect(isValidOrgNumber('974760673')).toBe(true);
    expect(isValidOrgNumber('974761076')).toBe(true);
  });
  it('accepts a number whose weighted sum is divisible by 11 (control digit 0)', () => {
    expect(isValidOrgNumber('958935420')).toBe(true);
    expect(isValidOrgNumber('958935421')).toBe(false);
  });
  it('rejects a wrong control digit, one that would be 10, wrong length and non-digits', () => {
    expect(isValidOrgNumber('974760674')).toBe(false);
    for (let c = 0; c <= 9; c++) expect(isValidOrgNumber(`10000013${c}`)).toBe(false);
    expect(isValidOrgNumber('97476067')).toBe(false);
    expect(isValidOrgNumber('9747606730')).toBe(false);
    expect(isValidOrgNumber('97476067a')).toBe(false);
    expect(isValidOrgNumber(' 974760673')).toBe(false);
    expect(isValidOrgNumber('')).toBe(false);
  });
});
