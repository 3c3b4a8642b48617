import { parseArgs, type TraceCall, type TraceMessage, type TraceSource, type TraceTool, type TraceToolCall } from './trace-call.js';
import { TraceLineError } from './trace-line-error.js';

/**
 * Reader for OpenTelemetry GenAI semantic-convention spans exported as
 * OTLP/JSON (`{"resourceSpans": [{"scopeSpans": [{"spans": [...]}]}]}`, one
 * export request per line as the collector's file exporter writes them).
 * Model calls are spans with `gen_ai.operation.name` `chat` (or named
 * `chat {model}`), tool executions `execute_tool` spans. Spans are grouped by
 * `gen_ai.conversation.id`, else by trace id, and ordered by start time.
 * Messages come from `gen_ai.input.messages` / `gen_ai.output.messages`
 * (parts `text`, `tool_call`, `tool_call_response`); when content capture is
 * off, the calls of a turn are the `execute_tool` spans that start after the
 * chat span and before the next one (`gen_ai.tool.call.id`, `.arguments`, `.result`).
 * Usage: `gen_ai.usage.input_tokens` (cache included), `gen_ai.usage.output_tokens`,
 * `gen_ai.usage.cache_read.input_tokens`; latency: the chat span's duration.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An OTLP/JSON attribute value. */
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}

/** An OTLP/JSON span, as far as this reader uses it. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: { key: string; value: AnyValue }[];
  status?: { code?: number | string };
}

/** A span with where it was read from. */
export interface LocatedSpan {
  span: OtlpSpan;
  source: TraceSource;
  path: string;
}

/** Whether a parsed line is an OTLP/JSON trace export (for format detection). */
export function isOtelLine(line: unknown): boolean {
  return isObject(line) && Array.isArray(line.resourceSpans);
}

function plain(v: AnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(plain);
  return undefined;
}

const attr = (s: OtlpSpan, key: string): unknown => plain(s.attributes?.find((a) => a.key === key)?.value);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nanos = (v: string | number): bigint => BigInt(typeof v === 'number' ? Math.round(v) : v);

/** The spans of one export line; throws `TraceLineError` on a shape it cannot read. */
export function otelSpans(line: unknown, source: TraceSource): LocatedSpan[] {
  if (!isOtelLine(line) || !isObject(line)) throw new TraceLineError('', 'expected an OTLP/JSON export: {"resourceSpans": [...]}');
  const out: LocatedSpan[] = [];
  (line.resourceSpans as unknown[]).forEach((rs, i) => {
    const scopes = isObject(rs) && Array.isArray(rs.scopeSpans) ? rs.scopeSpans : [];
    scopes.forEach((ss: unknown, j: number) => {
      const spans = isObject(ss) && Array.isArray(ss.spans) ? ss.spans : [];
      spans.forEach((sp: unknown, k: number) => {
        const path = `resourceSpans.${i}.scopeSpans.${j}.spans.${k}`;
        if (!isObject(sp) || typeof sp.traceId !== 'string' || typeof sp.name !== 'string' || sp.startTimeUnixNano === undefined || sp.endTimeUnixNano === undefined) {
          throw new TraceLineError(path, 'a span needs traceId, name, startTimeUnixNano and endTimeUnixNano');
        }
        try {
          nanos(sp.startTimeUnixNano as string);
          nanos(sp.endTimeUnixNano as string);
        } catch {
          throw new TraceLineError(`${path}.startTimeUnixNano`, 'not an integer');
        }
        out.push({ span: sp as unknown as OtlpSpan, source, path });
      });
    });
  });
  return out;
}

const operation = (s: OtlpSpan): string => str(attr(s, 'gen_ai.operation.name')) ?? s.name.split(' ')[0] ?? '';

