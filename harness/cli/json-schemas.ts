import { z } from 'zod';
import { configSchema } from '../config/schema.js';
import { variantHeaderSchema } from '../scenarios/load-variants.js';
import { gatesFileSchema } from '../metrics/gates.js';
import { scenarioSchema } from '../scenarios/schema.js';
import { strategies } from '../run/strategies/index.js';

/** Where the JSON Schemas live, in the repository and in the package: `schemas/<name>.schema.json`. */
export const SCHEMA_DIR = 'schemas';

/** The input files editors can check and complete, each with its zod schema and a title. */
const SOURCES = {
  scenario: { schema: scenarioSchema, title: 'batchbench scenario file (scenarios/*.yaml)' },
  prompt: { schema: variantHeaderSchema, title: 'batchbench prompt variant front matter (prompts/*.md)' },
  config: { schema: configSchema, title: 'batchbench.config.yaml' },
  gates: { schema: gatesFileSchema, title: 'batchbench gates file (compare --gates)' },
} as const;

export type SchemaName = keyof typeof SOURCES;
export const SCHEMA_NAMES = Object.keys(SOURCES) as SchemaName[];

/** File name of a schema, e.g. `scenario.schema.json`. */
export const schemaFile = (name: SchemaName): string => `${name}.schema.json`;

/**
 * The JSON Schema (draft 2020-12) of one input file, generated from its zod
 * schema as input (defaults make fields optional). Checks zod cannot express
 * in JSON Schema (refinements such as "a rate limit is at most 1") are left
 * to batchbench itself: `batchbench validate` and every command still check them.
 */
export function jsonSchema(name: SchemaName): Record<string, unknown> {
  const { schema, title } = SOURCES[name];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...(name === 'prompt' ? withStrategyOptions(json) : json), title };
}

/**
 * The prompt file's schema with `strategy` one of the strategies and
 * `strategy_options` checked by the chosen strategy's options schema (one
 * `if`/`then` per strategy; the default strategy's applies when `strategy` is absent).
 */
function withStrategyOptions(json: Record<string, unknown>): Record<string, unknown> {
  const properties = json['properties'] as Record<string, Record<string, unknown>>;
  const fallback = properties['strategy']?.['default'];
  return {
    ...json,
    properties: { ...properties, strategy: { ...properties['strategy'], enum: Object.keys(strategies) } },
    allOf: Object.entries(strategies).map(([name, strategy]) => {
      const { $schema: _, ...options } = z.toJSONSchema(strategy.optionsSchema, { io: 'input' });
      return {
        if: { properties: { strategy: { const: name } }, ...(name === fallback ? {} : { required: ['strategy'] }) },
        then: { properties: { strategy_options: options } },
      };
    }),
  };
}

/** The text of a schema file as shipped: pretty JSON with a final newline. */
export const schemaText = (name: SchemaName): string => `${JSON.stringify(jsonSchema(name), null, 2)}\n`;

export { schemaModeline } from '../core/project-files.js';
