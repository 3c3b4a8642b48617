import type { TraceCall, TraceMessage, TraceSource, TraceTool } from './trace-call.js';
import { TraceLineError } from './trace-line-error.js';

/**
 * Rebuilds conversations from model calls in any order of arrival: a call
 * continues a session when its request messages extend (strictly) that
 * session's last request, so interleaved conversations in one file separate.
 * Memory per session: the first request's messages, then only the messages
 * each later request adds (never the whole re-sent history).
 */

/** A call of a rebuilt session, with only the messages its request added to the previous one. */
export interface SessionCall {
  source: TraceSource;
  model: string;
  /**
   * The request's messages after the previous request's (all of them for the
   * first call), without assistant messages: those repeat earlier replies, and
   * keeping them would double the memory of a long trace.
   */
  added: TraceMessage[];
  requestMessages: number;
  requestChars: number;
  reply: TraceCall['reply'];
  usage: TraceCall['usage'];
  latencyMs: number | undefined;
  startedAt: string | undefined;
}

export interface RebuiltSession {
  /** `s1`, `s2`, ... in order of each session's first call. */
  id: string;
  tools: TraceTool[];
  calls: SessionCall[];
}

function messageKey(m: TraceMessage): string {
  switch (m.role) {
    case 'assistant':
      return JSON.stringify(['a', m.text.trim(), m.toolCalls.map((c) => [c.id, c.name, c.args === undefined ? c.rawArgs : canonical(c.args)])]);
    case 'tool':
      return JSON.stringify(['t', m.toolCallId, m.text]);
    default:
      return JSON.stringify([m.role[0], m.text]);
  }
}

/** JSON with object keys sorted, so re-serialised arguments compare equal. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Chained hashes of every prefix of the messages: entry i is the hash of messages[0..i]. */
function prefixHashes(messages: readonly TraceMessage[]): string[] {
  const out: string[] = [];
  let h = '';
  for (const m of messages) {
    h = extend(h, m);
    out.push(h);
  }
  return out;
}

/** A 53-bit string hash (cyrb53): fast, and with 2^53 values collisions are negligible at millions of prefixes. */
function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The hash of a prefix extended by one message: both 53-bit hashes of the message key, chained on the prefix's. */
const extend = (h: string, m: TraceMessage): string => {
  const key = messageKey(m);
  return `${hash53(key, hash53(h, 1))}.${hash53(key, hash53(h, 2))}`;
};

export class SessionRebuilder {
  readonly sessions: RebuiltSession[] = [];
  /**
   * Hash of a session's last request, and of that request followed by the
   * reply as an assistant message -> sessions waiting to be continued (oldest
   * first). An entry is live while the session still has `calls` calls.
   */
  readonly #open = new Map<string, { session: RebuiltSession; calls: number }[]>();
  /** Response id -> its session (calls chained by `previous_response_id`). */
  readonly #byResponse = new Map<string, RebuiltSession>();
  /** Session key (formats that group calls themselves) -> its session. */
  readonly #byKey = new Map<string, RebuiltSession>();

