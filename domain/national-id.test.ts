import { describe, expect, it } from 'vitest';
import { isValidNationalId } from './national-id';

describe('isValidNationalId', () => {
  it('accepts a number whose two control digits are right', () => {
    expect(isValidNationalId('01019010046')).toBe(true);
  });
  it('rejects wrong length, non-digits and a broken control digit', () => {
    expect(isValidNationalId('2607983378')).toBe(false);
    expect(isValidNationalId('2607983378a')).toBe(false);
    expect(isValidNationalId('01019010047')).toBe(false);
    expect(isValidNationalId('01019010056')).toBe(false);
  });
});
