/**
 * Token prices per model, in USD per million tokens, each with the date the
 * price applied. The defaults are list prices for common OpenAI and Anthropic
 * models at the stated dates; prices change, so a YAML file can add models or
 * override these (see docs/metrics.md, "Cost"). Pure data and functions.
 */
export interface ModelPrice {
  /** Uncached input tokens. */
  input: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedInput: number;
  output: number;
  /** Date (YYYY-MM-DD) the price applied. */
  asOf: string;
}

export type PriceTable = Record<string, ModelPrice>;

const openai = (input: number, cachedInput: number, output: number): ModelPrice => ({ input, cachedInput, output, asOf: '2025-08-07' });
const anthropic = (input: number, output: number, asOf: string): ModelPrice => ({ input, cachedInput: input / 10, output, asOf });

export const DEFAULT_PRICES: PriceTable = {
  'gpt-5': openai(1.25, 0.125, 10),
  'gpt-5-mini': openai(0.25, 0.025, 2),
  'gpt-5-nano': openai(0.05, 0.005, 0.4),
  'gpt-4.1': openai(2, 0.5, 8),
  'gpt-4.1-mini': openai(0.4, 0.1, 1.6),
  'gpt-4.1-nano': openai(0.1, 0.025, 0.4),
  'gpt-4o': openai(2.5, 1.25, 10),
  'gpt-4o-mini': openai(0.15, 0.075, 0.6),
  o3: openai(2, 0.5, 8),
  'o4-mini': openai(1.1, 0.275, 4.4),
  'claude-opus-4-5': anthropic(5, 25, '2025-11-24'),
  'claude-opus-4-1': anthropic(15, 75, '2025-08-05'),
  'claude-opus-4': anthropic(15, 75, '2025-05-22'),
  'claude-sonnet-4-5': anthropic(3, 15, '2025-09-29'),
  'claude-sonnet-4': anthropic(3, 15, '2025-05-22'),
  'claude-haiku-4-5': anthropic(1, 5, '2025-10-15'),
  'claude-3-5-haiku': anthropic(0.8, 4, '2024-11-04'),
};

/**
 * Price model for sessions whose provider names no priced model (reference
 * policies, the scripted provider, unknown models). gpt-4o, because reference
 * policies' token counts are estimated with its tokenizer (o200k_base).
 */
export const DEFAULT_PRICE_MODEL = 'gpt-4o';

/** The model part of a provider id: `openai:gpt-4o` -> `gpt-4o`; undefined for reference and scripted providers. */
export function modelOfProvider(providerId: string, kind: string): string | undefined {
  if (kind !== 'model') return undefined;
  const colon = providerId.indexOf(':');
  return colon < 0 ? providerId : providerId.slice(colon + 1);
}

/**
 * The table entry for a model name: an exact key, else the longest key the name
 * starts with followed by `-` (dated snapshots: `gpt-4o-2024-08-06` -> `gpt-4o`,
 * `claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`).
 */
export function findPrice(table: PriceTable, model: string): { model: string; price: ModelPrice } | undefined {
  const exact = table[model];
  if (exact) return { model, price: exact };
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(`${key}-`) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : { model: best, price: table[best] as ModelPrice };
}

export interface PriceChoice {
  model: string;
  price: ModelPrice;
  /** How the model was chosen: the provider's own model, or the fallback / forced price model. */
  source: 'provider' | 'price-model';
}

/**
 * The price a provider's sessions are costed at. With `forced` every provider
 * uses that model; otherwise a model provider uses its own model when the
 * table knows it, and everything else uses `fallback`.
 */
export function choosePrice(table: PriceTable, providerId: string, kind: string, fallback: string, forced?: string): PriceChoice | undefined {
  const own = forced === undefined ? modelOfProvider(providerId, kind) : undefined;
  const hit = own === undefined ? undefined : findPrice(table, own);
  if (hit) return { ...hit, source: 'provider' };
  const alt = findPrice(table, forced ?? fallback);
  return alt ? { ...alt, source: 'price-model' } : undefined;
}

/**
 * Cost in USD of a session's tokens. Input counts include cached input, so
 *   cost = ((input − cached) · price.input + cached · price.cachedInput + output · price.output) / 1e6.
 * Cache writes (billed extra by Anthropic) are not recorded and not charged.
 */
export function tokenCost(tokens: { inputTokens: number; cachedInputTokens: number; outputTokens: number }, price: ModelPrice): number {
  const uncached = Math.max(0, tokens.inputTokens - tokens.cachedInputTokens);
  return (uncached * price.input + tokens.cachedInputTokens * price.cachedInput + tokens.outputTokens * price.output) / 1e6;
}
