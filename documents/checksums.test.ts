import { describe, expect, it } from 'vitest';
import { validateAccountNumber, validateKid, validateOrgNumber } from './checksums';
import { formatAccountNumber, formatDate, formatNok } from './norwegian-format';

// Check digits below were worked out by hand from the published algorithms, not by the code under test.
describe('validateKid', () => {
  it('accepts a MOD10 (Luhn) KID', () => {
    expect(validateKid('79927398713')).toBe(true); // the classic Luhn example; its MOD11 digit would be 6
  });
  it('accepts a MOD11 KID, including "-" for a remainder of 10', () => {
    expect(validateKid('79927398716')).toBe(true); // MOD11 only (Luhn wants 3)
    expect(validateKid('12345678903')).toBe(true);
    expect(validateKid('6-')).toBe(true); // 6 × 2 = 12, 12 mod 11 = 1, 11 − 1 = 10 → "-"
  });
  it('rejects wrong check digits, letters, and bad lengths', () => {
    expect(validateKid('79927398714')).toBe(false);
    expect(validateKid('5-')).toBe(false);
    expect(validateKid('1234567890a')).toBe(false);
    expect(validateKid('7')).toBe(false);
    expect(validateKid('')).toBe(false);
    expect(validateKid(`${'0'.repeat(25)}0`)).toBe(false); // 26 characters
    expect(validateKid('-')).toBe(false);
  });
});

describe('validateAccountNumber', () => {
  it('accepts an account number with a correct MOD11 digit', () => {
    // 8·5+6·4+0·3+1·2+1·7+1·6+1·5+7·4+9·3+4·2 = 147; 147 mod 11 = 4; 11 − 4 = 7
    expect(validateAccountNumber('86011117947')).toBe(true);
  });
  it('rejects a wrong check digit, formatting and wrong lengths', () => {
    expect(validateAccountNumber('86011117948')).toBe(false);
    expect(validateAccountNumber('8601.11.17947')).toBe(false);
    expect(validateAccountNumber('8601111794')).toBe(false);
    expect(validateAccountNumber('860111179470')).toBe(false);
  });
});

describe('validateOrgNumber', () => {
  it('accepts Brønnøysundregistrene’s own organisation number and rejects a changed digit', () => {
    expect(validateOrgNumber('974760673')).toBe(true);
    expect(validateOrgNumber('974760674')).toBe(false);
    expect(validateOrgNumber('97476067')).toBe(false);
  });
});

describe('Norwegian formats', () => {
  it('writes amounts with space thousands and decimal comma', () => {
    expect(formatNok(123450)).toBe('1 234,50 kr');
    expect(formatNok(5)).toBe('0,05 kr');
    expect(formatNok(100_000_000)).toBe('1 000 000,00 kr');
    expect(formatNok(-3500)).toBe('-35,00 kr');
  });
  it('writes dates and account numbers the Norwegian way', () => {
    expect(formatDate('2026-11-23')).toBe('23.11.2026');
    expect(formatAccountNumber('86011117947')).toBe('8601 11 17947');
  });
});
