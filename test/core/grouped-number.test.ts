import { describe, expect, it } from 'vitest';
import { groupedNumber } from '../../harness/core/grouped-number.js';
import { mulberry32 } from '../../harness/core/rng.js';

const edges = [1.005, 2.675, 0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.05, -0.001, -0.4, 999.5, 999.9999, 1234.5, -1234.5, 999999.995, 12345678.123456, 1e20, 99999999999999999999, 1e21, -1e21, 1e-7, -1e-7, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

const expectSame = (x: number): void => {
  expect(groupedNumber(x), String(x)).toBe(x.toLocaleString('en-US'));
  for (const digits of [0, 1, 2, 4, 5]) {
    expect(groupedNumber(x, digits), `${x} to ${digits} digits`).toBe(x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
};

describe('groupedNumber', () => {
  it('writes what toLocaleString("en-US") writes, with and without fixed fraction digits, on edge values', () => {
    for (const x of edges) expectSame(x);
  });

  it('writes what toLocaleString("en-US") writes on 20,000 seeded values of every size and on exact ties', () => {
    const rng = mulberry32(7);
    for (let i = 0; i < 10_000; i++) {
      const magnitude = 10 ** Math.floor(rng() * 24 - 6);
      expectSame((rng() - 0.5) * magnitude);
      expectSame(Math.round((rng() - 0.5) * magnitude));
      // Halves and quarters at every size: ties where the rounding rule shows.
      expectSame((Math.floor(rng() * 1e6) + [0.5, 0.25, 0.125, 0.005][i % 4]!) * (i % 2 === 0 ? 1 : -1));
    }
  });

  it('writes what toLocaleString("en-US") writes at every digit count from 0 to 20, on tiny, huge and carrying values', () => {
    for (const x of [1.23e-7, -9.99e-7, 5e-324, 0.000123456789, 999.95, -999.95, 9.999999, 0.05, 123456.785, 2 ** 53 + 0.5, 4.35, 1e20 / 3]) {
      for (let digits = 0; digits <= 20; digits++) {
        expect(groupedNumber(x, digits), `${x} to ${digits} digits`).toBe(x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
      }
    }
  });

  it('groups thousands and keeps the digits asked for', () => {
    expect(groupedNumber(1234567)).toBe('1,234,567');
    expect(groupedNumber(-123456)).toBe('-123,456');
    expect(groupedNumber(1234.5, 0)).toBe('1,235');
    expect(groupedNumber(1234.5, 2)).toBe('1,234.50');
    expect(groupedNumber(0.1234)).toBe('0.123');
  });
});
