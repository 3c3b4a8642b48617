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
  /** What the figures rest on: the page or file they were taken from, and how sure they are. */
  source: string;
  /** Other ids billed at this price: listed aliases and dated snapshots (never guessed from a prefix). */
  aliases?: readonly string[];
}

export type PriceTable = Record<string, ModelPrice>;

const OPENAI_SOURCE = 'OpenAI API pricing page (platform.openai.com/docs/pricing), standard tier, as recorded in batchbench on 2025-08-07; not re-checked since';
const ANTHROPIC_SOURCE = "Anthropic pricing page (docs.anthropic.com/en/docs/about-claude/pricing), list price from the model's release, as recorded in batchbench; cache reads at a tenth of the input price";

const openai = (input: number, cachedInput: number, output: number, aliases: readonly string[] = []): ModelPrice => ({
  input,
  cachedInput,
  output,
  asOf: '2025-08-07',
  source: OPENAI_SOURCE,
  aliases,
});
const anthropic = (input: number, output: number, asOf: string, aliases: readonly string[]): ModelPrice => ({
  input,
  cachedInput: input / 10,
  output,
  asOf,
  source: ANTHROPIC_SOURCE,
  aliases,
});

/**
 * The built-in prices. A model not listed here, by id, alias or dated
 * snapshot, has no price: o3-mini, o3-deep-research, gpt-5-pro and
 * gpt-4o-2024-05-13 (billed differently from gpt-4o) among them, because their
 * prices could not be sourced when this table was written. Add them with
 * `--prices <file>`.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-5': openai(1.25, 0.125, 10, ['gpt-5-2025-08-07']),
  'gpt-5-mini': openai(0.25, 0.025, 2, ['gpt-5-mini-2025-08-07']),
  'gpt-5-nano': openai(0.05, 0.005, 0.4, ['gpt-5-nano-2025-08-07']),
  'gpt-4.1': openai(2, 0.5, 8, ['gpt-4.1-2025-04-14']),
  'gpt-4.1-mini': openai(0.4, 0.1, 1.6, ['gpt-4.1-mini-2025-04-14']),
  'gpt-4.1-nano': openai(0.1, 0.025, 0.4, ['gpt-4.1-nano-2025-04-14']),
  'gpt-4o': openai(2.5, 1.25, 10, ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20']),
  'gpt-4o-mini': openai(0.15, 0.075, 0.6, ['gpt-4o-mini-2024-07-18']),
  o3: openai(2, 0.5, 8, ['o3-2025-04-16']),
  'o3-pro': {
    input: 20,
    cachedInput: 20,
    output: 80,
    asOf: '2026-03-21',
    source: "Third-party copies of OpenAI's pricing page (modelpedia.dev/openai/o3-pro, updated 2026-03-21; aicoach.pw), read 2026-12-02, not checked against openai.com; no cached-input discount listed",
    aliases: ['o3-pro-2025-06-10'],
  },
  'o4-mini': openai(1.1, 0.275, 4.4, ['o4-mini-2025-04-16']),
  'claude-opus-4-5': anthropic(5, 25, '2025-11-24', ['claude-opus-4-5-20251101']),
  'claude-opus-4-1': anthropic(15, 75, '2025-08-05', ['claude-opus-4-1-20250805']),
  'claude-opus-4': anthropic(15, 75, '2025-05-22', ['claude-opus-4-20250514', 'claude-opus-4-0']),
  'claude-sonnet-4-5': anthropic(3, 15, '2025-09-29', ['claude-sonnet-4-5-20250929']),
  'claude-sonnet-4': anthropic(3, 15, '2025-05-22', ['claude-sonnet-4-20250514', 'claude-sonnet-4-0']),
  'claude-haiku-4-5': anthropic(1, 5, '2025-10-15', ['claude-haiku-4-5-20251001']),
  'claude-3-5-haiku': anthropic(0.8, 4, '2024-11-04', ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest']),
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
 * The table entry for a model name: an exact key, else the row that lists the
 * name among its aliases and dated snapshots. Never a prefix match: an
 * unlisted model (`o3-mini`, `gpt-4o-2024-05-13`) has no price rather than a
 * neighbour's.
 */
export function findPrice(table: PriceTable, model: string): { model: string; price: ModelPrice } | undefined {
  const exact = table[model];
  if (exact) return { model, price: exact };
  for (const [key, price] of Object.entries(table)) {
    if (price.aliases?.includes(model)) return { model: key, price };
  }
  return undefined;
}

/** What a report says for a model provider with no price: the model and how to add one. */
export const noPriceSentence = (model: string): string =>
  `no price for ${model}: it is not in the price table by id, alias or dated snapshot; add its price in a YAML file passed with --prices (docs/metrics.md, "Cost")`;

export interface PriceChoice {
  model: string;
  price: ModelPrice;
  /** How the model was chosen: the provider's own model, or the fallback / forced price model. */
  source: 'provider' | 'price-model';
}

/**
 * The price a provider's sessions are costed at. With `forced` every provider
 * uses that model; otherwise a model provider uses its own model, and has no
 * price when the table does not list it (never another model's price), and
 * reference policies and the scripted provider use `fallback`.
 */
export function choosePrice(table: PriceTable, providerId: string, kind: string, fallback: string, forced?: string): PriceChoice | undefined {
  const own = forced === undefined ? modelOfProvider(providerId, kind) : undefined;
  if (own !== undefined) {
    const hit = findPrice(table, own);
    return hit ? { ...hit, source: 'provider' } : undefined;
  }
  const alt = findPrice(table, forced ?? fallback);
  return alt ? { ...alt, source: 'price-model' } : undefined;
}

/**
 * Cost in USD of a session's tokens. Input counts include cached input, so
 *   cost = ((input − cached) · price.input + cached · price.cachedInput + output · price.output) / 1e6.
 * Anthropic's cache writes are part of the input tokens (docs/providers.md) and
 * so are charged here at the uncached input price; Anthropic bills them at a
 * premium over it, which this cost leaves out.
 */
export function tokenCost(tokens: { inputTokens: number; cachedInputTokens: number; outputTokens: number }, price: ModelPrice): number {
  const uncached = Math.max(0, tokens.inputTokens - tokens.cachedInputTokens);
  return (uncached * price.input + tokens.cachedInputTokens * price.cachedInput + tokens.outputTokens * price.output) / 1e6;
}
