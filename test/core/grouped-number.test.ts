import { describe, expect, it } from 'vitest';
import { groupedNumber } from '../../harness/core/grouped-number.js';

const values = [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.05, 999.5, 1234.5, -1234.5, 999999.995, 12345678.123456, 1e21, -1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

describe('groupedNumber', () => {
  it('writes what toLocaleString("en-US") writes, with and without fixed fraction digits', () => {
    for (const x of values) {
      expect(groupedNumber(x)).toBe(x.toLocaleString('en-US'));
      for (const digits of [0, 1, 2, 4]) {
        expect(groupedNumber(x, digits)).toBe(x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
      }
    }
  });

  it('groups thousands and keeps the digits asked for', () => {
    expect(groupedNumber(1234567)).toBe('1,234,567');
    expect(groupedNumber(1234.5, 0)).toBe('1,235');
    expect(groupedNumber(1234.5, 2)).toBe('1,234.50');
    expect(groupedNumber(0.1234)).toBe('0.123');
  });
});