  #take(hash: string): RebuiltSession | undefined {
    const waiting = this.#open.get(hash);
    if (waiting === undefined) return undefined;
    while (waiting.length > 0) {
      const entry = waiting.shift() as { session: RebuiltSession; calls: number };
      if (entry.session.calls.length === entry.calls) {
        if (waiting.length === 0) this.#open.delete(hash);
        return entry.session;
      }
    }
    this.#open.delete(hash);
    return undefined;
  }

  /** Where each session waits, so a continued session leaves no stale entries behind. */
  readonly #waitingAt = new WeakMap<RebuiltSession, string[]>();

  #forget(session: RebuiltSession): void {
    for (const hash of this.#waitingAt.get(session) ?? []) {
      const list = this.#open.get(hash)?.filter((e) => e.session !== session);
      if (list === undefined || list.length === 0) this.#open.delete(hash);
      else this.#open.set(hash, list);
    }
    this.#waitingAt.set(session, []);
  }

  #wait(hash: string, session: RebuiltSession): void {
    this.#waitingAt.set(session, [...(this.#waitingAt.get(session) ?? []), hash]);
    const entry = { session, calls: session.calls.length };
    const list = this.#open.get(hash);
    if (list) list.push(entry);
    else this.#open.set(hash, [entry]);
  }

  /** Adds a call; throws `TraceLineError` when it continues a conversation whose start is not in the trace. */
  add(call: TraceCall): RebuiltSession {
    if (call.previousResponseId !== undefined) return this.#chain(call, call.previousResponseId);
    if (call.sessionKey !== undefined) return this.#keyed(call, call.sessionKey);
    const hashes = prefixHashes(call.messages);
    let session: RebuiltSession | undefined;
    let from = 0;
    for (let len = hashes.length - 1; len >= 1 && session === undefined; len -= 1) {
      session = this.#take(hashes[len - 1] as string);
      if (session !== undefined) from = len;
    }
    if (session !== undefined) this.#forget(session);
    if (session === undefined) {
      const orphan = call.messages.find((m) => m.role === 'tool');
      if (orphan !== undefined && orphan.role === 'tool') {
        throw new TraceLineError('request.messages', `cannot be grouped: the history answers tool call ${JSON.stringify(orphan.toolCallId)} of a conversation whose earlier calls are not in the trace`);
      }
      session = { id: `s${this.sessions.length + 1}`, tools: call.tools, calls: [] };
      this.sessions.push(session);
    }
    this.#push(session, call, call.messages.slice(from), call.messages.length, call.messages.reduce((n, m) => n + m.text.length, 0));
    const last = hashes[hashes.length - 1];
    this.#wait(extend(last ?? '', { role: 'assistant', text: call.reply.text, toolCalls: call.reply.toolCalls }), session);
    if (last !== undefined) this.#wait(last, session);
    return session;
  }

  /** A call that names the response it continues: its messages are only the new input. */
  #chain(call: TraceCall, previous: string): RebuiltSession {
    const session = this.#byResponse.get(previous);
    if (session === undefined) throw new TraceLineError('request.previous_response_id', `cannot be grouped: response ${JSON.stringify(previous)} is not in the trace (or comes later)`);
    const before = session.calls[session.calls.length - 1];
    const chars = call.messages.reduce((n, m) => n + m.text.length, 0);
    this.#push(session, call, call.messages, (before?.requestMessages ?? 0) + 1 + call.messages.length, (before?.requestChars ?? 0) + (before?.reply.text.length ?? 0) + chars);
    return session;
  }

  /** A call whose format names its session: its messages after the previous request's are the added ones. */
  #keyed(call: TraceCall, key: string): RebuiltSession {
    let session = this.#byKey.get(key);
    if (session === undefined) {
      session = { id: `s${this.sessions.length + 1}`, tools: call.tools, calls: [] };
      this.sessions.push(session);
      this.#byKey.set(key, session);
    }
    const before = session.calls[session.calls.length - 1]?.requestMessages ?? 0;
    this.#push(session, call, call.messages.slice(Math.min(before, call.messages.length)), call.messages.length, call.messages.reduce((n, m) => n + m.text.length, 0));
    return session;
  }

  #push(session: RebuiltSession, call: TraceCall, added: TraceMessage[], requestMessages: number, requestChars: number): void {
    session.calls.push({ source: call.source, model: call.model, added: added.filter((m) => m.role !== 'assistant'), requestMessages, requestChars, reply: call.reply, usage: call.usage, latencyMs: call.latencyMs, startedAt: call.startedAt });
    if (session.tools.length === 0 && call.tools.length > 0) session.tools = call.tools;
    if (call.responseId !== undefined) this.#byResponse.set(call.responseId, session);
  }
}
