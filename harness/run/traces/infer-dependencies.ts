import type { RebuiltSession } from './rebuild-sessions.js';
import { REDACTED } from './redact.js';

/**
 * Dependencies by data flow. A tool call depends on an earlier call when its
 * arguments contain a value (a string of 3+ characters, or a number that is
 * not a one-digit integer) whose first appearance in the conversation is that
 * earlier call's result. A value first seen in the system or user messages,
 * or seen nowhere (the model made it up), creates no dependency. A retry (a
 * call of a tool whose previous call returned an error) depends on that error.
 *
 * This is an inference: a value the model re-derives in another form
 * ("Lisbon, PT" used as "lisbon") is not seen as a dependency.
 */

export const INFERENCE_LABEL =
  'dependencies inferred from data flow (a call needs an earlier call when its arguments contain a value first seen in that call\'s result); a value the model re-derives in another form (e.g. "Lisbon, PT" used as "lisbon") is not seen as a dependency';

/** One tool call of a session as a node of the inferred task graph. */
export interface InferredNode {
  /** `c1`, `c2`, ... in the order the calls were made. */
  id: string;
  /** 1-based turn (model call) that made the call. */
  turn: number;
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  needs: string[];
  /** The result the call got (empty when the trace ends before it). */
  result: string;
  isError: boolean;
}

const MIN_STRING = 3;

/** The values of an argument tree that can carry data between calls. */
export function dataValues(v: unknown, out: (string | number)[] = []): (string | number)[] {
  if (typeof v === 'string') {
    // A redacted value reads the same everywhere: it cannot show where the data came from.
    if (v.trim().length >= MIN_STRING && v !== REDACTED) out.push(v);
  } else if (typeof v === 'number') {
    if (Number.isFinite(v) && !(Number.isInteger(v) && Math.abs(v) <= 9)) out.push(v);
  } else if (Array.isArray(v)) {
    for (const x of v) dataValues(x, out);
  } else if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) dataValues(x, out);
  }
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` contains the value: a string as a substring (raw or JSON-escaped), a number not inside a longer number. */
export function mentions(text: string, value: string | number): boolean {
  if (typeof value === 'string') {
    if (text.includes(value)) return true;
    const escaped = JSON.stringify(value).slice(1, -1);
    return escaped !== value && text.includes(escaped);
  }
  return new RegExp(`(?<![\\d.])${escapeRe(String(value))}(?![\\d]|\\.\\d)`).test(text);
}

/** The inferred graph of a session: one node per tool call, with its needs. */
export function inferDependencies(session: RebuiltSession): InferredNode[] {
  /** Texts in the order the model saw them: prompt text (owner null) or a call's result (owner: node id). */
  const sources: { owner: string | null; text: string }[] = [];
  const nodes: InferredNode[] = [];
  const byCallId = new Map<string, InferredNode>();
  const lastErrorOfTool = new Map<string, InferredNode>();
  const retried = new Set<string>();
  session.calls.forEach((call, k) => {
    for (const m of call.added) {
      if (m.role === 'system' || m.role === 'user') sources.push({ owner: null, text: m.text });
      else if (m.role === 'tool') {
        const node = byCallId.get(m.toolCallId);
        if (node && node.result === '' && !node.isError) {
          node.result = m.text;
          node.isError = m.isError;
        }
        sources.push({ owner: node?.id ?? null, text: m.text });
      }
    }
    // A tool's error becomes known once its result is in the history.
    for (const n of nodes) if (n.isError && n.turn < k + 1 && !retried.has(n.id)) lastErrorOfTool.set(n.tool, n);
    for (const c of call.reply.toolCalls) {
      const needs = new Set<string>();
      for (const v of dataValues(c.args ?? {})) {
        const first = sources.find((s) => mentions(s.text, v));
        if (first?.owner) needs.add(first.owner);
      }
      const failed = lastErrorOfTool.get(c.name);
      if (failed) {
        needs.add(failed.id);
        retried.add(failed.id);
        lastErrorOfTool.delete(c.name);
      }
      const node: InferredNode = { id: `c${nodes.length + 1}`, turn: k + 1, callId: c.id, tool: c.name, args: c.args ?? {}, needs: [...needs], result: '', isError: false };
      nodes.push(node);
      byCallId.set(c.id, node);
    }
  });
  return nodes;
}
