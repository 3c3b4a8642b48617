/** The parameter names a tool's JSON Schema declares (`properties`), in schema order. */
export function parameterNames(parameters: Record<string, unknown>): string[] {
  const props = parameters['properties'];
  return props !== null && typeof props === 'object' && !Array.isArray(props) ? Object.keys(props) : [];
}

/**
 * Argument names that are not parameters of the tool: keys absent from
 * `properties`. Empty when the schema declares no `properties` or allows
 * extra keys (`additionalProperties` true or a schema).
 */
export function unknownParameters(parameters: Record<string, unknown>, args: Record<string, unknown>): string[] {
  if (!('properties' in parameters)) return [];
  const extra = parameters['additionalProperties'];
  if (extra === true || (extra !== null && typeof extra === 'object')) return [];
  const known = new Set(parameterNames(parameters));
  return Object.keys(args).filter((k) => !known.has(k));
}
