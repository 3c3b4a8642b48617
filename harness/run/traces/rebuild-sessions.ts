import type { TraceCall, TraceMessage, TraceSource, TraceTool } from './trace-call.js';
import { TraceLineError } from './trace-line-error.js';

/**
 * Rebuilds conversations from model calls in any order of arrival: a call
 * continues a session when its request messages extend (strictly) that
 * session's last request, so interleaved conversations in one file separate.
 *
 * In two steps, so that an import holds only the sessions still open: the
 * grouper reads every call once and keeps only where each goes (a few numbers
 * a call, the hashes a session waits at); the assembler then takes the same
 * calls again in the same order, with those placements, and hands back each
 * session as soon as its last call is in. Memory per open session: the first
 * request's messages, then only the messages each later request adds (never
 * the whole re-sent history).
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

/** Where a call goes: its session (0-based, in order of each session's first call) and how many of its request's messages came before (for a call grouped by its history). */
export interface Placement {
  session: number;
  from: number;
}

/** Placements of every call in order, two 32-bit numbers each. */
export class PlacementList {
  #data = new Int32Array(2 * 1024);
  length = 0;

  push(p: Placement): void {
    if (2 * this.length + 2 > this.#data.length) {
      const grown = new Int32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[2 * this.length] = p.session;
    this.#data[2 * this.length + 1] = p.from;
    this.length += 1;
  }

  at(i: number): Placement {
    return { session: this.#data[2 * i] as number, from: this.#data[2 * i + 1] as number };
  }
}

/** Entries of sessions waiting at a hash: the session, and how many calls it had then (the entry is live while it still has). */
interface Waiting {
  session: number;
  calls: number;
}

/**
 * Decides each call's session without keeping the calls: per session only its
 * number of calls, its first call's model and the hashes where it waits.
 */
export class SessionGrouper {
  /** Calls placed in each session so far. */
  readonly #calls: number[] = [];
  /** Model of each session's first call. */
  readonly #models: string[] = [];
  /** One string per model name, however many calls repeat it. */
  readonly #modelNames = new Map<string, string>();
  /**
   * Hash of a session's last request, and of that request followed by the
   * reply as an assistant message -> sessions waiting to be continued (oldest first).
   */
  readonly #open = new Map<string, Waiting[]>();
  /** Where each session waits, so a continued session leaves no stale entries behind. */
  readonly #waitingAt: string[][] = [];
  /** Response id -> its session (calls chained by `previous_response_id`). */
  readonly #byResponse = new Map<string, number>();
  /** Session key (formats that group calls themselves) -> its session. */
  readonly #byKey = new Map<string, number>();

  /** Sessions so far. */
  get sessions(): number {
    return this.#calls.length;
  }

  /** Calls of session `session` so far (all of them once every call is placed). */
  callsOf(session: number): number {
    return this.#calls[session] ?? 0;
  }

  /** The model of session `session`'s first call. */
  modelOf(session: number): string {
    return this.#models[session] ?? 'unknown';
  }

  /** Places a call; throws `TraceLineError` when it continues a conversation whose start is not in the trace. */
  add(call: TraceCall): Placement {
    if (call.previousResponseId !== undefined) {
      const session = this.#byResponse.get(call.previousResponseId);
      if (session === undefined) throw new TraceLineError('request.previous_response_id', `cannot be grouped: response ${JSON.stringify(call.previousResponseId)} is not in the trace (or comes later)`);
      return this.#place(session, call, 0);
    }
    if (call.sessionKey !== undefined) {
      let session = this.#byKey.get(call.sessionKey);
      if (session === undefined) {
        session = this.#start(call);
        this.#byKey.set(call.sessionKey, session);
      }
      return this.#place(session, call, 0);
    }
    const hashes = prefixHashes(call.messages);
    let session: number | undefined;
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
      session = this.#start(call);
    }
    const placement = this.#place(session, call, from);
    const last = hashes[hashes.length - 1];
    this.#wait(extend(last ?? '', { role: 'assistant', text: call.reply.text, toolCalls: call.reply.toolCalls }), session);
    if (last !== undefined) this.#wait(last, session);
    return placement;
  }

  #start(call: TraceCall): number {
    let model = this.#modelNames.get(call.model);
    if (model === undefined) {
      model = call.model;
      this.#modelNames.set(model, model);
    }
    this.#calls.push(0);
    this.#models.push(model);
    this.#waitingAt.push([]);
    return this.#calls.length - 1;
  }