function jsonAttr(s: OtlpSpan, key: string, path: string): unknown {
  const v = attr(s, key);
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new TraceLineError(`${path}.attributes.${key}`, 'not valid JSON');
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

function toolCallPart(p: Record<string, unknown>): TraceToolCall {
  const raw = typeof p.arguments === 'string' ? p.arguments : JSON.stringify(p.arguments ?? {});
  return { id: String(p.id ?? ''), name: String(p.name), rawArgs: raw, args: parseArgs(raw) };
}

/** GenAI `ChatMessage[]` (gen-ai-input-messages.json) to messages. */
function messagesOf(value: unknown, path: string): TraceMessage[] {
  if (!Array.isArray(value)) throw new TraceLineError(path, 'expected an array of messages');
  const out: TraceMessage[] = [];
  for (const m of value) {
    if (!isObject(m) || !Array.isArray(m.parts)) throw new TraceLineError(path, 'a message needs role and parts');
    const parts = m.parts.filter(isObject);
    const body = parts.filter((p) => p.type === 'text').map((p) => text(p.content)).join('');
    if (m.role === 'assistant') out.push({ role: 'assistant', text: body, toolCalls: parts.filter((p) => p.type === 'tool_call').map(toolCallPart) });
    else if (m.role === 'tool' || parts.some((p) => p.type === 'tool_call_response')) {
      for (const p of parts.filter((x) => x.type === 'tool_call_response')) {
        const response = text(p.response);
        out.push({ role: 'tool', toolCallId: String(p.id ?? ''), text: response, isError: false });
      }
      if (body !== '') out.push({ role: 'user', text: body });
    } else out.push({ role: m.role === 'system' ? 'system' : 'user', text: body });
  }
  return out;
}

function toolsOf(s: OtlpSpan, path: string): TraceTool[] {
  const defs = jsonAttr(s, 'gen_ai.tool.definitions', path);
  if (!Array.isArray(defs)) return [];
  return defs.filter(isObject).map((d) => ({
    name: String(d.name ?? (isObject(d.function) ? d.function.name : '')),
    description: String(d.description ?? ''),
    parameters: isObject(d.parameters) ? d.parameters : { type: 'object', properties: {} },
  }));
}

const FINISH: Record<string, TraceCall['reply']['finishReason']> = { stop: 'stop', tool_call: 'tool-calls', tool_calls: 'tool-calls', length: 'length', content_filter: 'content-filter' };

/** The session a chat or execute_tool span belongs to (its conversation, else its trace); undefined for other spans. */
export function otelGroupKey(span: OtlpSpan): string | undefined {
  const op = operation(span);
  if (op !== 'chat' && op !== 'execute_tool') return undefined;
  return str(attr(span, 'gen_ai.conversation.id')) ?? `trace:${span.traceId}`;
}

export const isChatSpan = (span: OtlpSpan): boolean => operation(span) === 'chat';

/** The model a chat span names: the response's, else the request's, else the span name's second word. */
export const chatModel = (span: OtlpSpan): string => str(attr(span, 'gen_ai.response.model')) ?? str(attr(span, 'gen_ai.request.model')) ?? (span.name.split(' ')[1] || 'unknown');

/** A span's start in nanoseconds since the epoch (the order of a session's spans). */
export const spanStart = (span: OtlpSpan): bigint => nanos(span.startTimeUnixNano);

/** What a chat span's own attributes say: input messages (system first), the reply, the tools. */
interface ParsedChat {
  /** Undefined when content capture was off (no `gen_ai.input.messages`). */
  messages: TraceMessage[] | undefined;
  /** Undefined when content capture was off (no `gen_ai.output.messages`). */
  reply: TraceCall['reply'] | undefined;
  tools: TraceTool[];
}

/** Reads a chat span's attributes; throws `TraceLineError` naming the attribute it cannot read. */
function parseChat(c: LocatedSpan): ParsedChat {
  const span = c.span;
  let messages: TraceMessage[] | undefined;
  if (attr(span, 'gen_ai.input.messages') !== undefined) {
    messages = messagesOf(jsonAttr(span, 'gen_ai.input.messages', c.path), `${c.path}.attributes.gen_ai.input.messages`);
    const system = jsonAttr(span, 'gen_ai.system_instructions', c.path);
    if (Array.isArray(system)) messages.unshift({ role: 'system', text: system.filter(isObject).map((p) => text(p.content)).join('') });
  }
  let reply: TraceCall['reply'] | undefined;
  if (attr(span, 'gen_ai.output.messages') !== undefined) {
    const out = jsonAttr(span, 'gen_ai.output.messages', c.path);
    const msgs = messagesOf(out, `${c.path}.attributes.gen_ai.output.messages`);
    const assistant = msgs.find((m) => m.role === 'assistant');
    const finish = Array.isArray(out) && isObject(out[0]) ? String(out[0].finish_reason ?? '') : '';
    const toolCalls = assistant?.role === 'assistant' ? assistant.toolCalls : [];
    reply = { text: assistant?.text ?? '', toolCalls, finishReason: FINISH[finish] ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop') };
  }
  return { messages, reply, tools: toolsOf(span, c.path) };
}

/** Throws the `TraceLineError` that turning this chat span into a call would throw, if any (a check that keeps nothing). */
export function checkChatSpan(c: LocatedSpan): void {
  parseChat(c);
}

/**
 * The model calls of a set of spans, grouped into sessions (`sessionKey`) and
 * in start order. Spans other than chat and execute_tool are ignored.
 */
export function otelCalls(spans: readonly LocatedSpan[], onError: (e: TraceLineError, source: TraceSource) => void): TraceCall[] {
  const groups = new Map<string, LocatedSpan[]>();
  for (const s of spans) {
    const key = otelGroupKey(s.span);
    if (key === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  const calls: TraceCall[] = [];
  for (const [key, list] of groups) {
    list.sort((a, b) => (nanos(a.span.startTimeUnixNano) < nanos(b.span.startTimeUnixNano) ? -1 : nanos(a.span.startTimeUnixNano) > nanos(b.span.startTimeUnixNano) ? 1 : 0));
    const chats = list.filter((s) => operation(s.span) === 'chat');
    const tools = list.filter((s) => operation(s.span) === 'execute_tool');
    const history: TraceMessage[] = [];
    chats.forEach((c, i) => {
      try {
        calls.push(chatCall(c, i));
      } catch (e) {
        if (!(e instanceof TraceLineError)) throw e;
        onError(e, c.source);
      }
    });
    function chatCall(c: LocatedSpan, i: number): TraceCall {
      const span = c.span;
      const start = nanos(span.startTimeUnixNano);
      const nextStart = chats[i + 1] === undefined ? undefined : nanos((chats[i + 1] as LocatedSpan).span.startTimeUnixNano);
      const executed = tools.filter((t) => nanos(t.span.startTimeUnixNano) >= start && (nextStart === undefined || nanos(t.span.startTimeUnixNano) < nextStart));
      const parsed = parseChat(c);
      const messages: TraceMessage[] = parsed.messages ?? [...history];
      let reply: TraceCall['reply'];
      if (parsed.reply !== undefined) {
        reply = parsed.reply;
      } else {
        const toolCalls = executed.map((t) => {
          const raw = text(attr(t.span, 'gen_ai.tool.call.arguments') ?? '{}');
          return { id: str(attr(t.span, 'gen_ai.tool.call.id')) ?? t.span.spanId, name: str(attr(t.span, 'gen_ai.tool.name')) ?? t.span.name.replace(/^execute_tool\s*/, ''), rawArgs: raw, args: parseArgs(raw) };
        });
        reply = { text: '', toolCalls, finishReason: toolCalls.length > 0 ? 'tool-calls' : 'stop' };
      }
      // Results of this turn's calls, for the synthesised history of spans without content.
      history.splice(0, history.length, ...messages, { role: 'assistant', text: reply.text, toolCalls: reply.toolCalls });
      for (const tc of reply.toolCalls) {
        const t = executed.find((x) => str(attr(x.span, 'gen_ai.tool.call.id')) === tc.id);
        if (t) {
          const failed = t.span.status?.code === 2 || t.span.status?.code === 'STATUS_CODE_ERROR' || attr(t.span, 'error.type') !== undefined;
          history.push({ role: 'tool', toolCallId: tc.id, text: text(attr(t.span, 'gen_ai.tool.call.result')), isError: failed });
        }
      }
      // A tool_call_response in the next input carries no error flag: take it from the execute_tool span.
      for (const m of messages) {
        if (m.role !== 'tool') continue;
        const t = tools.find((x) => str(attr(x.span, 'gen_ai.tool.call.id')) === m.toolCallId);
        if (t && (t.span.status?.code === 2 || t.span.status?.code === 'STATUS_CODE_ERROR' || attr(t.span, 'error.type') !== undefined)) m.isError = true;
      }
      const inputTokens = num(attr(span, 'gen_ai.usage.input_tokens'));
      const outputTokens = num(attr(span, 'gen_ai.usage.output_tokens'));
      const startMs = Number(start / 1_000_000n);
      return {
        source: c.source,
        model: chatModel(span),
        messages,
        tools: parsed.tools,
        reply,
        usage: inputTokens !== undefined && outputTokens !== undefined ? { inputTokens, outputTokens, cachedInputTokens: num(attr(span, 'gen_ai.usage.cache_read.input_tokens')) ?? 0 } : undefined,
        // A span that ends before it starts has no usable duration.
        latencyMs: nanos(span.endTimeUnixNano) >= start ? Number((nanos(span.endTimeUnixNano) - start) / 1_000_000n) : undefined,
        startedAt: new Date(startMs).toISOString(),
        sessionKey: key,
      };
    }
  }
  return calls;
}

/** What the first reading keeps of an OpenTelemetry conversation: no span, only where it ends and what it holds. */
export interface OtelGroup {
  /** Order of first appearance among the conversations. */
  order: number;
  /** File (index in the files given) and line of its last span. */
  lastFile: number;
  lastLine: number;
  /** Chat spans that make a call (the others were counted as problems). */
  chats: number;
  /** Model and start of its first such chat span: the session's model. */
  model: string;
  firstStart: bigint | undefined;
  /** Its session (0-based), once numbered; undefined for a conversation with no call. */
  index?: number;
}

/** The OpenTelemetry conversations of an import, as the first reading sees their spans go by. */
export class OtelGroups {
  readonly #groups = new Map<string, OtelGroup>();
  calls = 0;
  sessions = 0;

  get(key: string): OtelGroup | undefined {
    return this.#groups.get(key);
  }

  /** Notes a span (of file `file`, line `line`); a chat span that cannot make a call goes to `bad`. */
  see(located: LocatedSpan, file: number, line: number, bad: (e: TraceLineError, source: TraceSource) => void): void {
    const key = otelGroupKey(located.span);
    if (key === undefined) return;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { order: this.#groups.size, lastFile: file, lastLine: line, chats: 0, model: 'unknown', firstStart: undefined };
      this.#groups.set(key, group);
    }
    group.lastFile = file;
    group.lastLine = line;
    if (!isChatSpan(located.span)) return;
    try {
      checkChatSpan(located);
    } catch (e) {
      if (!(e instanceof TraceLineError)) throw e;
      bad(e, located.source);
      return;
    }
    group.chats += 1;
    this.calls += 1;
    // The session's first call is its earliest chat span (the first seen of those that start together).
    const start = spanStart(located.span);
    if (group.firstStart === undefined || start < group.firstStart) {
      group.firstStart = start;
      group.model = chatModel(located.span);
    }
  }

  /** Numbers the conversations that make calls, in order of appearance, from `first`. */
  number(first: number): void {
    for (const group of this.#groups.values()) {
      if (group.chats === 0) continue;
      group.index = first + this.sessions;
      this.sessions += 1;
    }
  }

  /** The numbered conversations, in session order. */
  *numbered(): Generator<OtelGroup> {
    for (const group of this.#groups.values()) if (group.index !== undefined) yield group;
  }
}
