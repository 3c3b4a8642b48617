/** Tool names the OpenAI and Anthropic APIs accept. */
export const API_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const MAX_LENGTH = 64;

/**
 * Maps tool names to ones the model APIs accept, keeping the mapping one-to-one:
 * names that are already valid stay as they are; in the others every character
 * outside `[a-zA-Z0-9_-]` becomes `_` (so `spotify.play` becomes `spotify_play`)
 * and the name is cut to 64 characters; a name that would collide with another
 * gets `_2`, `_3`, ... Returns original name -> API name, in input order.
 * Names must be distinct and non-empty.
 */
export function apiToolNames(names: readonly string[]): Map<string, string> {
  const taken = new Set(names.filter((n) => API_TOOL_NAME.test(n)));
  const mapped = new Map<string, string>();
  for (const name of names) {
    if (API_TOOL_NAME.test(name)) {
      mapped.set(name, name);
      continue;
    }
    const base = name.replace(/[^a-zA-Z0-9_-]/g, '_');
    let candidate = base.slice(0, MAX_LENGTH);
    for (let n = 2; taken.has(candidate); n++) {
      const suffix = `_${n}`;
      candidate = base.slice(0, MAX_LENGTH - suffix.length) + suffix;
    }
    taken.add(candidate);
    mapped.set(name, candidate);
  }
  return mapped;
}

const ORIGINAL_NAME = / \(original name: (.+)\)$/;

/** Appends the original name to a renamed tool's description, so the renaming can be undone. */
export function describeRenamed(description: string, original: string, apiName: string): string {
  return original === apiName ? description : `${description} (original name: ${original})`;
}

/** The name a tool had before `apiToolNames` renamed it (its own name when it was not renamed). */
export function originalToolName(tool: { name: string; description: string }): string {
  return ORIGINAL_NAME.exec(tool.description)?.[1] ?? tool.name;
}
