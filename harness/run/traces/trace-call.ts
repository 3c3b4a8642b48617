/**
 * One model call read from a trace, in a vendor-neutral form: the request's
 * message history, the tools offered, the reply (text and tool calls), the
 * recorded usage and timing, and where the call was read from. Every format
 * reader (OpenAI Chat, Anthropic Messages, ...) produces these; the session
 * rebuilder, the dependency inference and the run writer only read them.
 */

/** A tool call the model asked for in its reply. */
export interface TraceToolCall {
  id: string;
  name: string;
  /** Arguments as the model wrote them (a JSON string). */
  rawArgs: string;
  /** Parsed arguments; undefined when `rawArgs` is not a JSON object. */
  args: Record<string, unknown> | undefined;
}

/** A message of the request history, reduced to what sessions and dependencies need. */
export type TraceMessage =
  | { role: 'system' | 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls: TraceToolCall[] }
  | { role: 'tool'; toolCallId: string; text: string; isError: boolean };

/** A tool as the model saw it. */
export interface TraceTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface TraceUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens?: number;
  /** True when counted with the o200k tokenizer because the trace has no usage. */
  estimated?: boolean;
}

/** Where a call was read from: file (as given) and 1-based line. */
export interface TraceSource {
  file: string;
  line: number;
}

export interface TraceCall {
  source: TraceSource;
  model: string;
  messages: TraceMessage[];
  tools: TraceTool[];
  reply: { text: string; toolCalls: TraceToolCall[]; finishReason: 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'other' };
  /** Recorded usage; undefined when the trace has none. */
  usage: TraceUsage | undefined;
  /** Wall time of the model call in ms, when the trace records it. */
  latencyMs: number | undefined;
  /** Start time (ISO 8601), when the trace records it. */
  startedAt: string | undefined;
  /** The response's id, for formats that chain calls by id (Responses API). */
  responseId?: string;
  /** Formats that group calls themselves (OpenTelemetry: conversation or trace id): the session this call belongs to. */
  sessionKey?: string;
  /** The response this call continues (`previous_response_id`): its messages are only the new input. */
  previousResponseId?: string;
}

/** Parses tool-call arguments: an object, or undefined. */
export function parseArgs(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a tool result text reads as an error (formats without an error flag):
 * a JSON object with a top-level `error` field, or text starting with `error`.
 */
export function looksLikeError(text: string): boolean {
  if (/^\s*error\b/i.test(text)) return true;
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && 'error' in v && (v as { error: unknown }).error != null && (v as { error: unknown }).error !== false;
  } catch {
    return false;
  }
}

/** Common line-level timing fields a logging proxy writes next to request and response. */
export function lineTiming(line: Record<string, unknown>): { latencyMs: number | undefined; startedAt: string | undefined } {
  const num = (k: string): number | undefined => (typeof line[k] === 'number' && Number.isFinite(line[k]) && (line[k] as number) >= 0 ? (line[k] as number) : undefined);
  const str = (k: string): string | undefined => (typeof line[k] === 'string' ? (line[k] as string) : undefined);
  let latencyMs = num('latency_ms') ?? num('duration_ms');
  const startedAt = str('started_at') ?? str('timestamp');
  const endedAt = str('ended_at');
  if (latencyMs === undefined && startedAt !== undefined && endedAt !== undefined) {
    const d = Date.parse(endedAt) - Date.parse(startedAt);
    if (Number.isFinite(d) && d >= 0) latencyMs = d;
  }
  return { latencyMs, startedAt };
}

/** The model a call went to: the response's own name (a dated snapshot) when it gives one, else the request's. */
export function modelOf(response: { model?: unknown }, request: { model?: unknown }): string {
  return typeof response.model === 'string' && response.model !== '' ? response.model : String(request.model ?? 'unknown');
}
