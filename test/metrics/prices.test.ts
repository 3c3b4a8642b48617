import { describe, expect, it } from 'vitest';
import { choosePrice, DEFAULT_PRICES, findPrice, tokenCost } from '../../harness/metrics/prices.js';

describe('prices', () => {
  it('finds dated snapshots by their longest priced prefix', () => {
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-2024-08-06')?.model).toBe('gpt-4o');
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini');
    expect(findPrice(DEFAULT_PRICES, 'claude-sonnet-4-5-20250929')?.model).toBe('claude-sonnet-4-5');
    expect(findPrice(DEFAULT_PRICES, 'llama-3')).toBeUndefined();
  });

  it('prices model providers at their own model and reference policies at the price model', () => {
    expect(choosePrice(DEFAULT_PRICES, 'openai:gpt-4.1-mini', 'model', 'gpt-4o')).toMatchObject({ model: 'gpt-4.1-mini', source: 'provider' });
    expect(choosePrice(DEFAULT_PRICES, 'ref:optimal', 'reference', 'gpt-4o')).toMatchObject({ model: 'gpt-4o', source: 'price-model' });
    expect(choosePrice(DEFAULT_PRICES, 'openai:unknown-model', 'model', 'claude-haiku-4-5')).toMatchObject({ model: 'claude-haiku-4-5', source: 'price-model' });
  });

  it('charges uncached input, cached input and output separately', () => {
    const gpt4o = DEFAULT_PRICES['gpt-4o'];
    if (!gpt4o) throw new Error('gpt-4o missing');
    // The sequential example: 12,015 input tokens at $2.50/M = $0.0300375.
    expect(tokenCost({ inputTokens: 12_015, cachedInputTokens: 0, outputTokens: 0 }, gpt4o)).toBeCloseTo(0.0300375, 10);
    // 10,000 input of which 4,000 cached, 500 output: 6,000 x 2.5 + 4,000 x 1.25 + 500 x 10 = 25,000 -> $0.025.
    expect(tokenCost({ inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 500 }, gpt4o)).toBeCloseTo(0.025, 10);
  });
});
