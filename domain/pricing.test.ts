import { describe, expect, it } from 'vitest';
import { creditsPostage, osloDay, priceLetter, type PriceList } from './pricing';

const prices: PriceList = {
  digitalPerLetter: 50,
  printPerLetter: 1200,
  printPerExtraSheet: 100,
  adminFeePerLetter: 100,
};

describe('priceLetter', () => {
  it('prices a digital letter at the digital price, with no sheets, whatever its pages', () => {
    expect(priceLetter(prices, 'DIGIPOST', [7, 3])).toEqual({ sheets: 0, postage: 50, adminFee: 100 });
  });

  it('prices a printed letter by its duplex sheets: the first in the letter price, each further one extra', () => {
    expect(priceLetter(prices, 'PRINT', [1])).toEqual({ sheets: 1, postage: 1200, adminFee: 100 });
    expect(priceLetter(prices, 'PRINT', [2])).toEqual({ sheets: 1, postage: 1200, adminFee: 100 });
    expect(priceLetter(prices, 'PRINT', [5])).toEqual({ sheets: 3, postage: 1400, adminFee: 100 });
  });

  it('starts each attachment on a fresh sheet', () => {
    // 3 pages → 2 sheets, 1 page → 1 sheet, 4 pages → 2 sheets
    expect(priceLetter(prices, 'PRINT', [3, 1, 4])).toEqual({ sheets: 5, postage: 1600, adminFee: 100 });
  });
});

describe('creditsPostage', () => {
  it('credits the postage of a print that never reached its recipient, nothing else', () => {
    expect(creditsPostage('PRINT_FAILED')).toBe(true);
    expect(creditsPostage('SHREDDED')).toBe(true);
    expect(creditsPostage('UNKNOWN_RECIPIENT')).toBe(false);
    expect(creditsPostage(null)).toBe(false);
  });
});

describe('osloDay', () => {
  it('is the calendar day in Oslo, not in UTC', () => {
    expect(osloDay(new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-15');
    expect(osloDay(new Date('2026-07-14T21:59:00Z'))).toBe('2026-07-14');
    expect(osloDay(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
  });
});
