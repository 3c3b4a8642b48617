/** Per-session trace data kept in `extra.trace` (read by `scenario from-trace`). */
export interface TraceExtra {
  sessionId: string;
  /** file:line of each model call, in turn order. */
  sources: string[];
  /** The prompt: the system and user messages of the first request. */
  prompt: { system: string; user: string };
  tools: { name: string; description: string; parameters: Record<string, unknown> }[];
  /** The inferred task graph, labelled. */
  graph: { label: string; nodes: { id: string; tool: string; args: Record<string, unknown>; needs: string[] }[] };
  counterfactual: { turns: number; savedTurns: number; savedInputTokens: number; savedCachedInputTokens: number; savedLatencyMs: number };
}
