/**
 * BFCL writes parameter schemas in a Python-flavoured dialect of JSON Schema.
 * These are its type names and what they mean in JSON Schema; `any` becomes a
 * schema without `type` (any JSON value). The same names BFCL's own OpenAI
 * conversion maps, except `any`, which it sends as a string.
 */
const TYPES: Readonly<Record<string, string | null>> = {
  dict: 'object',
  object: 'object',
  float: 'number',
  double: 'number',
  number: 'number',
  integer: 'integer',
  string: 'string',
  boolean: 'boolean',
  bool: 'boolean',
  array: 'array',
  list: 'array',
  tuple: 'array',
  any: null,
};

/** Keys that hold a schema or a map of schemas. */
const SUBSCHEMA = new Set(['items', 'additionalProperties']);

export interface SchemaProblem {
  /** Dotted path from the node given to `toJsonSchema`. */
  path: string;
  message: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Converts a BFCL parameter schema to JSON Schema: maps `type` names (see
 * `TYPES`), recurses into `properties`, `items` and `additionalProperties`,
 * drops BFCL's non-standard `optional` flag (`required` already says it) and
 * keeps every other keyword (description, enum, default, required...) as it is.
 */
export function toJsonSchema(node: unknown, path = ''): { schema: Record<string, unknown>; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
  if (!isPlainObject(node)) {
    return { schema: {}, problems: [{ path, message: 'a schema must be an object' }] };
  }
  const schema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'optional') continue;
    if (key === 'type') {
      const mapped = typeof value === 'string' ? TYPES[value] : undefined;
      if (mapped === undefined) {
        problems.push({ path: at(key), message: `unknown type ${JSON.stringify(value)} (known: ${Object.keys(TYPES).join(', ')})` });
      } else if (mapped !== null) {
        schema.type = mapped;
      }
    } else if (key === 'properties') {
      if (!isPlainObject(value)) {
        problems.push({ path: at(key), message: 'properties must be an object' });
        continue;
      }
      const properties: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) {
        const converted = toJsonSchema(sub, at(`${key}.${name}`));
        properties[name] = converted.schema;
        problems.push(...converted.problems);
      }
      schema.properties = properties;
    } else if (SUBSCHEMA.has(key) && isPlainObject(value)) {
      const converted = toJsonSchema(value, at(key));
      schema[key] = converted.schema;
      problems.push(...converted.problems);
    } else {
      schema[key] = value;
    }
  }
  return { schema, problems };
}

/** The BFCL type name of a parameter schema, if it has one. */
export function bfclType(node: unknown): string | undefined {
  return isPlainObject(node) && typeof node.type === 'string' ? node.type : undefined;
}
