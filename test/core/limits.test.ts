import { describe, expect, it } from 'vitest';
import { formatLimit, LIMITS } from '../../harness/core/limits.js';

describe('formatLimit', () => {
  it('groups whole numbers as toLocaleString("en-US") does', () => {
    const numbers = [0, 1, 12, 999, 1000, 1234, 99_999, 123_456, 1_000_000, 3_600_000, 1_234_567_890, Number.MAX_SAFE_INTEGER, ...Object.values(LIMITS)];
    for (const n of numbers) expect(formatLimit(n)).toBe(n.toLocaleString('en-US'));
    expect(formatLimit(LIMITS.latencyMs)).toBe('3,600,000');
  });

  it('leaves other numbers to toLocaleString', () => {
    for (const n of [-1234, 1234.5678, 1e21, -0]) expect(formatLimit(n)).toBe(n.toLocaleString('en-US'));
  });
});
