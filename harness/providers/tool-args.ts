/** Parses a tool call's argument string; `undefined` unless it is a JSON object. */
export function parseToolArgs(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Arguments already parsed by the API (Anthropic's `input`): kept if an object, else `undefined`. */
export function objectArgs(input: unknown): Record<string, unknown> | undefined {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
}
