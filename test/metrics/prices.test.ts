import { describe, expect, it } from 'vitest';
import { choosePrice, DEFAULT_PRICES, findPrice, tokenCost } from '../../harness/metrics/prices.js';

describe('prices', () => {
  it('finds listed dated snapshots and aliases, never a prefix', () => {
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-2024-08-06')?.model).toBe('gpt-4o');
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini');
    expect(findPrice(DEFAULT_PRICES, 'claude-sonnet-4-5-20250929')?.model).toBe('claude-sonnet-4-5');
    expect(findPrice(DEFAULT_PRICES, 'claude-3-5-haiku-latest')?.model).toBe('claude-3-5-haiku');
    expect(findPrice(DEFAULT_PRICES, 'llama-3')).toBeUndefined();
    // An unlisted snapshot of a priced model is not guessed: gpt-4o-2024-08-07 does not exist.
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-2024-08-07')).toBeUndefined();
  });

  it('prices the models a prefix used to misprice exactly, or gives them no price', () => {
    // o3-pro at its own row ($20 / $80), not o3's $2 / $8.
    expect(findPrice(DEFAULT_PRICES, 'o3-pro')).toMatchObject({ model: 'o3-pro', price: { input: 20, cachedInput: 20, output: 80 } });
    expect(findPrice(DEFAULT_PRICES, 'o3-pro-2025-06-10')?.model).toBe('o3-pro');
    // Not sourced: no price, rather than o3's, gpt-5's or gpt-4o's.
    for (const model of ['gpt-5-pro', 'o3-deep-research', 'o3-mini', 'gpt-4o-2024-05-13', 'o3-mini-2025-01-31', 'gpt-5-pro-2025-10-06']) {
      expect(findPrice(DEFAULT_PRICES, model), model).toBeUndefined();
      expect(choosePrice(DEFAULT_PRICES, `openai:${model}`, 'model', 'gpt-4o'), model).toBeUndefined();
    }
  });

  it('every built-in row carries its date and what it rests on', () => {
    for (const [model, p] of Object.entries(DEFAULT_PRICES)) {
      expect(p.asOf, model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.source.length, model).toBeGreaterThan(20);
    }
    // No id is listed twice: an alias never shadows another row.
    const ids = Object.entries(DEFAULT_PRICES).flatMap(([k, p]) => [k, ...(p.aliases ?? [])]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('prices model providers at their own model only, and reference policies at the price model', () => {
    expect(choosePrice(DEFAULT_PRICES, 'openai:gpt-4.1-mini', 'model', 'gpt-4o')).toMatchObject({ model: 'gpt-4.1-mini', source: 'provider' });
    expect(choosePrice(DEFAULT_PRICES, 'ref:optimal', 'reference', 'gpt-4o')).toMatchObject({ model: 'gpt-4o', source: 'price-model' });
    expect(choosePrice(DEFAULT_PRICES, 'openai:unknown-model', 'model', 'claude-haiku-4-5')).toBeUndefined();
    // --price-model forced on every provider still applies.
    expect(choosePrice(DEFAULT_PRICES, 'openai:unknown-model', 'model', 'gpt-4o', 'gpt-4o')).toMatchObject({ model: 'gpt-4o', source: 'price-model' });
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
