import { z } from 'zod';
import { configSchema, providerConfigSchema } from './schema.js';

type JsonSchemaNode = { type?: string | string[]; description?: string; items?: JsonSchemaNode; anyOf?: JsonSchemaNode[]; properties?: Record<string, JsonSchemaNode> };

function typeOf(node: JsonSchemaNode): string {
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.type === 'array' && node.items) return `list of ${typeOf(node.items)}`;
  if (node.type === 'object' && node.properties) return 'object';
  return Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any');
}

function rows(schema: z.ZodType, prefix: string): string[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as JsonSchemaNode;
  return Object.entries(json.properties ?? {}).map(
    ([key, node]) => `| \`${prefix}${key}\` | ${typeOf(node).replace('string or object', 'string or provider object')} | ${(node.description ?? '').replaceAll('|', '\\|')} |`,
  );
}

/** The config file reference in Markdown, generated from the schema so it cannot drift. */
export function configReference(): string {
  return [
    '| field | type | meaning |',
    '| --- | --- | --- |',
    ...rows(configSchema, ''),
    '',
    'A provider object:',
    '',
    '| field | type | meaning |',
    '| --- | --- | --- |',
    ...rows(providerConfigSchema, 'providers[].'),
    '',
    'The `report` object:',
    '',
    '| field | type | meaning |',
    '| --- | --- | --- |',
    ...rows(configSchema.shape.report.unwrap(), 'report.'),
    '',
  ].join('\n');
}
