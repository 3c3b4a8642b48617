/**
 * The JSON plan format of the `json-plan` variant and the `plan-execute`
 * strategy: `{"parallel_groups": [[call, ...], ...]}`, where a call is
 * `"tool_name(arg=value, ...)"` or `{"tool": ..., "args": {...}}`. Groups run
 * in order; the calls of a group are independent of each other. An argument
 * value `"$n"` or `"$n.path"` refers to the result of the plan's n-th call
 * (1-based, counted across groups). Pure functions, no I/O.
 */

export interface PlannedCall {
  tool: string;
  args: Record<string, unknown>;
}

export interface Plan {
  groups: PlannedCall[][];
}

export type PlanParse = { ok: true; plan: Plan } | { ok: false; error: string };

/** Parameter names of each tool, in order, so positional arguments (`read_file("a.ts")`) can be named. */
export type ParamNames = ReadonlyMap<string, readonly string[]>;

const REF = /^\$(\d+)(?:\.(.+))?$/;

/** `"$2.customer_id"` → `{ index: 2, path: 'customer_id' }`. */
export function parseRef(value: unknown): { index: number; path: string | undefined } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = REF.exec(value);
  return m ? { index: Number(m[1]), path: m[2] } : undefined;
}

/** Finds and parses a plan in a model's text: a fenced block, the whole text, or the first JSON object with `parallel_groups`. */
export function parsePlan(text: string, params: ParamNames = new Map()): PlanParse {
  let lastError = 'no JSON object with "parallel_groups" found';
  for (const candidate of jsonCandidates(text)) {
    const value = tryJson(candidate) ?? tryJson(stripJsonComments(candidate));
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || !('parallel_groups' in value)) {
      lastError = 'a JSON object was found but it has no "parallel_groups"';
      continue;
    }
    return planFromJson((value as { parallel_groups: unknown }).parallel_groups, params);
  }
  return { ok: false, error: lastError };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function planFromJson(raw: unknown, params: ParamNames): PlanParse {
  if (!Array.isArray(raw)) return { ok: false, error: '"parallel_groups" is not a list' };
  const groups: PlannedCall[][] = [];
  for (const [g, group] of raw.entries()) {
    if (!Array.isArray(group)) return { ok: false, error: `group ${g + 1} is not a list of calls` };
    const calls: PlannedCall[] = [];
    for (const [c, call] of group.entries()) {
      const parsed = typeof call === 'string' ? parseCallString(call, params) : parseCallObject(call);
      if ('error' in parsed) return { ok: false, error: `group ${g + 1}, call ${c + 1}: ${parsed.error}` };
      calls.push(parsed);
    }
    if (calls.length > 0) groups.push(calls);
  }
  if (groups.length === 0) return { ok: false, error: 'the plan has no calls' };
  return { ok: true, plan: { groups } };
}

function parseCallObject(value: unknown): PlannedCall | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'a call is a string or an object with "tool" and "args"' };
  const o = value as Record<string, unknown>;
  const tool = o.tool ?? o.name;
  if (typeof tool !== 'string' || tool === '') return { error: 'the call has no "tool" name' };
  let args = o.args ?? o.arguments ?? {};
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      return { error: `the arguments of ${tool} are not JSON` };
    }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { error: `the arguments of ${tool} are not an object` };
  return { tool, args: args as Record<string, unknown> };
}

/** Parses `tool(a=1, b="x", c=[1, 2])`; `key: value` and positional values (named from `params`) are accepted too. */
export function parseCallString(text: string, params: ParamNames = new Map()): PlannedCall | { error: string } {
  const m = /^\s*([A-Za-z_][\w.-]*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(text);
  if (!m?.[1]) return { error: `cannot read the call ${JSON.stringify(text)}; write tool_name(arg=value, ...)` };
  const tool = m[1];
  const args: Record<string, unknown> = {};
  const names = params.get(tool) ?? [];
  let position = 0;
  for (const piece of splitTopLevel(m[2] ?? '')) {
    const kv = /^\s*([A-Za-z_]\w*)\s*[=:]\s*([\s\S]*)$/.exec(piece);
    if (kv?.[1] !== undefined && kv[2] !== undefined) {
      args[kv[1]] = parseValue(kv[2]);
    } else {
      const name = names[position];
      if (name === undefined) return { error: `positional argument ${position + 1} of ${tool} has no parameter name; write name=value` };
      args[name] = parseValue(piece);
      position += 1;
    }
  }
  return { tool, args };
}

/** Splits on commas outside quotes and brackets; empty pieces are dropped. */
function splitTopLevel(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('[{('.includes(ch)) depth++;
    else if (']})'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      pieces.push(text.slice(start, i));
      start = i + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces.map((p) => p.trim()).filter((p) => p !== '');
}

const BARE: Record<string, unknown> = { True: true, False: false, None: null };

function parseValue(raw: string): unknown {
  const text = raw.trim();
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/\\'/g, "'");
  if (text in BARE) return BARE[text];
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Texts that may hold the plan, most likely first: fenced blocks, the whole text, then each balanced `{...}`. */
function* jsonCandidates(text: string): Generator<string> {
  for (const m of text.matchAll(/```[\w-]*\s*\n([\s\S]*?)```/g)) if (m[1] !== undefined) yield m[1];
  yield text;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
    const end = balancedEnd(text, i);
    if (end !== undefined) yield text.slice(i, end + 1);
  }
}

function balancedEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return undefined;
}

/** Removes `//` and `/* *\/` comments and trailing commas outside strings (models copy them from prompt examples). */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += ch;
  }
  return out.replace(/,(\s*[\]}])/g, '$1');
}

/** A plan as the JSON a model is asked to write, calls in object form. */
export function renderPlan(plan: Plan): string {
  return JSON.stringify({ parallel_groups: plan.groups.map((g) => g.map((c) => ({ tool: c.tool, args: c.args }))) });
}

/** `tool(a=1, b="x")`, for messages and reports. */
export function callLabel(call: PlannedCall): string {
  return `${call.tool}(${Object.entries(call.args)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')})`;
}
