import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { displayPath, parseYaml, readInputFile, validateWith } from '../core/input-files.js';
import { DEFAULT_PRICES, type PriceTable } from '../metrics/prices.js';

const perMillion = z.number().nonnegative();

/**
 * A price file (YAML): models to add to or override in the default table,
 * USD per million tokens.
 *
 *   models:
 *     gpt-4o:
 *       input: 2.5
 *       cached_input: 1.25
 *       output: 10
 *       as_of: 2025-08-07
 *       aliases: [gpt-4o-2024-08-06]   # optional: other ids billed at this price
 *       source: OpenAI pricing page    # optional: what the figures rest on
 */
export const priceFileSchema = z.strictObject({
  models: z.record(
    z.string().min(1),
    z.strictObject({
      input: perMillion,
      cached_input: perMillion.optional(),
      output: perMillion,
      as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD'),
      aliases: z.array(z.string().min(1)).optional(),
      source: z.string().min(1).optional(),
    }),
  ),
});

/** Reads a price file and returns the default table with its models added or replaced. Throws `InputError` naming the file and field. */
export function loadPriceFile(file: string, base: PriceTable = DEFAULT_PRICES): PriceTable {
  const shown = displayPath(file);
  const read = readInputFile(file, shown);
  if (read.text === undefined) throw new InputError(read.issues);
  const text = read.text;
  const yaml = parseYaml(text, shown);
  if (yaml.issues.length > 0) throw new InputError(yaml.issues);
  const { data, issues } = validateWith(priceFileSchema, yaml.value, shown);
  if (!data) throw new InputError(issues);
  const table: PriceTable = { ...base };
  for (const [model, p] of Object.entries(data.models)) {
    table[model] = { input: p.input, cachedInput: p.cached_input ?? p.input, output: p.output, asOf: p.as_of, source: p.source ?? `price file ${shown}`, aliases: p.aliases ?? [] };
  }
  return table;
}