  #place(session: number, call: TraceCall, from: number): Placement {
    this.#calls[session] = this.callsOf(session) + 1;
    if (call.responseId !== undefined) this.#byResponse.set(call.responseId, session);
    return { session, from };
  }

  #take(hash: string): number | undefined {
    const waiting = this.#open.get(hash);
    if (waiting === undefined) return undefined;
    while (waiting.length > 0) {
      const entry = waiting.shift() as Waiting;
      if (this.callsOf(entry.session) === entry.calls) {
        if (waiting.length === 0) this.#open.delete(hash);
        return entry.session;
      }
    }
    this.#open.delete(hash);
    return undefined;
  }

  #forget(session: number): void {
    for (const hash of this.#waitingAt[session] ?? []) {
      const list = this.#open.get(hash)?.filter((e) => e.session !== session);
      if (list === undefined || list.length === 0) this.#open.delete(hash);
      else this.#open.set(hash, list);
    }
    this.#waitingAt[session] = [];
  }

  #wait(hash: string, session: number): void {
    (this.#waitingAt[session] as string[]).push(hash);
    const entry = { session, calls: this.callsOf(session) };
    const list = this.#open.get(hash);
    if (list) list.push(entry);
    else this.#open.set(hash, [entry]);
  }
}

/**
 * Builds sessions from the calls the grouper placed, given again in the same
 * order with their placements; holds a session only until its last call.
 */
export class SessionAssembler {
  readonly #open = new Map<number, RebuiltSession>();
  readonly #callsOf: (session: number) => number;

  /** `callsOf`: every session's number of calls (the grouper's, once it placed every call). */
  constructor(callsOf: (session: number) => number) {
    this.#callsOf = callsOf;
  }

  /** Sessions begun and not yet complete. */
  get open(): number {
    return this.#open.size;
  }

  /** Adds a call at its placement; returns its session when this was the session's last call. */
  add(call: TraceCall, placement: Placement): RebuiltSession | undefined {
    let session = this.#open.get(placement.session);
    if (session === undefined) {
      session = { id: `s${placement.session + 1}`, tools: call.tools, calls: [] };
      this.#open.set(placement.session, session);
    }
    const chars = call.messages.reduce((n, m) => n + m.text.length, 0);
    const before = session.calls[session.calls.length - 1];
    if (call.previousResponseId !== undefined) {
      // A chained call's messages are only the new input; the request re-sent the previous one and its reply.
      push(session, call, call.messages, (before?.requestMessages ?? 0) + 1 + call.messages.length, (before?.requestChars ?? 0) + (before?.reply.text.length ?? 0) + chars);
    } else if (call.sessionKey !== undefined) {
      const had = before?.requestMessages ?? 0;
      push(session, call, call.messages.slice(Math.min(had, call.messages.length)), call.messages.length, chars);
    } else {
      push(session, call, call.messages.slice(placement.from), call.messages.length, chars);
    }
    if (session.calls.length < this.#callsOf(placement.session)) return undefined;
    this.#open.delete(placement.session);
    return session;
  }
}

function push(session: RebuiltSession, call: TraceCall, added: TraceMessage[], requestMessages: number, requestChars: number): void {
  session.calls.push({ source: call.source, model: call.model, added: added.filter((m) => m.role !== 'assistant'), requestMessages, requestChars, reply: call.reply, usage: call.usage, latencyMs: call.latencyMs, startedAt: call.startedAt });
  if (session.tools.length === 0 && call.tools.length > 0) session.tools = call.tools;
}
