import { describe, expect, it } from 'vitest';
import { batchingBand } from '../../harness/metrics/bands.js';

describe('batchingBand', () => {
  it.each([
    [0, 1, 'poor'],
    [0.299, 1, 'poor'],
    [0.3, 1, 'needs revision'],
    [0.399, 2, 'needs revision'],
    [0.4, 2, 'below target'],
    [0.6, 2, 'target'],
    [0.75, 3, 'target'], // overlap zone, but not more than 3 tools per turn
    [0.75, 3.5, 'excellent'], // overlap zone: excellent wins
    [0.7, 4, 'target'], // "above 70%" is strict
    [0.8, 2, 'target'],
    [0.81, 2, 'above target'],
    [0.95, 4, 'excellent'],
  ] as const)('rate %f with %f tools per turn is %s', (rate, tools, band) => {
    expect(batchingBand(rate, tools)).toBe(band);
  });

  it('says so when there were no tool calls', () => {
    expect(batchingBand(0, 0, 0)).toBe('no tool calls');
  });
});
